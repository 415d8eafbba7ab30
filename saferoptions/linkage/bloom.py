"""Keyed Bloom-filter encodings of a person, for matching without revealing who they are.

A partner who may not hold or see identifiers (a shop, a community organisation) tells the
partnership about a worry; the given name, family name, date of birth and postcode are cleaned
(`normalise`) and turned into one record-level Bloom filter (a "CLK"): each field's
tokens (letter pairs of the names, the year, month and day, the postcode's district, sector and
whole) set a few bits chosen by HMAC-SHA256 with the partnership's secret key. Two encodings are
compared by their Dice coefficient, so a nickname, a slip of the keyboard, swapped day and month
or an old postcode still come close, and nobody without the key can compute the encoding of a
name they guess. No Django here: this runs on a partner's laptop, in a command or in the web.
It is record linkage, so it lives in linkage beside the cleaning it shares with Splink's
comparisons (analytics, the bottom layer, may not import that cleaning).

clkhash and anonlink were not used: clkhash pins cryptography < 41 (a downgrade with known
advisories) and anonlink builds from source with Cython; both for what is ~150 lines of numpy.
"""

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import normalise

BITS = 1024  # a power of two: a 16-bit slice of the digest maps to a position without bias
BYTES = BITS // 8
# Bits set per token, by field: the names say most about who someone is; a postcode is shared
# by a household and a date of birth by a cohort. Chosen on seed 1 of the synthetic city
# (bench/pprl.py), reported on seed 2.
HASHES = {"given": 10, "family": 8, "dob": 32, "postcode": 16}


class EncodingError(ValueError):
    """A report that cannot be encoded; `field` names the form field at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field, self.message = field, message


@dataclass(frozen=True)
class Person:
    """What a partner knows about a person (raw, as typed)."""

    given_name: str = ""
    family_name: str = ""
    date_of_birth: dt.date | str | None = None
    postcode: str = ""


def _bigrams(word: str) -> list[str]:
    padded = f"_{word}_"
    return [padded[i:i + 2] for i in range(len(padded) - 1)]


def tokens(person: Person) -> dict[str, list[str]]:
    """Each field's tokens, cleaned; a missing or impossible field has none."""
    given = normalise.canonical_forename(person.given_name)
    family = (normalise.name(person.family_name) or "").replace(" ", "")
    born = normalise.date_of_birth(person.date_of_birth)
    code = normalise.postcode(person.postcode)
    return {
        "given": _bigrams(given) if given else [],
        "family": _bigrams(family) if family else [],
        # Year, month and day apart: a swap or a slip keeps two of the three.
        "dob": [f"y{born.year}", f"m{born.month}", f"d{born.day}"] if born else [],
        "postcode": ([f"o{code.split()[0]}", f"s{code[:-2]}", f"p{code}"] if code else []),
    }


@lru_cache(maxsize=65536)
def _positions(key: bytes, field_name: str, token: str, count: int) -> tuple[int, ...]:
    # Independent positions from one keyed digest (not double hashing, whose structure has
    # been attacked); SHA-512's 64 bytes give up to 32 positions of 16 bits each.
    digest = hmac.new(key, f"{field_name}\x1f{token}".encode(), hashlib.sha512).digest()
    values = np.frombuffer(digest, dtype=">u2")[:count]
    return tuple(int(v) % BITS for v in values)


@dataclass(frozen=True)
class Encoder:
    """Encodes people with one partnership key; the same key must encode both sides."""

    key: bytes
    hashes: dict[str, int] = field(default_factory=lambda: dict(HASHES))

    def __post_init__(self):
        if len(self.key) < 16:
            raise ValueError("the key must be at least 16 bytes")

    def encode(self, person: Person, fields: frozenset[str] | None = None) -> bytes:
        """The encoding (BYTES bytes) of one person, of `fields` only if given; it holds no
        name, date or postcode."""
        bits = np.zeros(BITS, dtype=bool)
        for field_name, field_tokens in tokens(person).items():
            if fields is not None and field_name not in fields:
                continue
            for token in field_tokens:
                bits[list(_positions(self.key, field_name, token, self.hashes[field_name]))] = True
        return np.packbits(bits).tobytes()


def present(person: Person) -> frozenset[str]:
    """The fields of a report that hold something after cleaning."""
    return frozenset(name for name, found in tokens(person).items() if found)


def check_report(person: Person) -> frozenset[str]:
    """Refuse a report too thin to match anyone safely, naming the field; else its fields."""
    found = tokens(person)
    if not found["given"]:
        raise EncodingError("given_name", "Enter the person's first name")
    if not found["family"]:
        raise EncodingError("family_name", "Enter the person's last name")
    if not found["dob"] and not found["postcode"]:
        raise EncodingError("date_of_birth",
                            "Enter a real date of birth or a full UK postcode (or both)")
    return present(person)


