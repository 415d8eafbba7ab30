"""What text a partner's CSV file holds: UTF-8, or Windows-1252 (what Excel's plain "CSV" saves
on a UK Windows computer), told apart with charset-normalizer, and never guessed silently.

The library ranks the encodings a file's bytes could be in; for short Western European text
it often ranks another Latin code page first (é, ’ and £ are the same bytes in several), which
no library can settle from the bytes alone. The partnership's convention settles it: a file
that is not UTF-8 is Windows-1252 when the library finds that a plausible reading and nothing
points elsewhere: its best reading is in the Latin alphabet (not Cyrillic, Greek, Japanese...),
every byte is one Windows-1252 uses, and the file does not mix UTF-8 lines with others.
Otherwise the file's encoding is ambiguous: it is read as UTF-8 where it can be, and each row
with bytes that are not UTF-8 is quarantined with the reason, naming the cells.
"""

import dataclasses
import re

from charset_normalizer import from_bytes

from .flat import FileRefused

NOT_TEXT = "is not a CSV text file: save it as CSV UTF-8 or XLSX"
# Files that are not text, whatever they are named: ZIP (XLSX, DOCX), old Excel and Word (OLE),
# PDF, PNG, JPEG, GIF.
_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
# Unicode blocks of text in a Latin alphabet, as charset-normalizer names them.
_LATIN = {"Basic Latin", "Latin-1 Supplement", "Latin Extended-A", "Latin Extended-B",
          "General Punctuation", "Currency Symbols", "Letterlike Symbols",
          "Spacing Modifier Letters", "Control character"}


@dataclasses.dataclass
class FileText:
    """The file's text; `encoding` None means it could not be told (see `reason`)."""

    text: str
    encoding: str | None
    reason: str = ""


def read_text(content: bytes) -> FileText:
    """The file as text; raises FileRefused (one line, no bytes echoed) if it is not text."""
    if content.startswith(b"\xef\xbb\xbf"):
        content = content[3:]  # Excel's UTF-8 byte order mark
    if (utf16 := _utf16(content)) is not None:
        return utf16
    if content.startswith(_MAGIC) or _mostly_control(content):
        raise FileRefused(NOT_TEXT)
    try:
        return FileText(content.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    matches = list(from_bytes(content))
    if not matches:
        raise FileRefused(NOT_TEXT)
    why = _why_not_windows_1252(content, matches)
    if why:
        # surrogateescape keeps the bytes that are not UTF-8, so their rows are kept intact.
        return FileText(content.decode("utf-8", errors="surrogateescape"), None, why)
    return FileText(content.decode("cp1252"), "cp1252")


def _utf16(content: bytes) -> FileText | None:
    """UTF-16 text (Excel's "Unicode Text", which is tab separated), with or without its byte
    order mark; None if the bytes are not UTF-16 text."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding = "utf-16"  # the mark says which byte comes first, and is dropped
    elif (order := _utf16_order(content)) is not None:
        encoding = order
    else:
        return None
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        raise FileRefused(NOT_TEXT) from None
    if _mostly_control(text.encode("utf-8", errors="replace")):
        raise FileRefused(NOT_TEXT)
    return FileText(text, encoding)


def _utf16_order(content: bytes) -> str | None:
    """UTF-16 without a byte order mark: text in the Latin alphabet has a NUL as every other
    byte, the odd ones (little-endian) or the even ones (big-endian), and nowhere else."""
    sample = content[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) * 10 >= len(odd) * 9 and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) * 10 >= len(even) * 9 and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _mostly_control(content: bytes) -> bool:
    """More than 1 byte in 10 a control character: binary (or UTF-16), not a CSV's text."""
    sample = content[:65536]
    control = sum(sample.count(bytes([b])) for b in range(32) if b not in (9, 10, 13))
    return bool(sample) and control * 10 > len(sample)


def _why_not_windows_1252(content: bytes, matches) -> str:
    best = matches[0]
    if from_bytes(content, cp_isolation=["cp1252"]).best() is None:
        return f"its bytes are not Windows-1252 text (perhaps {best.encoding})"
    if not set(best.alphabets) <= _LATIN:
        return f"it reads as {best.language or best.encoding} text in {best.encoding}"
    if _mixes_utf8(content):
        return "some lines are UTF-8 and others are not"
    try:
        text = content.decode("cp1252")
    except UnicodeDecodeError:
        return "it holds bytes that Windows-1252 does not use"
    if found := _OTHER_ALPHABET.search(text):
        return f"\u201c{found.group()}\u201d looks like another alphabet read as Windows-1252"
    return ""


# Three accented letters in a row are rare in Western European words (café, Zoë, naïve) but
# are what Cyrillic, Greek or Hebrew code pages look like read as Windows-1252 (Ïðèâåò).
_OTHER_ALPHABET = re.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]{3,}")


def _mixes_utf8(content: bytes) -> bool:
    """Some lines with UTF-8 letters beyond ASCII and others with bytes that are not UTF-8."""
    utf8 = other = False
    for line in content.splitlines():
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            other = True
    return utf8 and other


def ambiguous_reason(why: str) -> str:
    return f"is not UTF-8, and the file's encoding cannot be told for certain: {why}; " \
        "save the file as CSV UTF-8"
