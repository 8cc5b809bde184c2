"""Turn a file on disk into decoded lines, or a one-line error that names the file (and line)."""
from __future__ import annotations

import re
from pathlib import Path

from ..errors import KgError

MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_LINE_CHARS = 200_000  # longer than any real abstract by two orders of magnitude
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class IngestError(KgError):
    """A file that cannot be read as a listing at all."""


def read_lines(path: Path, encoding: str = "utf-8") -> list[str]:
    """Decoded lines without line endings; refuses binary, undecodable and empty files with a clear reason."""
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise IngestError(f"{path}: file is {size:,} bytes, more than the {MAX_FILE_BYTES:,} a listing may have")
        data = path.read_bytes()
    except PermissionError:
        raise IngestError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise IngestError(f"{path}: is a directory") from None
    except OSError as exc:
        raise IngestError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not data.strip():
        raise IngestError(f"{path}: empty file")
    if b"\x00" in data[:65536]:
        raise IngestError(f"{path}: binary file (NUL bytes), not a text listing")
    if encoding.replace("-", "").lower() in ("utf8", "utf8sig"):
        encoding = "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise IngestError(
            f"{path}:{line}: not valid {encoding.removesuffix('-sig')} (byte 0x{data[exc.start]:02x} at column {column}); "
            "re-save as UTF-8 or pass --encoding (e.g. latin-1)"
        ) from None
    except LookupError:
        raise IngestError(f"--encoding {encoding}: unknown encoding") from None
    return split_lines(text.removeprefix("\ufeff"))


def split_lines(text: str) -> list[str]:
    """Lines split at \\n, \\r\\n and \\r only: str.splitlines also breaks at U+2028, U+0085, form feeds and
    the like, which are text inside a listing row (a JSON string may hold them), not line ends."""
    lines = _LINE_BREAK.split(text)
    return lines[:-1] if lines and lines[-1] == "" else lines
