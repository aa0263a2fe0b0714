"""Emoji: :short_codes:, unicode emoji sequences and ASCII emoticons.

Each matcher takes the text (UTF-16 code units) and a position and returns the end of the
match, or -1. The unicode classes mirror the grammar's, which test single code units.
"""

import re

_SHORT_CODE = re.compile(r":([0-9a-zA-Z\-_+.]+):")
_VS = "[\ufe00-\ufe0f]?+"
_FITZPATRICK = "(?:\ud83c[\udffb-\udfff])?+"
_FACES = f"\ud83d[\ude00-\ude4f]{_VS}"
_TRANSPORT = f"\ud83d[\ude80-\udeff]{_VS}"
_SYMBOLS = f"[\u2600-\u26ff]{_VS}"
_DINGBATS = f"[\u2700-\u27bf]{_VS}"
_SQUARES = f"(?>[\u2b1b-\u2b1c]{_VS}|\ud83d[\udfe0-\udfeb\udff0]{_VS})"
# One element of a zero-width-joiner sequence. Atomic groups and possessive quantifiers
# keep the regex from backtracking where the PEG grammar commits.
_ELEMENT = (
    "(?>\ud83e[\udd00-\udfff]"
    f"|\ud83c[\udf00-\udfff]{_VS}"
    f"|\ud83d[\udc00-\uddff]{_VS}"
    f"|{_FACES}|{_TRANSPORT}|{_DINGBATS}|{_SYMBOLS}"
    f"|[\u2194-\u2195]{_VS}"
    f"|{_SQUARES})"
    f"{_FITZPATRICK}"
)
_UNICODE = re.compile(
    "\ud83c\udff4(?:\udb40[\udc20-\udc7e])++\udb40\udc7f"
    "|[0-9#*]\ufe0f?+\u20e3"
    f"|(?:{_ELEMENT}\u200d)*+{_ELEMENT}"
    f"|{_FACES}|{_TRANSPORT}"
    f"|[\u2300-\u23ff]{_VS}"
    f"|{_SYMBOLS}|{_DINGBATS}|{_SQUARES}"
    f"|\ud83c[\udccf\udd8e\udd91-\udd9a\ude01\ude32-\ude3a\ude50-\ude51]{_VS}"
    "|[\u00a9\u00ae\u203c\u2049\u2122\u2139\u2196-\u2199\u21a9-\u21aa\u24c2\u25aa-\u25ab"
    "\u25b6\u25c0\u25fb-\u25fe\u2934-\u2935\u2b05-\u2b07\u2b50\u2b55\u3030\u303d\u3297"
    "\u3299]\ufe0f"
    "|\ud83c[\udc04\udd70-\udd71\udd7e-\udd7f\ude02\ude1a\ude2f]\ufe0f"
    "|\ud83c[\udde6-\uddff]\ud83c[\udde6-\uddff]"
)

# Emoticons grouped by first character, each group in the grammar's order.
_EMOTICON_GROUPS: dict[str, tuple[tuple[str, str], ...]] = {}


def _group(first: str, *entries: tuple[str, str]) -> None:
    _EMOTICON_GROUPS[first] = tuple(
        (text, name) for texts, name in entries for text in texts.split(" ")
    )


_group(
    ":",
    (":-D :D", "smiley"),
    (":') :'-)", "joy"),
    (":-) :) :]", "slight_smile"),
    (":-* :* :^*", "kissing_heart"),
    (":-P :P :-\u00de :\u00de :-b :b", "stuck_out_tongue"),
    (":-( :( :-[ :[", "disappointed"),
    (":-/ :-. :/ :\\ :L", "confused"),
    (":'( ':-(", "cry"),
    (":@", "angry"),
    (":$", "flushed"),
    (":-X :X :-# :#", "no_mouth"),
    (":-O :O", "open_mouth"),
)
_group(";", (";) ;-) ;-] ;] ;D ;^)", "wink"), (";( ;-(", "cry"))
_group("<", ("</3", "broken_heart"), ("<3", "heart"))
_group(
    ">",
    (">:) >;) >:-) >=)", "laughing"),
    (">.<", "persevere"),
    (">:P", "stuck_out_tongue_winking_eye"),
    (">:\\ >;/", "confused"),
    (">:( >:-(", "angry"),
    (">:[", "disappointed"),
    (">:O", "open_mouth"),
)
_group(
    "=",
    ("=D", "smiley"),
    ("=] =)", "slight_smile"),
    ("=*", "kissing_heart"),
    ("=P", "stuck_out_tongue"),
    ("=(", "disappointed"),
    ("=/ =\\ =L", "confused"),
    ("=$", "flushed"),
    ("=X =#", "no_mouth"),
)
_group("D", ("D:", "fearful"))
_group("B", ("B-) B) B-D", "sunglasses"))
_group("8", ("8) 8-) 8-D", "sunglasses"))
_group("'", ("':) ':-) '=) ':D ':-D '=D", "sweat_smile"), ("':( ':-( '=(", "sweat"))
_group("O", ("O:-) O:) O;-) O=) O:-3 O:3", "innocent"), ("O_O", "open_mouth"))
_group("0", ("0:-3 0:3 0:-) 0:) 0;^) 0;-)", "innocent"))
_group("*", ("*-) *)", "wink"), ("*\\0/* *\\O/*", "person_gesturing_ok"))
_group("X", ("X-P", "stuck_out_tongue_winking_eye"), ("X) X-)", "dizzy_face"))
_group("#", ("#-) #)", "dizzy_face"))
_group("%", ("%-) %)", "dizzy_face"))
_group("(", ("(y)", "thumbsup"))
_group("-", ("-___- -__- -_-", "expressionless"))
_group("\\", ("\\0\\/ \\O\\/", "person_gesturing_ok"))

# Every emoticon is at least two characters long; indexing by the first two keeps the
# grammar's order among the candidates that can match at all.
_BY_PREFIX: dict[str, list[tuple[str, str]]] = {}
for _group_entries in _EMOTICON_GROUPS.values():
    for _text, _name in _group_entries:
        _BY_PREFIX.setdefault(_text[:2], []).append((_text, _name))
EMOTICON_PREFIXES = frozenset(_BY_PREFIX)


def short_code(s: str, p: int) -> tuple[str, int] | None:
    match = _SHORT_CODE.match(s, p)
    return (match.group(1), match.end()) if match else None


def unicode_emoji(s: str, p: int) -> int:
    match = _UNICODE.match(s, p)
    return match.end() if match else -1


def emoticon(s: str, p: int) -> tuple[str, str] | None:
    """The emoticon at p as (text, short code)."""
    for text, name in _BY_PREFIX.get(s[p : p + 2], ()):
        if s.startswith(text, p):
            return text, name
    return None
