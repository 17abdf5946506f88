"""What Sett accepts as text: printable, trimmed, of bounded length, and read the same way by every reader.

Refused everywhere: control characters (NUL included; a line break or tab only where a field may hold several
lines), the Unicode line and paragraph separators in one-line fields, the bidirectional embeddings, overrides
and isolates that make text display in another order than it is stored (a case title that reads one way and
sorts or searches another), lone UTF-16 surrogates and Unicode noncharacters. Text is stored in NFC, so that
`é` typed as one character or as `e` plus an accent is one and the same word.

Each function raises `ValueError` with a message that reads after the field's name ("title must not be
blank"), so that pydantic validators can call it and `agencies.validation` can show it with its field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from pydantic import AfterValidator

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Embeddings, overrides and isolates. The plain marks (U+200E, U+200F) stay allowed: they reorder nothing."""
LINE_BREAKS = frozenset("\n\t")
LINE_SEPARATOR, PARAGRAPH_SEPARATOR = "\u2028", "\u2029"


def clean_line(value: str, *, max_chars: int, min_chars: int = 1) -> str:
    """One line of text, trimmed; blank is refused."""
    text = _checked(value, max_chars=max_chars, allowed=frozenset())
    if not text:
        raise ValueError("must not be blank")
    if len(text) < min_chars:
        raise ValueError(f"has at least {min_chars} characters")
    return text


def clean_paragraphs(value: str, *, max_chars: int) -> str:
    """Text that may hold line breaks and tabs (a summary, notes); it may be empty. CR LF and the Unicode line
    and paragraph separators become LF."""
    breaks_as_lf = value.replace("\r\n", "\n").replace(LINE_SEPARATOR, "\n").replace(PARAGRAPH_SEPARATOR, "\n")
    return _checked(breaks_as_lf, max_chars=max_chars, allowed=LINE_BREAKS)


def clean_lines(values: Iterable[str], *, max_chars: int, max_items: int) -> tuple[str, ...]:
    """A list of one-line texts (labels, offenses): each cleaned, duplicates dropped, order kept."""
    items = list(values)
    if len(items) > max_items:
        raise ValueError(f"holds at most {max_items} entries, not {len(items)}")
    return tuple(dict.fromkeys(clean_line(item, max_chars=max_chars) for item in items))


def _checked(value: str, *, max_chars: int, allowed: frozenset[str]) -> str:
    for char in value:
        reason = _refused_char(char, allowed)
        if reason:
            raise ValueError(f"contains {reason} (U+{ord(char):04X})")
    text = unicodedata.normalize("NFC", value).strip()
    if len(text) > max_chars:
        raise ValueError(f"has at most {max_chars} characters, not {len(text)}")
    return text


_REFUSED_CATEGORIES = {
    "Cc": "a control character",
    "Cs": "a lone UTF-16 surrogate, which is not a character",
    "Zl": "a line or paragraph separator",
    "Zp": "a line or paragraph separator",
}


def _refused_char(char: str, allowed: frozenset[str]) -> str | None:
    if char in allowed:
        return None
    if char in BIDI_CONTROLS:
        return "a character that reverses the order text is shown in"
    category = unicodedata.category(char)
    if category == "Cn" and (0xFDD0 <= ord(char) <= 0xFDEF or ord(char) & 0xFFFE == 0xFFFE):
        return "a Unicode noncharacter"
    return _REFUSED_CATEGORIES.get(category)


def line(max_chars: int, min_chars: int = 1) -> AfterValidator:
    """A pydantic validator for one line of text."""
    return AfterValidator(lambda value: clean_line(value, max_chars=max_chars, min_chars=min_chars))


def paragraphs(max_chars: int) -> AfterValidator:
    return AfterValidator(lambda value: clean_paragraphs(value, max_chars=max_chars))


def lines(max_chars: int, max_items: int) -> AfterValidator:
    return AfterValidator(lambda values: clean_lines(values, max_chars=max_chars, max_items=max_items))
