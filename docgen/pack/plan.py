"""Plan the build: which documents to make, for whom, from which template, to which path.

Everything here follows ``configs/documents.yaml``; code never names a template.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docgen.case.model import Applicant, Case
from docgen.errors import Issue, TemplateError
from docgen.settings import DocumentSpec, Settings, find_template
from docgen.templates.context import applicant_context, member_context


@dataclass
class Job:
    """One document to render."""

    spec: DocumentSpec
    template: Path | None
    path: str
    context: dict[str, Any]
    recipient: str | None = None
    variant: str | None = None
    expected_texts: list[str] = field(default_factory=list)

    def record(self, path: str, data: bytes, source: str | None = None) -> dict[str, Any]:
        """The manifest entry of this job's output at ``path`` (or of its PDF, with source)."""
        rec: dict[str, Any] = {
            "kind": self.spec.kind,
            "path": path,
            "sha256": hashlib.sha256(data).hexdigest(),
            "recipient": self.recipient,
        }
        if self.variant:
            rec["variant"] = self.variant
        if source:
            rec["source"] = source
        return rec


@dataclass
class Skip:
    """A document kind not built, and why."""

    kind: str
    reason: str
    variant: str | None = None

    def as_dict(self) -> dict[str, str]:
        """Return the manifest form."""
        out = {"kind": self.kind, "reason": self.reason}
        if self.variant:
            out["variant"] = self.variant
        return out


@dataclass
class Plan:
    """The jobs of a build, in order, and the kinds skipped."""

    jobs: list[Job]
    skipped: list[Skip]


def _select(case: Case, spec: DocumentSpec) -> tuple[list[Applicant], str | None]:
    """Applicants a per-applicant document is for, or the reason there are none."""
    rejected = [a for a in case.applicants if a.outcome == "rejected"]
    hired = any(a.outcome == "hired" for a in case.applicants)
    if spec.select == "rejected-interviewed":
        chosen = [a for a in rejected if a.interviewed]
        why = "no interviewed applicant is rejected"
    elif spec.select == "rejected-not-interviewed":
        chosen = [a for a in rejected if not a.interviewed]
        why = "no applicant who was not interviewed is rejected"
        if chosen and not hired:
            return [], (
                "nobody is hired yet: letters to applicants who were not interviewed "
                "are sent once the hiring is settled"
            )
    else:
        chosen = rejected
        why = "no applicant is rejected"
    return chosen, (None if chosen else why)


def _template(settings: Settings, spec: DocumentSpec, missing: list[Issue]) -> Path | None:
    if spec.template is None:
        return None
    found = find_template(settings, spec.template)
    if found is None:
        missing.append(
            Issue(
                "configs/documents.yaml",
                None,
                None,
                f"documents.{spec.kind}",
                f"template '{spec.template}' not found in any template folder",
            )
        )
    return found


def _paths(pattern: str, people: list[tuple[str, str]]) -> list[str]:
    """Output paths for per-recipient documents: ``FOLDER/{id}_{slug}.EXT`` made safe."""
    from docgen.pack.naming import assign_paths  # noqa: PLC0415

    folder = pattern.rsplit("/", 1)[0] if "/" in pattern else ""
    ext = "." + pattern.rsplit(".", 1)[-1]
    return list(assign_paths([(folder, pid, name) for pid, name in people], ext))


def make_plan(case: Case, settings: Settings, base: dict[str, Any]) -> Plan:
    """Expand the configured documents into jobs for this case."""
    jobs: list[Job] = []
    skipped: list[Skip] = []
    missing: list[Issue] = []
    for spec in settings.documents:
        template = _template(settings, spec, missing)
        if spec.combine:
            if not any(j.spec.kind == spec.combine for j in jobs):
                skipped.append(Skip(spec.kind, f"there are no documents of kind {spec.combine}"))
                continue
            jobs.append(Job(spec, None, spec.output, base))
        elif spec.for_ == "case":
            jobs.append(
                Job(spec, template, spec.output, base, expected_texts=[case.organisation.name])
            )
        elif spec.for_ == "panel":
            if not case.panel:
                skipped.append(Skip(spec.kind, "the case lists no panel members"))
                continue
            paths = _paths(spec.output, [(m.id, m.name) for m in case.panel])
            for member, path in zip(case.panel, paths, strict=True):
                jobs.append(
                    Job(
                        spec,
                        template,
                        path,
                        member_context(base, case, member),
                        recipient=member.id,
                        expected_texts=[member.name],
                    )
                )
        else:
            chosen, why = _select(case, spec)
            if spec.kind == "phone-guide" and not case.decision.phone_calls:
                why = "the case plans no phone calls (decision.phone_calls: no)"
            if why:
                skipped.append(Skip(spec.kind, why, spec.variant))
                continue
            paths = _paths(spec.output, [(a.id, a.name) for a in chosen])
            for applicant, path in zip(chosen, paths, strict=True):
                ctx = applicant_context(base, applicant, spec.variant)
                jobs.append(
                    Job(
                        spec,
                        template,
                        path,
                        ctx,
                        recipient=applicant.id,
                        variant=spec.variant,
                        expected_texts=[applicant.name],
                    )
                )
    if missing:
        raise TemplateError("Templates are missing.", missing)
    return Plan(_unique(jobs), skipped)


def _unique(jobs: list[Job]) -> list[Job]:
    seen: set[str] = set()
    for job in jobs:
        key = job.path.casefold()
        if key in seen:
            msg = f"two documents would be written to the same path '{job.path}'"
            raise TemplateError(
                msg,
                [
                    Issue(
                        "configs/documents.yaml",
                        None,
                        None,
                        f"documents.{job.spec.kind}.output",
                        msg,
                    )
                ],
            )
        seen.add(key)
    return jobs
