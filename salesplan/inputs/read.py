"""Read a CSV file as it really comes out of Excel or an ERP export.

UTF-8 with or without a byte-order mark, UTF-16 ("Unicode text"), and
GB18030/GBK (what Excel on a Chinese PC saves by default); comma, semicolon
or tab delimiters; CRLF line ends; blank rows skipped.  Every cell is kept
as text with the line a spreadsheet shows it on, so later checks can name
it.  Whatever cannot be read is a :class:`~salesplan.errors.Finding` naming
the file and line, never a traceback.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from salesplan.errors import ERROR, Finding

__all__ = ["RawTable", "read_table", "decode", "column_letter", "SAVE_AS_UTF8"]

#: How to fix a file in an encoding that cannot be read.
SAVE_AS_UTF8 = "in Excel: File > Save As > 'CSV UTF-8 (Comma delimited) (*.csv)'"
#: Delimiters recognised, in order of preference on a tie.
DELIMITERS = (",", ";", "\t")
_ZIP = b"PK\x03\x04"
_PAD = re.compile(r"\s\x00|\x00\s")
_OLE = b"\xd0\xcf\x11\xe0"


@dataclass(frozen=True)
class RawTable:
    """A table read as text.

    Attributes
    ----------
    frame : pandas.DataFrame
        One column per header, every cell a stripped string (``""`` when
        empty); blank rows left out.
    lines : numpy.ndarray
        For each row of ``frame``, its line number as a spreadsheet shows it
        (1 = the header).
    encoding : str
        The encoding the file was read with (``utf-8``, ``utf-16``, ``gb18030``).
    delimiter : str
        The delimiter found in the header.
    """

    frame: pd.DataFrame
    lines: np.ndarray
    encoding: str
    delimiter: str


def column_letter(i: int) -> str:
    """Spreadsheet letter of the 0-based column ``i`` (0 -> ``A``, 26 -> ``AA``).

    Parameters
    ----------
    i : int
        Column position, 0 first.

    Returns
    -------
    str
    """
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def decode(data: bytes, source: str) -> tuple[str | None, str, list[Finding]]:
    """Text of a file: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 (a superset of GBK).

    Parameters
    ----------
    data : bytes
        The file's bytes.
    source : str
        The file, named in findings.

    Returns
    -------
    text : str or None
        ``None`` when the bytes are not text in any of these encodings.
    encoding : str
    findings : list of Finding
        Why the file could not be read (level error), if it could not.
    """
    if data.startswith((_ZIP, _OLE)):
        return None, "", [Finding(ERROR, "encoding", source,
                                  f"is an Excel workbook, not a CSV file; {SAVE_AS_UTF8}")]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            pass
    elif data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        return data.decode("gb18030"), "gb18030", []
    except UnicodeDecodeError:
        pass
    line = data.count(b"\n", 0, first_bad) + 1
    return None, "", [Finding(ERROR, "encoding", source,
                              f"byte 0x{data[first_bad]:02x} is neither UTF-8 nor GBK/GB18030 text; save the "
                              f"file as UTF-8 ({SAVE_AS_UTF8})", line=line)]


def _sniff(header: str, known: set[str]) -> str:
    """The delimiter that splits the header into the most known column names (then the most fields)."""
    def score(d: str) -> tuple[int, int, int]:
        fields = next(csv.reader([header], delimiter=d), [])
        names = {f.strip().lower() for f in fields}
        return len(names & known), len(fields), -DELIMITERS.index(d)
    return max(DELIMITERS, key=score)


def _records(text: str, delimiter: str, source: str) -> tuple[list[tuple[int, list[str]]], list[Finding]]:
    """Every record with its row number as a spreadsheet shows it (a quoted cell may span lines)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    out: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            out.append((len(out) + 1, row))
    except csv.Error as exc:
        what = ("a quote (\") opened in this row is never closed" if "end of data" in str(exc)
                else f"not readable as CSV ({exc}); a cell holding quotes must be quoted as a whole, with \"\"")
        return out, [Finding(ERROR, "csv_syntax", source, what, line=len(out) + 1)]
    return out, []


