"""The command line: a thin caller of the library, and the only place that prints or exits."""

from __future__ import annotations

import errno
import sys
import traceback
from pathlib import Path
from typing import Any

import click

from docgen._version import __version__
from docgen.cli.console import Console, console, no_color, show_changes
from docgen.cli.groups import OrderedGroup
from docgen.cli.options import CASE, CONFIG, STRICT, TEMPLATES, out_option
from docgen.errors import Advisory, DocgenError, Issue
from docgen.limits import WorkerCrash

_ADVICE_SHOWN = 5  # advice of one kind printed before "… and N more" (-v prints all)


def _advise(advisories: list[tuple[Advisory, Issue]]) -> None:
    """Print each piece of advice; the same advice for many applicants is cut short."""
    out_ = console()
    counts: dict[str, int] = {}
    for advisory, issue in advisories:
        counts[advisory.code] = counts.get(advisory.code, 0) + 1
        if counts[advisory.code] <= _ADVICE_SHOWN or out_.level > 0:
            out_.warn(str(issue))
    for code, count in counts.items():
        if count > _ADVICE_SHOWN and out_.level <= 0:
            out_.warn(f"… and {count - _ADVICE_SHOWN} more advice [{code}] like the above; "
                      "-v prints them all")


class _ProgressBar:
    """A progress bar that appears on the first update (stderr, so output stays clean)."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.bar: Any = None
        self.done = 0
        self.active = False

    def update(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self.bar.__enter__()
            self.active = True
        self.bar.update(done - self.done)
        self.done = done
        if done >= total:
            self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
        self.active = False


_REPORT = (
    "docgen stopped on an internal error ({kind}). This is a bug: please report it to the "
    "docgen maintainers with the command you ran (not your case file). "
    "Run it again with --debug to see the details."
)


def _unexpected(exc: BaseException, debug: bool) -> None:
    """One line asking for a report; the traceback (it may show values) only with --debug."""
    if debug:
        details = exc.details if isinstance(exc, WorkerCrash) else ""
        click.echo(details or "".join(traceback.format_exception(exc)), err=True)
    kind = type(exc).__name__
    if isinstance(exc, WorkerCrash):
        kind = str(exc)
    click.secho(_REPORT.format(kind=kind), fg="red", err=True)
    sys.exit(1)


def _os_error(exc: OSError, debug: bool) -> None:
    """A file system failure, told without the file name (it may hold a person's name)."""
    if debug:
        click.echo("".join(traceback.format_exception(exc)), err=True)
    reason = exc.strerror or type(exc).__name__
    if exc.errno == errno.ENOSPC:
        reason = "the disk is full"
    click.secho(f"cannot read or write a file: {reason}; nothing was written", fg="red", err=True)
    sys.exit(1)


class _Guarded(OrderedGroup):
    """The group that turns every failure into exit 1 and a message, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        debug = bool(ctx.params.get("debug"))
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except DocgenError as e:
            console().fail(e)
        except OSError as e:
            _os_error(e, debug)
        except RecursionError as e:
            _unexpected(e, debug)
        except MemoryError:
            click.secho("docgen ran out of memory; nothing was written", fg="red", err=True)
            sys.exit(1)
        except Exception as e:  # noqa: BLE001 - the last line of defence: report, no traceback
            _unexpected(e, debug)
        return None


@click.group(
    cls=_Guarded,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(__version__, prog_name="docgen")
@click.option(
    "--debug", is_flag=True, help="Show the full traceback of an internal error (may show values)."
)
@click.option("-q", "--quiet", is_flag=True, help="Print only warnings and errors.")
@click.option("-v", "--verbose", is_flag=True, help="Print more about what is done.")
@click.pass_context
def main(
    ctx: click.Context,
    debug: bool,  # noqa: ARG001 - read by _Guarded.invoke
    quiet: bool,
    verbose: bool,
) -> None:
    """Make the whole hiring pack for a peer-support-worker post from one YAML case file.

    \b
    Start a case, check it, build it:
      docgen init case.yaml
      docgen validate case.yaml
      docgen build case.yaml -o out/case
    \b
    Or first try a complete example:
      docgen init --example example.yaml
      docgen build example.yaml -o out/example
    """
    if no_color():
        ctx.color = False
    ctx.obj = Console(level=1 if verbose else -1 if quiet else 0)


@main.command(short_help="Build every document of a case into a folder.")
@CASE
@out_option("Output folder (default: out/<the case's reference>).")
@CONFIG
@TEMPLATES
@STRICT
@click.option(
    "--force",
    is_flag=True,
    help="Go ahead although files in the way were changed or not made by docgen (or the "
    "folder belongs to another case): they are first moved into a dated backup folder.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what would be written, replaced, removed and kept; write nothing.",
)
@click.option(
    "--pdf/--no-pdf",
    default=None,
    help="Also make a PDF of every document with LibreOffice (default: the "
    "configuration's pdf.enabled).",
)
@click.option(
    "--pdf-timeout",
    type=click.FloatRange(min=1),
    default=None,
    metavar="SECONDS",
    help="Seconds one document may take to convert before LibreOffice is stopped.",
)
def build(
    case: Path,
    out: Path | None,
    config: Path | None,
    templates: Path | None,
    strict: bool,
    force: bool,
    dry_run: bool,
    pdf: bool | None,
    pdf_timeout: float | None,
) -> None:
    """Build every document of CASE into the output folder (all or nothing).

    A rebuild replaces only what docgen wrote and nobody changed since; anything else in
    the way stops it (see --force).

    \b
    Example:
      docgen build case.yaml --pdf
      docgen build case.yaml -o out/case --dry-run
    """
    from docgen.pack.pipeline import PdfOptions  # noqa: PLC0415 - keeps `docgen --help` fast
    from docgen.pack.pipeline import build as run  # noqa: PLC0415

    bar = _ProgressBar("converting to PDF")
    out_ = console()
    _sources(case, config, templates)

    def show(record: dict[str, Any]) -> None:
        if bar.active or dry_run:
            return
        out_.info(f"  {record['kind']:<18} {record['path']}")

    try:
        result = run(
            case,
            out,
            config=config,
            templates=templates,
            strict=strict,
            on_document=show,
            # -q leaves only warnings and errors: no progress bar either.
            pdf=PdfOptions(enabled=pdf, timeout=pdf_timeout,
                           progress=bar.update if out_.level >= 0 else None),
            force=force,
            dry_run=dry_run,
        )
    except DocgenError as e:
        bar.close()
        out_.fail(e)
    bar.close()
    for warning in result.warnings:
        out_.warn(warning)
    for skip in result.skipped:
        out_.info(f"  skipped {skip['kind']}: {skip['reason']}")
    _advise(result.advisories)
    for note in result.notes:
        out_.note(note)
    show_changes(result.changes, result.out)
    if not dry_run:
        out_.info(f"{len(result.documents)} documents written to {result.out} "
                  "(see manifest.json)")


def _sources(case: Path, config: Path | None, templates: Path | None) -> None:
    """With -v: which files the run reads."""
    out_ = console()
    out_.detail(f"case: {case}")
    out_.detail(f"settings: the shipped defaults{f', then {config}' if config else ''}")
    out_.detail(f"templates: {f'{templates}, then ' if templates else ''}the shipped templates")


@main.command(short_help="Check a case as a build would, writing nothing.")
@CASE
@CONFIG
@TEMPLATES
@STRICT
def validate(case: Path, config: Path | None, templates: Path | None, strict: bool) -> None:
    """Check CASE as a build would, without writing anything.

    \b
    Example:
      docgen validate case.yaml
    """
    from docgen.pack.pipeline import validate as run  # noqa: PLC0415

    out_ = console()
    _sources(case, config, templates)
    try:
        checked = run(case, config=config, templates=templates, strict=strict)
    except DocgenError as e:
        out_.fail(e)
    _advise(checked.advisories)
    for note in checked.notes:
        out_.note(note)
    for path in checked.planned:
        out_.detail(f"  would write {path}")
    n = len(checked.advisories)
    out_.info(f"{case}: valid ({n} piece{'s' if n != 1 else ''} of advice)")


@main.command(short_help="Delete a case's outputs once its retention period has passed.")
@CASE
@out_option("The case's output folder (default: out/<the case's reference>).")
@CONFIG
@click.option("--dry-run", is_flag=True, help="Show what would be deleted; delete nothing.")
def purge(case: Path, out: Path | None, config: Path | None, dry_run: bool) -> None:
    """Delete every output of CASE once its retention period has passed.

    The period runs from dates.recruitment_closed for retention.months. Everything the
    folder's manifest lists goes (documents, PDFs, returned scoresheets and summaries
    stored with it, docgen's backups); a record without personal data stays.

    \b
    Example:
      docgen purge case.yaml --dry-run
    """
    from docgen.retention.purging import purge as run  # noqa: PLC0415

    out_ = console()
    try:
        result = run(case, out, config=config, dry_run=dry_run)
    except DocgenError as e:
        out_.fail(e)
    verb = "would delete" if dry_run else "deleted"
    for rel in result.deleted:
        out_.info(f"  {verb} {rel}")
    for rel in result.backups:
        out_.info(f"  {verb} {rel}/ (a backup folder)")
    n, b = len(result.deleted), len(result.backups)
    out_.info(f"{verb} {n} file{'s' if n != 1 else ''} and {b} backup folder"
               f"{'s' if b != 1 else ''} of case {result.reference} from {result.out} "
               f"(retention ended {result.ended.isoformat()})")
    if not dry_run:
        out_.info(f"a record without personal data is in {result.out / 'purged.json'}")
    if result.left:
        out_.info(f"left {len(result.left)} file(s) docgen did not write; check them "
                   "yourself:")
        for rel in result.left:
            out_.info(f"  {rel}")
    if result.consented:
        out_.note(
            f"{result.consented} applicant(s) consented to their application being kept for "
            f"future posts ({result.consent_months} months). docgen keeps no applications: "
            "if HR keeps them, they are outside this folder and must be deleted when that "
            "period ends.")


# The panel's scoresheets back in (collect); tools for consultants and HR officers:
# starter case, JSON Schema, templates, settings.
from docgen.cli.scores import collect  # noqa: E402
from docgen.cli.settings import config  # noqa: E402
from docgen.cli.tools import init, schema, templates  # noqa: E402

main.add_command(collect)
main.add_command(init)
main.add_command(templates)
main.add_command(config)
main.add_command(schema)
