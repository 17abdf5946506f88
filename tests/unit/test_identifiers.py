from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import pytest

from cases.errors import CaseError, InvalidIdentifier
from cases.identifiers import Identifier, IdentifierKind, normalise

K = IdentifierKind
TODAY = date(2025, 6, 1)
BORN = date(1990, 4, 2)


def value(kind: IdentifierKind, raw: str | Mapping[str, object]) -> str:
    return normalise(kind, raw, today=TODAY).value


def refusal(kind: IdentifierKind | str, raw: str | Mapping[str, object]) -> InvalidIdentifier:
    with pytest.raises(InvalidIdentifier) as caught:
        normalise(kind, raw, today=TODAY)
    return caught.value


@pytest.mark.parametrize("raw", ["(612) 555-0147", "+1 612.555.0147", "612-555-0147 ext 2", "6125550147"])
def test_phones_written_any_way_are_one_e164_number(raw: str) -> None:
    assert value(K.PHONE, raw) == "+16125550147"


def test_an_extension_leaves_nothing_in_the_value_or_the_display() -> None:
    phone = normalise(K.PHONE, "612-555-0147 x 2")
    assert (phone.value, phone.display) == ("+16125550147", "+1 612-555-0147")


def test_a_foreign_number_keeps_its_own_country_code() -> None:
    assert value(K.PHONE, "+44 20 7946 0958") == "+442079460958"


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("555-0147", "no area code"),
        ("(212) 000-0000", "numbering plan"),
        ("61255501477", "too many digits"),
        ("call me", "not a phone number"),
    ],
)
def test_numbers_that_cannot_exist_are_refused_with_the_reason(raw: str, why: str) -> None:
    error = refusal(K.PHONE, raw)
    assert why in str(error)
    assert "PHONE" in str(error)
    assert error.kind == "PHONE"
    assert isinstance(error, CaseError)
    assert error.code == "BAD_USER_INPUT"


def test_an_email_is_trimmed_and_case_folded() -> None:
    assert value(K.EMAIL, "  Jane.Doe@EXAMPLE.Org \t") == "jane.doe@example.org"
    assert value(K.EMAIL, "JANE.DOE@example.org") == value(K.EMAIL, "jane.doe@example.org")


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("jane.doe.example.org", "exactly one @"),
        ("jane@doe@example.org", "exactly one @"),
        ("@example.org", "before the @"),
        ("jane doe@example.org", "spaces"),
        ("Jane Doe <jane@example.org>", "spaces"),
        ("jane@localhost", "needs a dot"),
        ("jane@example..org", "needs a dot"),
        ("jane@example.org.", "needs a dot"),
    ],
)
def test_a_malformed_email_is_refused_with_the_reason(raw: str, why: str) -> None:
    assert why in str(refusal(K.EMAIL, raw))


@pytest.mark.parametrize(
    "name", ["José  Núñez-García", "JOSE NUNEZ GARCIA", "Garcia, Jose Nunez", "nunez garcia jose", "García,José Núñez"]
)
def test_accents_case_punctuation_spacing_and_word_order_do_not_change_a_person(name: str) -> None:
    assert value(K.PERSON, {"name": name, "date_of_birth": BORN}) == "garcia jose nunez|1990-04-02"


def test_last_comma_first_moves_the_last_name_to_the_end_of_the_display() -> None:
    person = normalise(K.PERSON, {"name": "Garcia,  Jose", "date_of_birth": BORN})
    assert person.value == "garcia jose|1990-04-02"
    assert person.display == "Jose Garcia (born 1990-04-02)"


def test_the_same_name_born_on_another_day_is_another_person() -> None:
    other_day = {"name": "José Núñez-García", "date_of_birth": date(1990, 4, 3)}
    assert value(K.PERSON, other_day) != value(K.PERSON, {"name": "José Núñez-García", "date_of_birth": BORN})


def test_a_person_can_be_given_as_name_bar_date() -> None:
    assert value(K.PERSON, "Garcia, Jose Nunez|1990-04-02") == value(
        K.PERSON, {"name": "jose nunez garcia", "date_of_birth": BORN}
    )


def test_a_date_of_birth_is_required_and_not_in_the_future() -> None:
    assert "future" in str(refusal(K.PERSON, {"name": "Jose Garcia", "date_of_birth": TODAY + timedelta(days=1)}))
    assert value(K.PERSON, {"name": "Jose Garcia", "date_of_birth": TODAY}) == "garcia jose|2025-06-01"
    assert "required" in str(refusal(K.PERSON, {"name": "Jose Garcia"}))
    assert "required" in str(refusal(K.PERSON, {"name": "Jose Garcia", "date_of_birth": "2 April 1990"}))
    assert "name|date_of_birth" in str(refusal(K.PERSON, "Jose Garcia"))


