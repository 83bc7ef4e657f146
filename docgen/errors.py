"""One error hierarchy for everything a user can cause.

Only ``cli.py`` catches these; any other exception is a bug and shows a traceback.
Messages never carry values from the case file: they may be health data.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem at one place, printed as ``file:line:col: field: message``."""

    file: str
    line: int | None
    col: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}:{self.col or 1}"
        field = f" {self.field}:" if self.field else ""
        return f"{where}:{field} {self.message}"


@dataclass(frozen=True)
class Advisory:
    """Advice from the guide where a case departs from it (an error under --strict)."""

    code: str
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        """Return the manifest form."""
        return {"code": self.code, "field": self.field, "message": self.message}


class DocgenError(Exception):
    """Base of every error a user can cause; the CLI prints it and exits 1."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def lines(self) -> list[str]:
        """Return the lines the CLI prints."""
        out = [self.message]
        if self.hint:
            out.append(f"hint: {self.hint}")
        return out


class IssuesError(DocgenError):
    """An error carrying a list of located issues, all reported together."""

    def __init__(self, message: str, issues: list[Issue], hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.issues = issues

    def lines(self) -> list[str]:
        """Return one line per issue, then the summary."""
        out = [str(i) for i in self.issues]
        out.extend(super().lines())
        return out


class CaseError(IssuesError):
    """The case file cannot be read or does not match the schema."""


class ConfigError(IssuesError):
    """A configuration file cannot be read or does not match its schema."""


class TemplateError(IssuesError):
    """A template is missing, broken or uses something that does not exist."""


class RenderError(DocgenError):
    """A document failed while rendering."""


class OutputError(DocgenError):
    """The output folder cannot be written."""


class RetentionError(DocgenError):
    """The case's retention period forbids the command (or its end is not known yet)."""


class ConversionError(DocgenError):
    """LibreOffice is missing, hung, or produced a bad PDF."""


class ReadError(IssuesError):
    """A returned workbook cannot be read or trusted."""
