"""Identifiers and their normalisation: when two records hold "the same phone", "the same person", "the same ad".

`normalise(kind, raw)` turns what an analyst typed or pasted into an `Identifier` whose `value` is the matching key:
the graph holds one Identifier node per (kind, value), and two inputs match exactly when their values are equal.
`raw` is a string or, for identifiers with parts, a mapping of the fields named below. The key form is always
accepted as a string, so normalising a value again gives the same value.

kind            string forms; mapping fields                               value
PHONE           a number, written any way                                  `+16125550147`
EMAIL           an address                                                 `jane.doe@example.org`
PERSON          `name|YYYY-MM-DD`; name, date_of_birth (date or ISO text)  `garcia jose nunez|1990-04-02`
ADDRESS         a one-line US address;                                     `123 MAIN ST APT 4, MINNEAPOLIS, MN 55401`
                address_line_1, address_line_2, city, state, postal_code
VEHICLE         `state:plate`; state, plate                                `WA:ABC1234`
ONLINE_AD       a URL or `platform:ad_id`; url, or platform and ad_id      `backpage.com:12345`
ONLINE_ACCOUNT  `platform:handle`; platform, handle                        `instagram:somehandle`

Input that cannot be normalised raises `InvalidIdentifier` saying which kind and what was wrong.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit, urlunsplit

import phonenumbers
import us
from phonenumbers import NumberParseException, PhoneNumberFormat, ValidationResult
from scourgify import normalize_address_record
from scourgify.exceptions import (
    AddressNormalizationError,
    AddressValidationError,
    AmbiguousAddressError,
    IncompleteAddressError,
    UnParseableAddressError,
)

from cases.errors import InvalidIdentifier

DEFAULT_REGION = "US"
MAX_INPUT = 1_000


class IdentifierKind(StrEnum):
    PHONE = "PHONE"
    EMAIL = "EMAIL"
    PERSON = "PERSON"
    ADDRESS = "ADDRESS"
    VEHICLE = "VEHICLE"
    ONLINE_AD = "ONLINE_AD"
    ONLINE_ACCOUNT = "ONLINE_ACCOUNT"


@dataclass(frozen=True, slots=True)
class Identifier:
    """`value` is the matching key; `display` is a readable form of this input and takes no part in equality."""

    kind: IdentifierKind
    value: str
    display: str = field(compare=False)


def normalise(kind: IdentifierKind | str, raw: str | Mapping[str, object], *, today: date | None = None) -> Identifier:
    """The identifier `raw` stands for; `today` (default: the current date) bounds a person's date of birth."""
    try:
        kind = IdentifierKind(str(kind).upper())
    except ValueError:
        raise InvalidIdentifier(str(kind), f"unknown kind; use one of {', '.join(IdentifierKind)}") from None
    match kind:
        case IdentifierKind.PHONE:
            identifier = _phone(_text(kind, raw))
        case IdentifierKind.EMAIL:
            identifier = _email(_text(kind, raw))
        case IdentifierKind.PERSON:
            name, born = _fields(kind, raw, "name", "date_of_birth", sep="|")
            identifier = _person(name, born, today or date.today())
        case IdentifierKind.ADDRESS:
            identifier = _address(_text(kind, raw) if isinstance(raw, str) else _fields(kind, raw, *_ADDRESS_FIELDS))
        case IdentifierKind.VEHICLE:
            state, plate = _fields(kind, raw, "state", "plate")
            identifier = _vehicle(plate, state)
        case IdentifierKind.ONLINE_AD if _is_url(raw):
            identifier = _ad_url(*_fields(kind, raw, "url"))
        case IdentifierKind.ONLINE_AD:
            platform, ad_id = _fields(kind, raw, "platform", "ad_id")
            identifier = _online_ad(platform, ad_id)
        case IdentifierKind.ONLINE_ACCOUNT:
            platform, handle = _fields(kind, raw, "platform", "handle")
            identifier = _online_account(platform, handle)
    return identifier


def _is_url(raw: str | Mapping[str, object]) -> bool:
    return "/" in raw if isinstance(raw, str) else "url" in raw


