"""The building blocks of the case model: the strict base, addresses and people.

Every model of the case derives from :class:`Model`: unknown keys are errors, nothing is
coerced silently, and numbers are read as written (plain digits only).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from docgen.case.values import (
    ONE_LINE_ADDRESS,
    Email,
    Line,
    Phone,
    PostalCode,
    is_numeric,
    plain_number,
)


class Model(BaseModel):
    """Base of every case model: unknown keys are errors, values are never coerced silently."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)

    @field_validator("*", mode="before")
    @classmethod
    def _numbers_as_written(cls, value: Any, info: ValidationInfo) -> Any:
        """Numbers, also inside lists and mappings, are plain digits (see _PLAIN_NUMBER)."""
        field = cls.model_fields.get(info.field_name or "")
        if field is None:
            return value
        annotation = field.annotation
        if is_numeric(annotation):
            return plain_number(value)
        inner = getattr(annotation, "__args__", ())
        if isinstance(value, dict) and inner and is_numeric(inner[-1]):
            for item in value.values():
                plain_number(item)
        return value


class Address(Model):
    """A postal address: street, postal_code and city, or one line 'Vejnavn 1, 7500 By'."""

    street: Line = Field(description="Street and number, e.g. 'Skovagervej 2'.")
    postal_code: PostalCode = Field(
        description="Four-digit Danish postal code, e.g. '8240' (a leading 'DK-' is allowed)."
    )
    city: Line = Field(description="Town or city, e.g. 'Risskov'.")

    @model_validator(mode="before")
    @classmethod
    def _one_line(cls, data: Any) -> Any:
        # HR offices copy addresses as one line; split it rather than refuse it.
        if isinstance(data, str):
            found = ONE_LINE_ADDRESS.match(data.strip())
            if found is None:
                msg = (
                    "write the address as 'Vejnavn 1, 7500 By' or as street, postal_code "
                    "and city on lines of their own"
                )
                raise ValueError(msg)
            return found.groupdict()
        return data


class Person(Model):
    """A named person with a job title."""

    name: Line = Field(description="Full name.")
    title: Line = Field(description="Job title in lower case, e.g. 'afdelingsleder'.")


class Contact(Person):
    """The person applicants may call or write to."""

    phone: Phone | None = Field(None, description="Phone number, e.g. '+45 78 47 00 00'.")
    email: Email | None = Field(None, description="E-mail address.")