def test_the_future_is_counted_from_the_real_today_by_default() -> None:
    with pytest.raises(InvalidIdentifier, match="future"):
        normalise(K.PERSON, {"name": "Jose Garcia", "date_of_birth": date.today() + timedelta(days=1)})


def test_a_name_without_letters_is_refused() -> None:
    assert "no letters" in str(refusal(K.PERSON, {"name": " -- , ", "date_of_birth": BORN}))


def test_st_and_street_apt_and_apartment_give_one_address() -> None:
    short = value(K.ADDRESS, "123 Main St. Apt 4, Minneapolis, MN 55401")
    assert short == "123 MAIN ST APT 4, MINNEAPOLIS, MN 55401"
    assert value(K.ADDRESS, "123 Main Street Apartment 4, Minneapolis, MN 55401") == short
    assert value(K.ADDRESS, "123  main street apartment 4\nMinneapolis, Minnesota 55401-1234") == short


def test_an_address_can_be_given_in_parts() -> None:
    parts = {"address_line_1": "123 Main Street", "address_line_2": "Apt 4", "city": "Minneapolis", "state": "MN"}
    assert value(K.ADDRESS, parts) == "123 MAIN ST APT 4, MINNEAPOLIS, MN"


def test_the_unit_number_tells_two_addresses_apart() -> None:
    four = value(K.ADDRESS, "123 Main St Apt 4, Minneapolis, MN 55401")
    five = value(K.ADDRESS, "123 Main St Apt 5, Minneapolis, MN 55401")
    building = value(K.ADDRESS, "123 Main St, Minneapolis, MN 55401")
    assert len({four, five, building}) == 3


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("Main Street", "could not be split"),
        ("123 Main St Apt, Minneapolis, MN", "without a unit number"),
        ("123 Main St Apt 4", "city and state, or a ZIP code"),
        ("123 Main St, Springfield, ZZ 55401", "not a US state"),
    ],
)
def test_what_cannot_be_read_as_a_us_address_is_refused_with_the_reason(raw: str, why: str) -> None:
    assert why in str(refusal(K.ADDRESS, raw))


def test_a_bad_zip_code_or_an_unknown_address_part_is_refused() -> None:
    bad_zip = {"address_line_1": "123 Main St", "city": "Minneapolis", "state": "MN", "postal_code": "5540X"}
    assert "ZIP" in str(refusal(K.ADDRESS, bad_zip))
    assert "unknown fields street" in str(refusal(K.ADDRESS, {"street": "123 Main St"}))


@pytest.mark.parametrize(
    "raw",
    [
        {"state": "WA", "plate": "ABC 1234"},
        {"state": "wa", "plate": "abc-1234"},
        {"state": "Washington", "plate": "ABC.1234"},
        {"state": " washington ", "plate": " A B C - 1 2 3 4 "},
        "WA:ABC1234",
    ],
)
def test_a_plate_is_upper_case_without_separators_and_the_state_is_its_postal_code(
    raw: str | Mapping[str, object],
) -> None:
    assert value(K.VEHICLE, raw) == "WA:ABC1234"


def test_the_state_tells_two_cars_with_one_plate_apart() -> None:
    assert value(K.VEHICLE, {"state": "Oregon", "plate": "ABC1234"}) == "OR:ABC1234"
    assert value(K.VEHICLE, {"state": "D.C.", "plate": "XY 12"}) == "DC:XY12"
    assert value(K.VEHICLE, {"state": "District of Columbia", "plate": "XY 12"}) == "DC:XY12"


@pytest.mark.parametrize("state", ["Freedonia", "XX", "53", ""])
def test_an_unknown_state_is_refused(state: str) -> None:
    assert "must be a US state" in str(refusal(K.VEHICLE, {"state": state, "plate": "ABC1234"}))


@pytest.mark.parametrize("plate", ["", "ABCDEFGHI", "AB$123", "ÅBC123"])
def test_a_plate_is_one_to_eight_letters_and_digits(plate: str) -> None:
    assert "1 to 8" in str(refusal(K.VEHICLE, {"state": "WA", "plate": plate}))


CLEAN_AD = "https://backpage.com/FemaleEscorts/new-in-town/12345"