def _text(kind: IdentifierKind, raw: object) -> str:
    if not isinstance(raw, str):
        raise InvalidIdentifier(kind, "give it as text")
    if len(raw) > MAX_INPUT:
        raise InvalidIdentifier(kind, f"longer than {MAX_INPUT} characters")
    return raw


def _fields(kind: IdentifierKind, raw: str | Mapping[str, object], *names: str, sep: str = ":") -> list[str]:
    """The named parts of `raw`, from a `sep`-joined string or a mapping; absent parts are empty strings."""
    if isinstance(raw, str):
        parts = _text(kind, raw).split(sep, len(names) - 1)
        if len(parts) != len(names):
            raise InvalidIdentifier(kind, f"give it as {sep.join(names)}")
        return parts
    if unknown := sorted(set(raw) - set(names)):
        raise InvalidIdentifier(kind, f"unknown fields {', '.join(unknown)}; expected {', '.join(names)}")
    parts = []
    for name in names:
        part = raw.get(name)
        if isinstance(part, datetime):
            part = part.date()
        if isinstance(part, date):
            part = part.isoformat()
        if part is not None and not isinstance(part, str):
            raise InvalidIdentifier(kind, f"{name} must be text")
        parts.append(_text(kind, part or ""))
    return parts


_POSSIBLE = {
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY: "it has no area code",
    ValidationResult.INVALID_COUNTRY_CODE: "its country code does not exist",
    ValidationResult.TOO_SHORT: "it has too few digits",
    ValidationResult.TOO_LONG: "it has too many digits",
    ValidationResult.INVALID_LENGTH: "it has the wrong number of digits for its country",
}
_UNPARSEABLE = {
    NumberParseException.INVALID_COUNTRY_CODE: "its country code does not exist",
    NumberParseException.TOO_SHORT_AFTER_IDD: "it has too few digits after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "it has too few digits",
    NumberParseException.TOO_LONG: "it has too many digits",
}


def _phone(raw: str) -> Identifier:
    """E.164 by `phonenumbers`, numbers without a country code read as US; any extension is dropped."""
    kind = IdentifierKind.PHONE
    try:
        number = phonenumbers.parse(raw, DEFAULT_REGION)
    except NumberParseException as error:
        raise InvalidIdentifier(kind, _UNPARSEABLE.get(error.error_type, "it is not a phone number")) from None
    possible = phonenumbers.is_possible_number_with_reason(number)
    if possible != ValidationResult.IS_POSSIBLE:
        raise InvalidIdentifier(kind, _POSSIBLE.get(possible, "it is not a possible phone number"))
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier(kind, "no such number exists in its country's numbering plan")
    number.extension = None
    return Identifier(
        kind,
        phonenumbers.format_number(number, PhoneNumberFormat.E164),
        phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
    )


_NOT_IN_EMAIL = frozenset('<>()[],;:\\"')


def _email(raw: str) -> Identifier:
    """Trimmed and case-folded. Checked: exactly one `@`, something before it, no whitespace, none of
    `< > ( ) [ ] , ; : \\ "`, and a domain of at least two non-empty dot-separated labels; at most 254 characters.
    """
    kind = IdentifierKind.EMAIL
    value = raw.strip().casefold()
    local, _, domain = value.partition("@")
    if value.count("@") != 1:
        raise InvalidIdentifier(kind, "an e-mail address has exactly one @")
    if not local:
        raise InvalidIdentifier(kind, "nothing comes before the @")
    if any(c.isspace() for c in value):
        raise InvalidIdentifier(kind, "it contains spaces")
    if _NOT_IN_EMAIL & set(value):
        raise InvalidIdentifier(kind, "it contains characters an address cannot have unquoted")
    if len(domain.split(".")) < 2 or not all(domain.split(".")):
        raise InvalidIdentifier(kind, "the domain after the @ needs a dot, as in example.org")
    if len(value) > 254:
        raise InvalidIdentifier(kind, "it is longer than 254 characters")
    return Identifier(kind, value, value)


