"""CSV files as spreadsheets open them safely: a byte-order mark first (Excel otherwise reads
UTF-8 as a legacy code page), every cell a spreadsheet would run as a formula defused, and a
file name fit for a download. Plain Python: rows in, records out."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

BOM = "\ufeff"
# OWASP's list for CSV injection: a cell starting with one of these may run as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: Any) -> str:
    """The cell as text, behind an apostrophe if a spreadsheet could read it as a formula."""
    text = "" if cell is None else str(cell)
    return "'" + text if is_formula(text) else text


def is_formula(text: str) -> bool:
    """Whether text starts as a formula, or does once folded as a spreadsheet may fold it.

    Spreadsheets skip leading spaces and may fold a fullwidth ＝ into =: so text is folded by
    NFKC (which turns ＝＋－＠ into = + - @ and a no-break space into a space), then read from
    its first visible character, past whitespace and the characters that take no room.
    """
    if text.startswith(FORMULA_STARTS):
        return True
    return _visible(unicodedata.normalize("NFKC", text)).startswith(FORMULA_STARTS)


def _visible(text: str) -> str:
    """text from its first character that shows: past whitespace (newlines, no-break and
    ideographic spaces) and format characters (Unicode's Cf: zero-width spaces and joiners,
    direction marks, the byte-order mark)."""
    for start, char in enumerate(text):
        if not (char.isspace() or unicodedata.category(char) == "Cf"):
            return text[start:]
    return ""


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Each row as one CSV record, written through one small reused buffer; a BOM first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    prefix = BOM
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise(cell) for cell in row])
        yield prefix + buffer.getvalue()
        prefix = ""


def slug(text: str, fallback: str = "export") -> str:
    """Text as a safe part of a file name: lower-case ASCII letters and digits, hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))[:60].strip("-") or fallback


def download_name(*parts: str, day: date) -> str:
    """A CSV file name from the parts, slugged, and the day: period-1-gradebook-2026-05-01.csv."""
    return "-".join([*(slug(p) for p in parts), day.isoformat()]) + ".csv"
