"""An analyst's file as text, for `link-file`: whatever encoding it was saved in, or why not.

UTF-8 (with or without a byte-order mark), UTF-16 (Excel's "Unicode text", with or without its
mark), Windows-1252, or a file pasted together from UTF-8 and Windows-1252 lines. A file that
is not text (a workbook, a PDF, an image, a web page) is a `BadFile` that says what it is and
how to save it as a CSV.
"""

from pathlib import Path

_SNIFF_BYTES = 8192
# (An .xlsx workbook is a zip, read by `workbook` before its bytes would come here.)
_MAGIC = ((b"\xd0\xcf\x11\xe0", "an old Excel .xls workbook, a password-protected workbook "
                               "or another Office file"),
          (b"%PDF", "a PDF"), (b"{\\rtf", "a Word (RTF) document"),
          (b"\x89PNG", "an image"), (b"\xff\xd8\xff", "an image"), (b"GIF8", "an image"))
_SAVE_AS = (": save it as an .xlsx workbook or as CSV (in Excel, File > Save As; without a "
            "password) and give link-file that")


class BadFile(ValueError):
    """The file cannot be linked, and why (one line)."""


def text_of(path: Path) -> tuple[str, str]:
    """The file's text and the encoding it was read in."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadFile(f"{path} does not exist") from None
    except IsADirectoryError:
        raise BadFile(f"{path} is a folder, not a file") from None
    except OSError as exc:
        raise BadFile(f"{path} cannot be read ({exc.strerror})") from None
    if not data.strip():
        raise BadFile(f"{path.name} is empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise BadFile(f"{path.name} is {what}, not a CSV or .xlsx workbook{_SAVE_AS}")
    text, encoding = _decode(data, path.name)
    opening = text.lstrip("\ufeff \r\n\t")[:100].lower()
    if opening.startswith(("<html", "<!doctype html", "<?xml", "<table")):
        raise BadFile(f"{path.name} is a web page or XML, not a CSV or .xlsx workbook{_SAVE_AS}")
    if not text.strip("\ufeff \r\n\t"):
        raise BadFile(f"{path.name} is empty")
    return text.removeprefix("\ufeff"), encoding


def _decode(data: bytes, name: str) -> tuple[str, str]:
    head = data[:_SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _utf16(data, "utf-16", name), "UTF-16"
    # UTF-16 without its mark: every other byte of plain text is zero.
    if len(head) >= 4 and head[1::2].count(0) > len(head) * 0.4:
        return _utf16(data, "utf-16-le", name), "UTF-16"
    if len(head) >= 4 and head[0::2].count(0) > len(head) * 0.4:
        return _utf16(data, "utf-16-be", name), "UTF-16"
    if b"\x00" in head and _controls(head) * 20 > len(head):
        raise BadFile(f"{name} is a binary file, not a CSV")
    # A few NUL bytes in a cell (an old case system's fixed-width field) are not a binary
    # file, and nothing anyone typed: dropped, so "Hi\0gh St" is "High St".
    data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    # Spreadsheets saved on Windows are often cp1252; a file pasted together from two
    # systems may be UTF-8 with some lines cp1252 (read line by line, so Zoë stays Zoë in both).
    lines = data.splitlines(keepends=True)
    utf8 = legacy = 0
    decoded = []
    for line in lines:
        try:
            decoded.append(line.decode("utf-8"))
            utf8 += not line.isascii()
        except UnicodeDecodeError:
            decoded.append(_legacy(line))
            legacy += 1
    if utf8:
        text = "".join(decoded).removeprefix("\ufeff")
        return text, f"UTF-8 ({count(legacy, 'line')} Windows-1252)"
    return _legacy(data), "Windows-1252"


# Bytes no text file holds (tab, line feed, form feed and carriage return aside).
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r") + b"\x7f"


def _controls(head: bytes) -> int:
    return len(head) - len(head.translate(None, _CONTROL))


def count(number: int, thing: str) -> str:
    return f"{number} {thing}{'' if number == 1 else 's'}"


def _legacy(data: bytes) -> str:
    # latin-1 reads the five bytes cp1252 leaves undefined.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _utf16(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise BadFile(f"{name} is not readable text (it looks like UTF-16 but is not)") from None
