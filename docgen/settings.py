"""Settings: the shipped defaults in ``configs/``, an organisation's file laid over them.

Mappings merge key by key and lists are replaced whole, so an organisation can swap
the criteria without restating the scale. Templates resolve the same way, per file:
an organisation's template folder first, then the shipped one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from docgen.errors import ConfigError, Issue
from docgen.limits import Limits
from docgen.loading import issues_from_validation, sort_issues
from docgen.yamlio import SourceMap, load_yaml

_PACKAGE = Path(__file__).resolve().parent


def data_root() -> Path:
    """Folder holding ``templates/`` and ``configs/``: inside the wheel, or the repository."""
    installed = _PACKAGE / "_data"
    return installed if installed.is_dir() else _PACKAGE.parent


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RetentionSettings(_Model):
    """Retention of applications."""

    default_months: int = Field(ge=1, description="Months kept when the case does not say.")
    max_months: int = Field(ge=1, description="Longest allowed retention; longer is an error.")


class AdvisorySettings(_Model):
    """Thresholds for advice from the guide."""

    hours_min: float = Field(description="Fewest advised hours per week.")
    hours_max: float = Field(description="Most advised hours per week.")
    panel_max: int = Field(description="Most advised panel members.")
    interview_max_minutes: int = Field(description="Longest advised interview.")


class PdfSettings(_Model):
    """PDF conversion with LibreOffice."""

    enabled: bool = Field(False, description="Make PDFs in every build, as with --pdf.")
    timeout_seconds: float = Field(180, gt=0, description="Time limit per LibreOffice batch.")
    soffice: str | None = Field(None, description="Path to soffice when it is not on PATH.")


class LetterSettings(_Model):
    """How letters address the applicant."""

    greeting: Literal["first-name", "full-name"] = Field(
        "first-name",
        description="'first-name' greets 'Kære Søren', 'full-name' greets 'Kære Søren Østergaard'.",
    )


class Scale(_Model):
    """An anchored scale: one label per whole step from ``min`` to ``max``."""

    min: int
    max: int
    labels: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _labels_match(self) -> Scale:
        if self.max <= self.min:
            msg = "max must be greater than min"
            raise ValueError(msg)
        if self.labels and len(self.labels) != self.max - self.min + 1:
            msg = f"needs one label per step: {self.max - self.min + 1} labels"
            raise ValueError(msg)
        return self


class Criterion(_Model):
    """An interview criterion with suggested questions."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")
    label: str
    description: str = ""
    questions: list[str] = Field(default_factory=list)


class Spoke(_Model):
    """A role-star spoke (task area)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")
    label: str
    description: str = ""


class RoleStarSettings(_Model):
    """Role-star spokes and scale."""

    scale: Scale
    spokes: list[Spoke] = Field(min_length=3)


class Question(_Model):
    """A readiness question."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")
    theme: str = ""
    text: str


class Band(_Model):
    """An interpretation band for the readiness total."""

    min: int
    max: int
    label: str
    colour: str = Field(pattern=r"^[0-9A-Fa-f]{6}$")


class ReadinessSettings(_Model):
    """Readiness questions, motivation questions, scale and bands."""

    scale: Scale
    questions: list[Question] = Field(min_length=1)
    motivation: list[Question] = Field(default_factory=list)
    bands: list[Band] = Field(min_length=1)


class IntroItem(_Model):
    """One thing to do for a new peer worker's introduction."""

    text: str
    who: str = ""
    due_days: int | None = Field(None, ge=-365, le=365)
    """Days after the first working day it should be done by (negative: before)."""
    at_review: bool = False
    """Due on the review date of the function description instead."""


class IntroPhase(_Model):
    """A phase of the introduction plan (before the first day, the first day, …)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")
    label: str
    items: list[IntroItem] = Field(min_length=1)


class JobStartSettings(_Model):
    """Defaults for the job-start documents."""

    review_after_months: int = Field(3, ge=1, le=24)
    introduction: list[IntroPhase] = Field(min_length=1)


class CollectSettings(_Model):
    """Reading returned scoresheets and writing the panel's summary (``docgen collect``)."""

    spread_threshold: int = Field(
        2, ge=1, description="Flag a criterion when the panel's scores differ by this much."
    )
    template: str = Field(
        "xlsx/scoreark_oversigt.xlsx", description="The summary's template (xlsx/...)."
    )
    output: str = Field(
        "scoreark_oversigt.xlsx", description="The summary's path inside the output folder."
    )
    readable_template_versions: list[str] = Field(
        default_factory=list,
        description="Older scoresheet template versions collect still reads "
        "(the current template_version always is).",
    )