@pytest.mark.parametrize(
    "raw",
    [
        CLEAN_AD,
        f"{CLEAN_AD}?utm_source=facebook&utm_medium=social&fbclid=IwAR0abc",
        f"{CLEAN_AD}?gclid=Cj0KCQ&ref=home#photos",
        "HTTP://WWW.Backpage.COM/FemaleEscorts/new-in-town/12345",
        "seattle.backpage.com/FemaleEscorts/new-in-town/12345.html",
        "backpage.com:12345",
        {"platform": "www.backpage.com", "ad_id": " 12345 "},
        {"url": f"{CLEAN_AD}?utm_campaign=x"},
    ],
)
def test_an_ad_is_its_site_and_id_however_it_was_pasted(raw: str | Mapping[str, object]) -> None:
    assert value(K.ONLINE_AD, raw) == "backpage.com:12345"


def test_tracking_parameters_leave_the_displayed_url_but_an_id_parameter_is_the_ad() -> None:
    ad = normalise(K.ONLINE_AD, "https://Classifieds.Example.com/view.php?id=778&utm_source=x&ref=home&gclid=y")
    assert ad.value == "example.com:778"
    assert ad.display == "https://classifieds.example.com/view.php?id=778"


def test_different_ads_on_one_site_differ() -> None:
    assert value(K.ONLINE_AD, "https://backpage.com/escorts/12345") != value(
        K.ONLINE_AD, "https://backpage.com/escorts/12346"
    )
    assert value(K.ONLINE_AD, "https://listings.example.co.uk/ad/Ab3-xyz") == "example.co.uk:ab3-xyz"


@pytest.mark.parametrize(
    ("raw", "why"),
    [
        ("https://backpage.com/", "ad id"),
        ("ftp://backpage.com/12345", "web address"),
        ({"platform": "Backpage", "ad_id": "12345"}, "domain name"),
        ("backpage.com:12 345", "ad id"),
    ],
)
def test_an_ad_without_a_site_or_an_id_is_refused(raw: str | Mapping[str, object], why: str) -> None:
    assert why in str(refusal(K.ONLINE_AD, raw))


@pytest.mark.parametrize(
    "raw",
    [
        {"platform": "Instagram", "handle": "@SomeHandle"},
        {"platform": " instagram ", "handle": " somehandle "},
        {"platform": "www.instagram.com", "handle": "SOMEHANDLE"},
        "instagram:@somehandle",
    ],
)
def test_an_account_is_platform_and_handle_without_at_or_case(raw: str | Mapping[str, object]) -> None:
    assert value(K.ONLINE_ACCOUNT, raw) == "instagram:somehandle"


def test_the_platform_tells_two_accounts_with_one_handle_apart() -> None:
    assert value(K.ONLINE_ACCOUNT, "twitter:somehandle") != value(K.ONLINE_ACCOUNT, "instagram:somehandle")


@pytest.mark.parametrize("handle", ["", "@", "some handle"])
def test_an_empty_or_spaced_handle_is_refused(handle: str) -> None:
    assert "handle" in str(refusal(K.ONLINE_ACCOUNT, {"platform": "instagram", "handle": handle}))


@pytest.mark.parametrize(
    ("kind", "raw"),
    [
        (K.PHONE, "+1 (612) 555-0147"),
        (K.EMAIL, "Jane.Doe@Example.org"),
        (K.PERSON, "José Núñez-García|1990-04-02"),
        (K.ADDRESS, "123 Main Street Apartment 4, Minneapolis, MN 55401"),
        (K.VEHICLE, "Washington:abc-1234"),
        (K.ONLINE_AD, f"{CLEAN_AD}?utm_source=x"),
        (K.ONLINE_ACCOUNT, "Instagram:@SomeHandle"),
    ],
)
def test_a_normalised_value_normalises_to_itself(kind: IdentifierKind, raw: str) -> None:
    once = normalise(kind, raw, today=TODAY)
    assert once.kind is kind
    assert normalise(kind, once.value, today=TODAY) == once


def test_identifiers_are_equal_by_kind_and_value_not_by_display() -> None:
    plain = normalise(K.PHONE, "6125550147")
    with_extension = normalise(K.PHONE, "(612) 555-0147 ext 9")
    assert plain == with_extension
    assert len({plain, with_extension}) == 1
    assert Identifier(K.EMAIL, "+16125550147", "") != plain


def test_kinds_may_be_named_by_text_and_unknown_kinds_are_refused() -> None:
    assert normalise("phone", "6125550147").kind is K.PHONE
    assert "unknown kind" in str(refusal("FAX", "6125550147"))


def test_input_of_the_wrong_shape_is_refused_not_crashed_on() -> None:
    assert "as text" in str(refusal(K.PHONE, {"number": "6125550147"}))
    assert "must be text" in str(refusal(K.VEHICLE, {"state": "WA", "plate": 1234}))
    assert "longer than" in str(refusal(K.EMAIL, "a" * 2_000 + "@example.org"))
