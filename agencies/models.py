"""Agencies as the rest of Sett sees them."""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated

import us
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from agencies.errors import InvalidInput
from agencies.text import line

ORI_PATTERN = re.compile(r"^[A-Z0-9]{9}$")


def _folded(name: str) -> str:
    return " ".join(name.split()).casefold()


_POSTAL_CODES = {
    key: str(state.abbr)
    for state in us.states.STATES_AND_TERRITORIES
    for key in (_folded(state.abbr), _folded(state.name))
}


def state_code(text: str) -> str:
    """A state, DC or territory as its postal code, from its code or its name in any case: `wa`, `Washington`.

    Only exact names: `us.states.lookup` also matches by sound, and a filter on "Texes" or "Iowa" misheard
    as another state would list another state's agencies without a word."""
    found = _POSTAL_CODES.get(_folded(text))
    if found is None:
        raise InvalidInput(f"no U.S. state or territory {text!r}; use its postal code, such as WA")
    return found


class AgencyLevel(StrEnum):
    FEDERAL = "FEDERAL"
    STATE = "STATE"
    LOCAL = "LOCAL"
    TRIBAL = "TRIBAL"


class AgencySource(StrEnum):
    FBI_CDE = "FBI_CDE"
    """The FBI Crime Data Explorer agency list."""
    SETT_FEDERAL = "SETT_FEDERAL"
    """Sett's own list of federal components, which the FBI list does not hold."""


class Coordinates(BaseModel):
    model_config = ConfigDict(frozen=True)

    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)


def _blank_is_none(value: object) -> object:
    """A phone or e-mail left empty is no phone or e-mail, as a form means it."""
    return None if isinstance(value, str) and not value.strip() else value


class PointOfContact(BaseModel):
    """Whom to call. Checked as entered; the graph reads stored contacts back without checking them again
    (`graph.stored`), so a rule tightened later never hides a case behind its old contact."""

    model_config = ConfigDict(frozen=True)

    name: Annotated[str, line(200)]
    phone: Annotated[Annotated[str, line(40)] | None, BeforeValidator(_blank_is_none)] = None
    email: Annotated[Annotated[str, line(200)] | None, BeforeValidator(_blank_is_none)] = None


class Agency(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    """A 9-character ORI, or an ORI-style code for agencies without one."""
    name: str = Field(min_length=1)
    level: AgencyLevel
    source: AgencySource
    state: str | None = Field(default=None, pattern=r"^[A-Z]{2}$")
    county: str | None = None
    agency_type: str | None = None
    coordinates: Coordinates | None = None
    nibrs: bool | None = None
    nibrs_start_date: date | None = None
    point_of_contact: PointOfContact | None = None

    @field_validator("id")
    @classmethod
    def _ori_style(cls, value: str) -> str:
        if not ORI_PATTERN.fullmatch(value):
            raise ValueError(f"agency id {value!r} is not 9 upper-case letters or digits")
        return value