class DocumentSpec(_Model):
    """One document kind the build makes (an entry of ``configs/documents.yaml``)."""

    # Any slug: a new document is a template and an entry, with no code to change.
    kind: str = Field(pattern=r"^[a-z][a-z0-9-]{0,39}$")
    template: str | None = None
    output: str
    for_: Literal["case", "panel", "applicant"] = Field("case", alias="for")
    select: (
        Literal["rejected", "rejected-interviewed", "rejected-not-interviewed", "hired"] | None
    ) = None
    variant: Literal["interviewed", "not-interviewed"] | None = None
    combine: str | None = None
    charts: list[dict[str, Any]] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Settings(_Model):
    """Everything configurable, after layering."""

    template_version: str
    retention: RetentionSettings
    advisories: AdvisorySettings
    pdf: PdfSettings = PdfSettings()
    limits: Limits = Limits()
    letters: LetterSettings = LetterSettings()
    collect: CollectSettings = CollectSettings()
    scale: Scale
    recommendations: list[str] = Field(min_length=2)
    criteria: list[Criterion] = Field(min_length=1)
    role_star: RoleStarSettings
    readiness: ReadinessSettings
    job_start: JobStartSettings
    labels: dict[str, dict[str, str]] = Field(default_factory=dict)
    documents: list[DocumentSpec] = Field(min_length=1)
    template_dirs: list[Path] = Field(default_factory=list)


def _merge(base: Any, over: Any) -> Any:
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for key, value in over.items():
            out[key] = _merge(base[key], value) if key in base else value
        return out
    return over


def _load_raw(path: Path, name: str, issues: list[Issue]) -> tuple[dict[str, Any], SourceMap]:
    loaded, found = load_yaml(path, display_name=name)
    issues.extend(found)
    if loaded is None:
        return {}, SourceMap()
    if not isinstance(loaded.data, dict):
        issues.append(Issue(name, 1, 1, "", "the file must be a mapping of 'key: value' lines"))
        return {}, loaded.source
    return loaded.data, loaded.source


SHIPPED = ("defaults.yaml", "documents.yaml")


def _layered(
    config: Path | None,
) -> tuple[dict[str, Any], list[tuple[str, SourceMap, dict[str, Any]]]]:
    """The shipped files with ``config`` laid over them, as plain YAML data."""
    root = data_root()
    issues: list[Issue] = []
    layers = [(root / "configs" / name, f"configs/{name}") for name in SHIPPED]
    if config is not None:
        layers.append((config, str(config)))
    merged: dict[str, Any] = {}
    files: list[tuple[str, SourceMap, dict[str, Any]]] = []
    for path, name in layers:
        data, source = _load_raw(path, name, issues)
        merged = _merge(merged, data)
        files.append((name, source, data))
    if issues:
        raise ConfigError("The configuration has problems.", sort_issues(issues))
    return merged, files


def _validated(merged: dict[str, Any], files: list[tuple[str, SourceMap, dict[str, Any]]],
               template_dirs: list[Path]) -> Settings:
    try:
        return Settings.model_validate({**merged, "template_dirs": template_dirs})
    except ValidationError as e:
        raise ConfigError(
            "The configuration has problems.", sort_issues(_locate(e, files))
        ) from None


def load_settings(config: Path | None = None, templates: Path | None = None) -> Settings:
    """Load the defaults, lay ``config`` over them and put ``templates`` first in line."""
    merged, files = _layered(config)
    dirs = [templates] if templates is not None else []
    return _validated(merged, files, [*dirs, data_root() / "templates"])


def config_text(config: Path | None = None, *, defaults: bool = False) -> str:
    """The configuration as YAML, for ``docgen config show``.

    With ``defaults``, the shipped files as they are, comments and all (a consultant's
    starting point). Otherwise the effective settings: the defaults with ``config``
    laid over them, checked first (a ConfigError lists every problem), in a form that
    works as a ``--config`` file itself.
    """
    root = data_root()
    if defaults:
        parts = []
        for name in SHIPPED:
            text = (root / "configs" / name).read_text(encoding="utf-8")
            parts.append(f"# ---- configs/{name} (shipped with docgen)\n{text.rstrip()}\n")
        return "\n".join(parts)
    merged, files = _layered(config)
    settings = _validated(merged, files, [root / "templates"])
    typed = settings.model_dump(mode="json", by_alias=True, exclude={"template_dirs"})
    origin = f"the shipped defaults with {config} laid over them" if config else (
        "the shipped defaults")
    head = (f"# docgen's effective settings: {origin}.\n"
            "# Keep only what you change in your own file and pass it with --config.\n")
    return head + yaml.safe_dump(typed, allow_unicode=True, sort_keys=False, width=100)


def _locate(
    exc: ValidationError, files: list[tuple[str, SourceMap, dict[str, Any]]]
) -> list[Issue]:
    """Blame the last layer that sets the failing path (or its nearest parent)."""
    out: list[Issue] = []
    for err in exc.errors(include_input=False, include_url=False):
        loc = tuple(err["loc"])
        for name, source, data in reversed(files):
            if _has(data, loc[:1]):
                out.extend(issues_from_validation(Settings, [err], source, name))
                break
        else:
            out.append(Issue(files[0][0], None, None, ".".join(map(str, loc)), err["msg"]))
    return out


def _has(data: dict[str, Any], loc: tuple[Any, ...]) -> bool:
    return bool(loc) and loc[0] in data


def find_template(settings: Settings, relative: str) -> Path | None:
    """Return the first existing template for ``relative`` along the template folders."""
    for folder in settings.template_dirs:
        candidate = folder / relative
        if candidate.is_file():
            return candidate
    return None