def _person(name: str, born: str, today: date) -> Identifier:
    """Name tokens + date of birth, as `tokens|YYYY-MM-DD`.

    The name: if it has exactly one comma, the part before it moves to the end ("Garcia, Jose" -> "Jose Garcia");
    then it is case-folded, decomposed (NFKD) with combining marks dropped ("Núñez" -> "nunez"), every character that
    is not a letter or digit (hyphens, apostrophes, dots, other commas) becomes a space, and the words are sorted and
    joined by single spaces, so that word order and spacing do not matter: "José  Núñez-García", "JOSE NUNEZ GARCIA"
    and "Garcia, Jose Nunez" are all "garcia jose nunez". The date of birth is required and not after `today`.
    """
    kind = IdentifierKind.PERSON
    try:
        date_of_birth = date.fromisoformat(born.strip())
    except ValueError:
        raise InvalidIdentifier(kind, "a date of birth (YYYY-MM-DD) is required") from None
    if date_of_birth > today:
        raise InvalidIdentifier(kind, "the date of birth is in the future")
    if name.count(",") == 1:
        last, first = name.split(",")
        name = f"{first} {last}"
    name = " ".join(name.split())
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    plain = "".join(" " if not c.isalnum() else c for c in decomposed if not unicodedata.combining(c))
    if not (words := sorted(plain.split())):
        raise InvalidIdentifier(kind, "the name has no letters")
    born_on = date_of_birth.isoformat()
    return Identifier(kind, f"{' '.join(words)}|{born_on}", f"{name} (born {born_on})")


_ADDRESS_FIELDS = ("address_line_1", "address_line_2", "city", "state", "postal_code")
_ADDRESS_REASONS: dict[type[AddressNormalizationError], str] = {
    UnParseableAddressError: "it could not be split into street, unit, city, state and ZIP code",
    AmbiguousAddressError: "parts of it can be read more than one way",
    IncompleteAddressError: "it needs a street line and either a city and state or a ZIP code",
    AddressValidationError: "the ZIP code is not five digits or ZIP+4",
    AddressNormalizationError: "it names a unit type (Apt, Suite, ...) without a unit number",
}


def _address(raw: str | list[str]) -> Identifier:
    """A US address normalised by usaddress-scourgify (USPS abbreviations, upper case, unit kept), one line:
    `STREET UNIT, CITY, ST ZIP`, where the ZIP is its first five digits. Line breaks in a pasted address count as
    commas. It needs a city and state, or a ZIP code, and the state must be one the `us` package knows.
    """
    kind = IdentifierKind.ADDRESS
    if isinstance(raw, str):
        record: str | dict[str, str | None] = ", ".join(line.strip() for line in raw.splitlines() if line.strip())
    else:
        record = {name: " ".join(part.split()) or None for name, part in zip(_ADDRESS_FIELDS, raw, strict=True)}
    try:
        parts = normalize_address_record(record, strict=False)
    except AddressNormalizationError as error:
        reason = _ADDRESS_REASONS.get(type(error), "it could not be read as a US address")
        raise InvalidIdentifier(kind, reason) from None
    city, state, postal_code = parts["city"], parts["state"], (parts["postal_code"] or "")[:5]
    if not ((city and state) or postal_code):
        raise InvalidIdentifier(kind, "it needs a city and state, or a ZIP code")
    if state and us.states.lookup(state) is None:
        raise InvalidIdentifier(kind, "the state is not a US state, DC or territory")
    street = " ".join(p for p in (parts["address_line_1"], parts["address_line_2"]) if p)
    value = ", ".join(p for p in (street, city, " ".join(p for p in (state, postal_code) if p)) if p)
    return Identifier(kind, value, value)


def _vehicle(plate: str, state: str) -> Identifier:
    """`ST:PLATE`: the state (a name or postal code, DC and territories included) by the `us` package as its postal
    code; the plate upper-cased without spaces, dashes and dots, 1 to 8 letters and digits.
    """
    kind = IdentifierKind.VEHICLE
    state = " ".join(state.replace(".", "").split())
    found = us.states.lookup(state) if state and not state.isdigit() else None
    if found is None:
        raise InvalidIdentifier(kind, "the state must be a US state, DC or territory, by name or postal code")
    compact = re.sub(r"[\s.-]", "", plate.upper())
    if not re.fullmatch(r"[A-Z0-9]{1,8}", compact):
        raise InvalidIdentifier(kind, "a plate is 1 to 8 letters and digits")
    return Identifier(kind, f"{found.abbr}:{compact}", f"{compact} ({found.name})")