def as_matrix(encodings: Iterable[bytes]) -> np.ndarray:
    """Encodings as rows of 64-bit words, ready for `dice`."""
    raw = b"".join(encodings)
    return np.frombuffer(raw, dtype=np.uint64).reshape(-1, BYTES // 8)


def dice(query: bytes, matrix: np.ndarray) -> np.ndarray:
    """Dice coefficient of one encoding against every row: 2|A∩B| / (|A| + |B|)."""
    q = as_matrix([query])
    common = np.bitwise_count(matrix & q).sum(axis=1, dtype=np.int64)
    sizes = np.bitwise_count(matrix).sum(axis=1, dtype=np.int64) + int(np.bitwise_count(q).sum())
    return np.where(sizes > 0, 2 * common / np.maximum(sizes, 1), 0.0)


# A report always names the person; it may lack the date of birth or the postcode. The index is
# encoded once per shape, so a report is compared on the fields it has: a missing field is not
# evidence against a match.
SHAPES = (frozenset({"given", "family", "dob", "postcode"}),
          frozenset({"given", "family", "postcode"}), frozenset({"given", "family", "dob"}))


# Matching thresholds on the Dice coefficient per report shape, chosen on seed 1 of the
# synthetic city (the lowest keeping precision at 0.995 there; bench/pprl.py).
THRESHOLDS = {SHAPES[0]: 0.72, SHAPES[1]: 0.78, SHAPES[2]: 0.66}
# The best person must lead everyone else by this much, or nobody is named. A threshold alone
# lets a report about a child the partnership does not hold match a sibling or namesake, more
# often the bigger the index (more people near any name); a lead asks that the report point to
# one person. Chosen on seed 1 at 20,000 children: the smallest lead keeping precision at 0.99.
MARGIN = 0.10


class Index:
    """Encodings of the people on record, per report shape, each row labelled with whose
    record it is. Built in memory from raw records; the raw records are not kept."""

    def __init__(self, encoder: Encoder, labelled: Iterable[tuple[object, Person]]):
        pairs = list(labelled)
        self.labels = [label for label, _ in pairs]
        self.matrices = {shape: as_matrix([encoder.encode(p, shape) for _, p in pairs])
                         for shape in SHAPES} if pairs else {}

    def __len__(self) -> int:
        return len(self.labels)

    def best(self, query: bytes, shape: frozenset[str]) -> tuple[object | None, float]:
        """Whose record is closest to the query of this shape, and how close (0 to 1); no
        label when another person's record comes within `MARGIN` (two namesakes at one
        postcode and no date of birth to tell them apart, or a sibling as close as the child)."""
        if not self.labels:
            return None, 0.0
        if shape not in self.matrices:
            raise EncodingError("date_of_birth", "A report needs a name and a date of birth "
                                                 "or a postcode")
        scores = dice(query, self.matrices[shape])
        order = np.argsort(-scores)
        label, top = self.labels[order[0]], float(scores[order[0]])
        for at in order[1:]:
            if float(scores[at]) < top - MARGIN:
                break
            if self.labels[at] != label:
                return None, top
        return label, top

    def match(self, query: bytes, shape: frozenset[str],
              thresholds: dict | None = None) -> tuple[object, float] | None:
        """The matched label and its score, or None below the shape's threshold."""
        label, score = self.best(query, shape)
        threshold = (thresholds or THRESHOLDS)[shape]
        return (label, score) if label is not None and score >= threshold else None


# --- the encoded report as one line of text (what `saferoptions encode-report` prints) ---------

_FIELD_LETTERS = {"given": "g", "family": "f", "dob": "d", "postcode": "p"}
PREFIX = "SO1"


def to_text(encoding: bytes, shape: frozenset[str]) -> str:
    """'SO1.gfdp.<base64>': the version, the fields encoded, the encoding."""
    letters = "".join(_FIELD_LETTERS[f] for f in _FIELD_LETTERS if f in shape)
    return f"{PREFIX}.{letters}.{base64.urlsafe_b64encode(encoding).decode()}"


def from_text(text: str) -> tuple[bytes, frozenset[str]]:
    """The encoding and its fields from `to_text`'s line; EncodingError if it is not one."""
    parts = (text or "").strip().split(".")
    refused = EncodingError("encoded", "Paste the whole line the encode-report command printed")
    if len(parts) != 3 or parts[0] != PREFIX:
        raise refused
    by_letter = {v: k for k, v in _FIELD_LETTERS.items()}
    shape = frozenset(by_letter.get(c, "?") for c in parts[1])
    try:
        encoding = base64.urlsafe_b64decode(parts[2].encode("ascii"))
    except (ValueError, UnicodeEncodeError):
        raise refused from None
    if shape not in SHAPES or len(encoding) != BYTES:
        raise refused
    return encoding, shape