def _header(names: list[str], rows: list[list[str]], source: str, line: int) -> tuple[list[int], list[Finding]]:
    """Columns to keep (trailing unnamed empty ones dropped) and problems of the header row."""
    problems = []
    keep = []
    for j, name in enumerate(names):
        if name:
            keep.append(j)
        elif any(j < len(r) and r[j].strip() for r in rows):
            problems.append(Finding(ERROR, "unnamed_column", source,
                                    f"column {column_letter(j)} has values but no name in the header", line=line))
    seen: dict[str, int] = {}
    for j in keep:
        if names[j] in seen:
            problems.append(Finding(ERROR, "duplicate_column", source,
                                    f"columns {column_letter(seen[names[j]])} and {column_letter(j)} are both "
                                    f"named '{names[j]}'; delete or rename one", line=line, column=names[j]))
        else:
            seen[names[j]] = j
    return keep, problems


def read_table(path: str | Path, known: tuple[str, ...] = (), *, allow_empty: bool = False
               ) -> tuple[RawTable | None, list[Finding]]:
    """Read a CSV file into text cells, with each row's line number.

    Parameters
    ----------
    path : str or Path
        The file.
    known : tuple of str
        Column names expected; they decide the delimiter (``,``, ``;`` or tab).
    allow_empty : bool
        A header without rows is a table of no rows rather than an error.

    Returns
    -------
    table : RawTable or None
        ``None`` when the file cannot be read.
    findings : list of Finding
        Problems that stop the reading (missing or empty file, encoding,
        broken quoting, duplicate or unnamed columns, rows longer than the
        header, no rows), each naming the file and the line.
    """
    path = Path(path)
    source = str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, [Finding(ERROR, "file_missing", source, "file not found")]
    except OSError as exc:
        return None, [Finding(ERROR, "file_unreadable", source, f"cannot read the file: {exc.strerror}")]
    text, encoding, problems = decode(data, source)
    if text is None:
        return None, problems
    if not text.strip():
        return None, [Finding(ERROR, "empty_file", source, "the file is empty; it needs a header row and data rows")]
    first = text.lstrip("\r\n").splitlines()[0]
    delimiter = _sniff(first, {k.lower() for k in known})
    records, problems = _records(text, delimiter, source)
    records = [(ln, r) for ln, r in records if "".join(r).strip()]  # blank rows are skipped
    if problems or not records:
        return None, problems or [Finding(ERROR, "empty_file", source, "the file has no header row")]
    head_line, head = records[0]
    names = [c.strip().lstrip("\ufeff").strip() for c in head]
    body = records[1:]
    keep, problems = _header(names, [r for _, r in body], source, head_line)
    width = len(names)
    long_rows = [ln for ln, r in body if len(r) > width]
    if len(long_rows) == len(body) and not any(c.strip() for _, r in body for c in r[width:]):
        long_rows = []  # every row ends in empty cells the header lacks: an export's trailing delimiter
    if long_rows:
        problems.append(Finding(ERROR, "row_too_long", source,
                                f"more values than the header has columns ({width}); check the delimiter and "
                                "quotes, or name the extra column", line=long_rows[0], lines=tuple(long_rows)))
    if not body and not allow_empty:
        problems.append(Finding(ERROR, "no_rows", source, "the file has a header but no data rows"))
    if problems:
        return None, problems
    rows = [r if len(r) == width else (r + [""] * width)[:width] for _, r in body]
    frame = pd.DataFrame(rows, columns=names, dtype=object).iloc[:, keep] if rows else \
        pd.DataFrame({names[j]: pd.Series([], dtype=object) for j in keep})
    frame.columns = [names[j] for j in keep]
    for col in frame.columns[frame.apply(_padded).to_numpy()] if rows else ():
        frame[col] = frame[col].str.strip()
    lines = np.array([ln for ln, _ in body], dtype=int)
    return RawTable(frame.reset_index(drop=True), lines, encoding, delimiter), []


def _padded(column: pd.Series) -> bool:
    """Whether any cell of a column of text starts or ends with white space."""
    joined = "\x00".join(column.to_numpy().tolist())
    return joined != joined.strip() or _PAD.search(joined) is not None