_TRACKING = frozenset({"fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "twclid"})
_TRACKING |= {"mc_cid", "mc_eid", "_ga", "_gl", "ref", "ref_src", "ref_url", "referrer", "source", "src", "si"}
_AD_ID_PARAMETERS = ("id", "adid", "ad_id", "ad", "postid", "post_id")
_SECOND_LEVEL = frozenset({"co", "com", "net", "org", "gov", "ac"})


def _site(host: str) -> str | None:
    """The registrable part of a host name: `seattle.backpage.com` and `www.backpage.com` are `backpage.com`."""
    labels = host.strip().strip(".").casefold().removeprefix("www.").split(".")
    if len(labels) < 2 or not all(re.fullmatch(r"[a-z0-9-]+", label) for label in labels):
        return None
    country_second_level = len(labels) > 2 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL
    return ".".join(labels[-3:] if country_second_level else labels[-2:])


def _ad_url(url: str) -> Identifier:
    """A pasted ad URL: tracking parameters (utm_*, fbclid, gclid, ref, ...) go, the platform is the host's site
    (`_site`), and the ad id is an `id`-like query parameter if there is one, else the last path segment without
    a file extension (`/escorts/new-in-town/12345.html` -> `12345`). `display` is the cleaned URL.
    """
    kind = IdentifierKind.ONLINE_AD
    text = url.strip()
    try:
        parts = urlsplit(text if "://" in text else f"https://{text}")
        host = parts.hostname
    except ValueError:
        raise InvalidIdentifier(kind, "it is not a URL") from None
    if parts.scheme not in {"http", "https"} or not host:
        raise InvalidIdentifier(kind, "it is not a web address")
    query = [
        (key, part)
        for key, part in parse_qsl(parts.query, keep_blank_values=True)
        if not key.casefold().startswith("utm_") and key.casefold() not in _TRACKING
    ]
    segments = [segment for segment in unquote(parts.path).split("/") if segment]
    from_path = re.sub(r"\.(html?|php|aspx?|jsp|cfm)$", "", segments[-1], flags=re.IGNORECASE) if segments else ""
    ad_id = next((part for key, part in query if key.casefold() in _AD_ID_PARAMETERS and part), from_path)
    clean = urlunsplit((parts.scheme, host, parts.path, urlencode(query), ""))
    return replace(_online_ad(host, ad_id), display=clean)


def _online_ad(platform: str, ad_id: str) -> Identifier:
    """`site:id`: the platform as its site (`_site`), the ad id trimmed and case-folded, letters, digits, - and _."""
    kind = IdentifierKind.ONLINE_AD
    site = _site(platform)
    if site is None:
        raise InvalidIdentifier(kind, "the platform must be the site's domain name, such as backpage.com")
    ad = ad_id.strip().casefold()
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", ad):
        raise InvalidIdentifier(kind, "the ad id must be letters, digits, dashes or underscores")
    return Identifier(kind, f"{site}:{ad}", f"{site} ad {ad}")


def _online_account(platform: str, handle: str) -> Identifier:
    """`platform:handle`: the platform trimmed and case-folded (a domain such as `www.instagram.com` is reduced
    to its name, `instagram`); the handle trimmed, without a leading `@`, case-folded and without spaces.
    """
    kind = IdentifierKind.ONLINE_ACCOUNT
    name = platform.strip().casefold()
    site = (_site(name) or name).split(".")[0]
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", site):
        raise InvalidIdentifier(kind, "the platform must be a name such as instagram")
    shown = handle.strip().removeprefix("@")
    if not shown or any(c.isspace() for c in shown):
        raise InvalidIdentifier(kind, "a handle is one word, with or without a leading @")
    return Identifier(kind, f"{site}:{shown.casefold()}", f"@{shown} on {site}")
