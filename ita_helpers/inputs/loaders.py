"""Reading ITA score files (CSV or XLSX, long or wide form) with whole-file validation.

A file is checked completely before anything is returned: every problem is collected and
raised together as one ITADataError. When each problem belongs to agency-years the file names, the error
is a PartlyRead that also holds the other agency-years' rows, so a batch fails only those reports. It is
read and checked CHUNK_ROWS rows at a time (a CSV file is streamed, never held whole), so memory grows with
a chunk and the result, not with the file. A plain CSV file (no double quote, every cell of a score column a number)
is read by pandas' C parser; at the first doubt or problem it is read again the exact way (the csv
module, as Excel writes it), which says where each problem is.

Files are read as agencies make them in Excel: title rows (merged or not) and blank rows above the
header, Thai or English headers in any of the forms `headers` accepts, an instructions sheet before the
scores, columns of the agency's own (ลำดับ, หมายเหตุ) beside them, Thai digits in the cells. Row numbers in
messages are the rows Excel shows, title rows counted.

Long form: one row per agency, year and indicator: ``org,fiscal_year,indicator,score``.
Wide form, as published tables print it: ``หน่วยงาน,ปีงบประมาณ,1,2,...,10`` where an indicator
column may be headed by its number, its name or both (``ตัวชี้วัดที่ 1``, ``1. การปฏิบัติหน้าที่``).
Both may carry the published total (``คะแนนรวม``, ``reported_total``) and ``source``.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from ..core.errors import ITADataError, NoDataRows, Problem
from ..core.i18n import _, ngettext
from ..core.memory import release_freed_memory
from ..core.paths import special_file, special_file_problem
from ..core.thai import LOWEST_BE_YEAR, TO_ARABIC
from ..domain.methodology import PRESUMED_SPAN, Methodology
from ..domain.names import clean_name, name_problem
from .headers import (
    GROUP,
    HEADER_SEARCH_ROWS,
    INDICATOR,
    ORG,
    SCORE,
    SOURCE,
    TOTAL,
    YEAR,
    Header,
    Vocabulary,
    field_label,
)
from .headers import key as header_key

CSV_SUFFIXES = (".csv", ".txt")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (",", "\t", ";")  # CSV, Excel's 'Text (Tab delimited)' and 'Unicode Text', a ';' list separator
# An encrypted workbook is not a zip file but an OLE compound file, as Excel 97-2003 files are.
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
NOTED_COLUMNS = 10  # columns not read, named one by one in the notes
BLOCK_BYTES = 1 << 20  # a file is looked through this many bytes at a time
# A national file has millions of indicator scores: a year and an indicator number need no more bytes than these.
YEAR_DTYPE = INDICATOR_DTYPE = "int16"
MAX_CELLS = 5_000_000  # filled cells of a workbook's sheet (a national long-form table holds about 3 million)


@dataclass(frozen=True)
class Scores:
    """Validated scores: indicator scores in long form, and the published totals given with them."""

    indicators: pd.DataFrame  # org, fiscal_year, indicator, score, source, file
    reported_totals: pd.DataFrame  # org, fiscal_year, reported_total, source
    # What the reader should be told although nothing is wrong: which sheet of a workbook was read, sheets
    # that look like score tables but were not read, columns not read.
    notes: tuple[Problem, ...] = ()
    groups: pd.DataFrame = field(default_factory=lambda: _empty_groups())  # org, fiscal_year, group (กลุ่ม)

    @staticmethod
    def concat(parts: Iterable[Scores]) -> Scores:
        parts = list(parts)
        return Scores(
            pd.concat([p.indicators for p in parts], ignore_index=True) if parts else _empty_indicators(),
            pd.concat([p.reported_totals for p in parts], ignore_index=True) if parts else _empty_totals(),
            tuple(note for p in parts for note in p.notes),
            pd.concat([p.groups for p in parts], ignore_index=True) if parts else _empty_groups(),
        )


class PartlyRead(ITADataError):
    """A score file whose problems each belong to agency-years it names: every problem is listed, as
    for any ITADataError (`ita validate`), and `scores` holds the rows of the other agency-years, so a
    batch fails only the reports of `failing` (agency-year -> the problems of its rows) and renders the
    rest. `unattributed`: problems of rows whose agency cannot be told (told, failing no report)."""

    def __init__(self, problems: list[Problem], scores: Scores, failing: dict[tuple[str, int], list[Problem]],
                 unattributed: list[Problem]):
        super().__init__(problems)
        self.scores = scores
        self.failing = failing
        self.unattributed = unattributed


def _empty_indicators() -> pd.DataFrame:
    return pd.DataFrame({
        "org": pd.Series(dtype="string"), "fiscal_year": pd.Series(dtype=YEAR_DTYPE),
        "indicator": pd.Series(dtype=INDICATOR_DTYPE), "score": pd.Series(dtype="float64"),
        "source": pd.Series(dtype="string"), "file": pd.Series(dtype="string"),
    })


def _empty_groups() -> pd.DataFrame:
    return pd.DataFrame({"org": pd.Series(dtype="string"), "fiscal_year": pd.Series(dtype="int64"),
                         "group": pd.Series(dtype="string")})


def _groups(long: pd.DataFrame) -> pd.DataFrame:
    """The group (column กลุ่ม) each agency-year is given, where it is given; an optional column."""
    if GROUP not in long:
        return _empty_groups()
    given = long[[ORG, YEAR, GROUP]].astype({GROUP: "string"})
    given = given[given[GROUP].fillna("").str.strip() != ""].drop_duplicates([ORG, YEAR])
    return pd.DataFrame({"org": given[ORG].astype("string"), "fiscal_year": given[YEAR].astype("int64"),
                         "group": given[GROUP].str.strip()}).reset_index(drop=True)


def _empty_totals() -> pd.DataFrame:
    return pd.DataFrame({
        "org": pd.Series(dtype="string"), "fiscal_year": pd.Series(dtype="int64"),
        "reported_total": pd.Series(dtype="float64"), "source": pd.Series(dtype="string"),
    })


# --- cells of a CSV file or of a worksheet ------------------------------------------------------

@dataclass(frozen=True)
class Sheet:
    """A table of cells as text: a CSV file, or one worksheet of a workbook. rows[i] is row i + 1 as Excel
    shows it (blank rows kept)."""

    file: str
    name: str | None  # the worksheet's name; None for a CSV file
    rows: list[list[str]]

    @property
    def where(self) -> str:
        """The file, and the sheet in a workbook, as messages name them."""
        if self.name is None:
            return self.file
        return _("{file}, sheet {sheet}").format(file=self.file, sheet=repr(self.name))


@dataclass(frozen=True)
class _CsvForm:
    """How a CSV file is written: its encoding and delimiter, and a note when it is not UTF-8."""

    encoding: str
    delimiter: str
    notes: tuple[Problem, ...] = ()


def _csv_form(path: Path, name: str) -> _CsvForm:
    """The encoding of a CSV file as Excel saves one, UTF-8 (with or without BOM), UTF-16 with its BOM
    ('Unicode Text') or Thai Windows text (TIS-620, cp874: 'CSV (Comma delimited)' on a Thai Windows, told
    in a note), and its delimiter, ',' unless the first lines split into more cells at tabs or semicolons.
    The file is looked through a block at a time, never held whole."""
    with open(path, "rb") as file:
        start = file.read(len(codecs.BOM_UTF16_LE))
        file.seek(0)
        if start in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            encoding, notes = "utf-16", ()
        elif _decodes(file, "utf-8"):
            encoding, notes = "utf-8-sig", ()
        elif not file.seek(0) and _decodes(file, "cp874", thai=True):
            encoding, notes = "cp874", (Problem(name, _(
                "read as Thai Windows text (TIS-620); Excel's type 'CSV UTF-8 (Comma delimited)' keeps every "
                "character")),)
        else:
            raise _not_utf8(name)
    with open(path, encoding=encoding, newline="") as file:
        head = list(islice(file, HEADER_SEARCH_ROWS))
    delimiter = max(DELIMITERS, key=lambda d: max((len(row) for row in csv.reader(head, delimiter=d)), default=0))
    return _CsvForm(encoding, delimiter, notes)


def _decodes(file, encoding: str, thai: bool = False) -> bool:
    """Whether the rest of `file` is text in `encoding` (and, with `thai`, mostly Thai where it is not ASCII:
    a file of another code page decodes as cp874 too, into Thai letters among other signs)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    consonants = letters = others = 0  # Thai consonants; Thai letters and marks; other characters beyond ASCII
    try:
        for block in iter(lambda: file.read(BLOCK_BYTES), b""):
            text = decoder.decode(block)
            if thai:
                beyond = [char for char in text if char > "\x7f"]
                thai_letters = sum("\u0e01" <= char <= "\u0e4e" for char in beyond)
                consonants += sum("\u0e01" <= char <= "\u0e2e" for char in beyond)
                letters, others = letters + thai_letters, others + len(beyond) - thai_letters
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return not thai or (consonants > 0 and letters > 4 * others)


def _not_utf8(name: str) -> ITADataError:
    return ITADataError(Problem(name, _(
        "the file is not UTF-8 text (Thai letters would be garbled): in Excel, save it with Save As and "
        "the type 'CSV UTF-8 (Comma delimited)'")))


def _damaged(name: str, row: int) -> ITADataError:
    return ITADataError(Problem(name, _(
        "the CSV file is damaged here: a double quote (\") opens a cell and is not closed, or text follows "
        "its closing quote; open the file in Excel and save it again as 'CSV UTF-8'"), row))


def _csv_rows(path: Path, name: str) -> tuple[list[list[str]], list[Problem]]:
    """The cells of a CSV file, and a note when it was not UTF-8."""
    form = _csv_form(path, name)
    rows = list(_csv_records(path, name, form))
    if not any(cell.strip() for row in rows for cell in row):
        raise ITADataError(Problem(name, _("the file is empty")))
    return rows, list(form.notes)


def _damage_row(text: Iterable[str], delimiter: str) -> int:
    """The row where a CSV file is damaged: read again, up to the damage, to say where it is."""
    rows = 0
    try:
        for _row in csv.reader(text, delimiter=delimiter, strict=True):
            rows += 1
    except csv.Error:
        return rows + 1
    raise AssertionError("csv.Error on the first reading only")  # pragma: no cover


def _csv_records(path: Path, name: str, form: _CsvForm, block: int = 10_000) -> Iterator[list[str]]:
    """The rows of a CSV file as they are consumed: memory for a block of rows, not for the file."""
    return chain.from_iterable(_csv_blocks(path, name, form, block))


def _csv_blocks(path: Path, name: str, form: _CsvForm, block: int) -> Iterator[list[list[str]]]:
    try:
        with open(path, encoding=form.encoding, newline="") as file:
            reader = csv.reader(file, delimiter=form.delimiter, strict=True)
            while rows := list(islice(reader, block)):
                yield rows
    except csv.Error:
        with open(path, encoding=form.encoding, newline="") as file:
            raise _damaged(name, _damage_row(file, form.delimiter)) from None


def cell_text(value: object, number_format: str = "General") -> str:
    """A workbook cell as the text it shows (whole numbers without '.0', a percentage as 90%)."""
    if value is None:
        return ""
    if "%" in number_format and isinstance(value, int | float) and not isinstance(value, bool):
        return cell_text(round(value * 100, 10)) + "%"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _row_text(row) -> list[str]:
    """A row's cells as text, trailing empty cells dropped."""
    cells = [cell.value if type(cell.value) is str else cell_text(cell.value, cell.number_format) for cell in row]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def _worksheet_rows(worksheet, name: str, limit: int | None = None) -> list[list[str]]:
    """The rows of a sheet as text, streamed; a sheet's declared size is never trusted for memory.

    A cell formatted but left empty (in column XFD, or on row 1,048,576) makes openpyxl pad every row to it:
    the columns read are bounded by the last filled cell of the first HEADER_SEARCH_ROWS rows (where the
    header is), empty rows after the last filled one are dropped, and a sheet of more than MAX_CELLS filled
    cells is refused."""
    rows = worksheet.iter_rows(max_row=limit)
    top = [_row_text(row) for row in islice(rows, HEADER_SEARCH_ROWS)]
    rows.close()
    width = max(map(len, top), default=0)
    kept = _drop_trailing(top)
    cells = sum(map(len, kept))
    blank = len(top) - len(kept)
    for row in worksheet.iter_rows(min_row=len(top) + 1, max_row=limit, max_col=max(width, 1)):
        text = _row_text(row)
        if not text:
            blank += 1
            continue
        kept.extend([] for _row in range(blank))
        blank = 0
        kept.append(text)
        cells += len(text)
        if cells > MAX_CELLS:
            raise ITADataError(Problem(name, _(
                "sheet {sheet} holds more than {limit:,} filled cells, more than any score table: save the scores "
                "alone as 'CSV UTF-8' and give that file").format(sheet=repr(worksheet.title), limit=MAX_CELLS)))
    return kept


def _drop_trailing(rows: list[list[str]]) -> list[list[str]]:
    end = len(rows)
    while end and not rows[end - 1]:
        end -= 1
    return rows[:end]


def _open_workbook(path: Path, name: str):
    import openpyxl  # here, not at the top: a report's kernel reads CSV slices and need not import it
    from openpyxl.utils.exceptions import InvalidFileException

    with path.open("rb") as file:
        if file.read(len(OLE_SIGNATURE)) == OLE_SIGNATURE:
            raise ITADataError(Problem(name, _(
                "the workbook is protected with a password, or saved as an old Excel 97-2003 file: open it in "
                "Excel, remove the password (File > Info > Protect Workbook) and save it as 'Excel Workbook "
                "(.xlsx)'")))
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, EOFError):
        raise ITADataError(Problem(name, _(
            "cannot read the file (it is not an Excel workbook, or it is damaged): open it in Excel and save it "
            "again as .xlsx"))) from None
    for worksheet in book.worksheets:
        worksheet.reset_dimensions()  # some programs write wrong dimensions; read what is there
    return book


def _sheet_list(worksheets) -> str:
    return ", ".join(repr(w.title) for w in worksheets)


def _named_sheet(worksheets, sheet: str, name: str):
    for match in (lambda w: w.title == sheet, lambda w: header_key(w.title) == header_key(sheet)):
        found = [w for w in worksheets if match(w)]
        if found:
            return found[0]
    raise ITADataError(Problem(name, _("the workbook has no sheet named {sheet}; its sheets: {sheets}").format(
        sheet=repr(sheet), sheets=_sheet_list(worksheets))))


def _check_file(path: Path) -> None:
    name = str(path)
    if not path.exists():
        raise ITADataError(Problem(name, _("file not found")))
    if special_file(path):
        raise ITADataError(special_file_problem(path))
    if path.suffix.lower() not in CSV_SUFFIXES + WORKBOOK_SUFFIXES:
        raise ITADataError(Problem(name, _("unsupported file type {suffix}; use .csv or .xlsx").format(
            suffix=repr(path.suffix))))


def read_sheet(path: Path | str, vocabulary: Vocabulary, sheet: str | None = None) -> tuple[Sheet, list[Problem]]:
    """The cells of the table of scores in a file, and notes on how it was chosen.

    A CSV file is one table (`sheet` does not apply). In a workbook: the sheet named `sheet` (case and
    spaces aside); else its only sheet; else the first sheet (visible ones first) with a header row naming
    the agency and the fiscal year: the notes then say which sheet was read and which others look like
    score tables but were not read."""
    path = Path(path)
    name = str(path)
    _check_file(path)
    if path.suffix.lower() in CSV_SUFFIXES:
        rows, notes = _csv_rows(path, name)
        return Sheet(name, None, rows), notes
    book = _open_workbook(path, name)
    try:
        worksheets = book.worksheets
        if sheet is not None:
            chosen = _named_sheet(worksheets, sheet, name)
            return Sheet(name, chosen.title, _worksheet_rows(chosen, name)), []
        if len(worksheets) == 1:
            return Sheet(name, worksheets[0].title, _worksheet_rows(worksheets[0], name)), []
        ordered = sorted(worksheets, key=lambda w: w.sheet_state != "visible")
        tables = [w for w in ordered if vocabulary.looks_like_scores(_worksheet_rows(w, name, HEADER_SEARCH_ROWS))]
        if not tables:
            raise ITADataError(Problem(name, _(
                "no sheet of this workbook ({sheets}) has a header row naming the fiscal year and the indicators; "
                "{forms}").format(sheets=_sheet_list(worksheets), forms=vocabulary.accepted_forms((YEAR, INDICATOR)))))
        chosen = tables[0]
        notes = [Problem(name, _("scores read from sheet {sheet} (the workbook's sheets: {sheets})").format(
            sheet=repr(chosen.title), sheets=_sheet_list(worksheets)))]
        notes += [Problem(name, _(
            "sheet {sheet} also looks like a score table but was not read (one sheet of a workbook is read): "
            "move it into a file of its own, or choose it with --sheet").format(sheet=repr(other.title)))
            for other in tables[1:]]
        return Sheet(name, chosen.title, _worksheet_rows(chosen, name)), notes
    finally:
        book.close()


def read_table(path: Path | str, sheet: str | None = None) -> pd.DataFrame:
    """A CSV (UTF-8, with or without BOM) or XLSX file (its sheet `sheet`, else the first) as text cells,
    its first row the header (tidied names), for reference tables; `load_scores` finds the header itself."""
    path = Path(path)
    name = str(path)
    _check_file(path)
    if path.suffix.lower() in CSV_SUFFIXES:
        rows, _notes = _csv_rows(path, name)
    else:
        book = _open_workbook(path, name)
        try:
            chosen = _named_sheet(book.worksheets, sheet, name) if sheet is not None else book.worksheets[0]
            rows = _worksheet_rows(chosen, name)
        finally:
            book.close()
    if not rows:
        raise ITADataError(Problem(name, _("the file is empty")))
    header = [" ".join(cell.split()) for cell in rows[0]]
    too_long = _too_long(rows[1:], len(header), 2, name)
    if too_long:
        raise ITADataError(too_long)
    body = [(row + [""] * (len(header) - len(row)))[:len(header)] for row in rows[1:] if row]
    return pd.DataFrame(body, columns=header, dtype=str) if body else pd.DataFrame(columns=header, dtype=str)


# --- the header -------------------------------------------------------------------------------

@dataclass
class _Columns:
    """The read columns of a score table: frame column -> position, header as typed, header row."""

    position: dict[str, int] = field(default_factory=dict)  # org, fiscal_year, ... or an indicator's header
    header: dict[str, str] = field(default_factory=dict)  # what messages call each column
    number: dict[str, int] = field(default_factory=dict)  # indicator header -> indicator number (wide form)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)
    unrecognised: bool = False  # some header looks like an indicator or a known column but names none


def _cell(row: list[str], position: int) -> str:
    return row[position] if position < len(row) else ""


def _header_cells(rows: list[list[str]], top: int, vocabulary: Vocabulary) -> tuple[list[str], list[int], int]:
    """Header cells, the row each comes from (as Excel numbers it), and the index of the first data row.

    A second header row right below is merged in when it names indicators under cells that name none
    (group headers such as IIT / EIT / OIT or ตัวชี้วัด spanning the numbers below, or blank cells) and leaves
    the agency and year cells blank. A data row never does: its scores stand under indicator headers."""
    upper = rows[top]
    lower = rows[top + 1] if top + 1 < len(rows) else []
    keys = [p for p, cell in enumerate(upper) if vocabulary.field(cell) in (ORG, YEAR)]
    under = [p for p, cell in enumerate(lower)
             if cell.strip() and p not in keys and vocabulary.indicator(cell)[0] is not None] if any(lower) else []
    two_rows = (under and not any(_cell(lower, p).strip() for p in keys)
                and not any(_names_something(vocabulary.recognise(_cell(upper, p)))
                            and vocabulary.field(_cell(upper, p)) != INDICATOR for p in under))
    if not two_rows:
        return list(upper), [top + 1] * len(upper), top + 1
    cells, numbers = [], []
    for position in range(max(len(upper), len(lower))):
        below, above = _cell(lower, position), _cell(upper, position)
        heard = [(cell, row) for cell, row in ((below, top + 2), (above, top + 1)) if cell.strip()]
        named = [(cell, row) for cell, row in heard if _names_something(vocabulary.recognise(cell))]
        cell, row = (named or heard or [("", top + 1)])[0]
        cells.append(cell)
        numbers.append(row)
    return cells, numbers, top + 2


def _names_something(header: Header) -> bool:
    return header.read or header.problem is not None or header.extra


def _column_letter(number: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(number) if number <= 16384 else str(number)  # Excel's last column: XFD


def _columns(where: str, headers: list[str], header_rows: list[int], filled: Collection[int],
             vocabulary: Vocabulary) -> _Columns:
    """What each header cell names; problems of the header (unknown indicators, columns given twice) and
    notes on columns not read (`filled`: the positions of blank header cells with values under them)."""
    found = _Columns()
    meaning: dict[object, str] = {}  # what a read column holds -> its header, to find columns given twice
    for position, text in enumerate(headers):
        row = header_rows[position]
        if not text.strip():
            if position in filled:
                found.notes.append(Problem(where, _("this column has values but no header; it was not read"),
                                           row, _column_letter(position + 1)))
            continue
        header = vocabulary.recognise(text)
        if header.problem is not None:
            found.problems.append(Problem(where, header.problem, row, header.text))
            found.unrecognised = True
            continue
        if not header.read:
            if not header.extra:
                found.notes.append(Problem(where, _("column not read: its header is none of those accepted"),
                                           row, header.text))
            continue
        holds = header.field or header.number
        if holds in meaning:
            first = meaning[holds]
            rule = (_("column {column} appears more than once in the header").format(column=header.text)
                    if first == header.text else
                    _("two columns give the {what}: {first} and {second}").format(
                        what=field_label(header.field) if header.field else
                        _("scores of indicator {number}").format(number=header.number),
                        first=repr(first), second=repr(header.text)))
            found.problems.append(Problem(where, rule, row, header.text))
            continue
        meaning[holds] = header.text
        column = header.field or header.text
        found.position[column] = position
        found.header[column] = header.text
        if header.number is not None:
            found.number[column] = header.number
    if len(found.notes) > NOTED_COLUMNS:
        found.notes[NOTED_COLUMNS:] = [Problem(where, _("and {count} more columns not read").format(
            count=len(found.notes) - NOTED_COLUMNS))]
    return found


def _no_header(sheet: Sheet, vocabulary: Vocabulary) -> ITADataError:
    """What the likeliest header row lacks, first; then typos of what it lacks; then, shortly, what is accepted."""
    rows = sheet.rows
    likeliest = vocabulary.likeliest_header_row(rows)
    if likeliest is None:
        return ITADataError(Problem(sheet.where, _("the file is empty") if sheet.name is None
                                    else _("the sheet is empty")))
    cells = [cell for cell in rows[likeliest] if cell.strip()]
    named = {vocabulary.field(cell) for cell in cells}
    has_indicators = vocabulary.names_indicators(cells)
    missing = [YEAR] if YEAR not in named else []
    if not has_indicators and ORG not in named:
        missing.append(INDICATOR)
    what = {YEAR: _("the fiscal year"), INDICATOR: _("the indicators")}
    parts = [_("no header row names {missing} (looked for in the first {count} rows; this row comes closest)").format(
        missing=_(" and ").join(what[m] for m in missing), count=HEADER_SEARCH_ROWS)]
    parts += [_("{column} is not an accepted header: did you mean {form}?").format(column=repr(cell), form=form)
              for cell in cells if YEAR in missing and (form := vocabulary.closest_form(cell, YEAR))]
    parts.append(vocabulary.accepted_forms(missing))
    return ITADataError(Problem(sheet.where, "; ".join(parts), likeliest + 1, None, ", ".join(map(str.strip, cells))))


def _too_long(body: list[list[str]], width: int, first: int, where: str) -> list[Problem]:
    """CSV rows with values beyond the header's columns (`first`: the row number of body[0]): a comma inside
    an unquoted cell shifted them."""
    return [Problem(where, _(
        "this row has {fields} cells but the header row names {columns} columns: a comma inside a cell (e.g. in "
        "the agency's name) needs the whole cell in double quotes").format(fields=len(row), columns=width), number)
        for number, row in enumerate(body, start=first)
        if len(row) > width and any(cell.strip() for cell in row[width:])]


CHUNK_ROWS = 50_000  # rows checked at a time: memory grows with a chunk and the result, not with the file


def _score_cells(path: Path, vocabulary: Vocabulary, sheet: str | None
                 ) -> tuple[Sheet, Iterator[list[str]], list[Problem], _CsvForm | None]:
    """The top rows of the sheet holding the scores (its header is among them), the rows after them, notes
    on how the sheet was chosen or the file read, and how a CSV file is written. A CSV file is read as the
    rows are consumed, never whole."""
    name = str(path)
    _check_file(path)
    if path.suffix.lower() not in CSV_SUFFIXES:
        cells, notes = read_sheet(path, vocabulary, sheet)
        return cells, iter(()), notes, None
    form = _csv_form(path, name)
    records = _csv_records(path, name, form)
    top = list(islice(records, HEADER_SEARCH_ROWS + 1))  # the header and a second header row below it
    if not any(cell.strip() for row in chain(top, records) for cell in row):  # stops at the first value
        raise ITADataError(Problem(name, _("the file is empty")))
    return Sheet(name, None, top), records, list(form.notes), form


@dataclass(frozen=True)
class _Layout:
    """Where the header of a score table is and what its columns are."""

    where: str
    headers: list[str]
    header_rows: list[int]  # the row each header cell comes from, as Excel numbers it
    first: int  # index of the first data row among the sheet's rows
    header_row: int
    columns: _Columns
    csv_like: bool  # a CSV file: a row longer than the header is an error, not a column without header
    agency: str | None = None  # whose every row is, when the table has no agency column


def _layout(sheet: Sheet, vocabulary: Vocabulary, agency: str | None = None) -> _Layout:
    """The header among the top rows of `sheet` and what its columns name. A table with no agency column is
    `agency`'s own (the folder's agency); without one it is refused, saying so first."""
    top = vocabulary.find_header_row(sheet.rows)
    if top is None:
        raise _no_header(sheet, vocabulary)
    headers, header_rows, first = _header_cells(sheet.rows, top, vocabulary)
    columns = _columns(sheet.where, headers, header_rows, (), vocabulary)
    if ORG in columns.position:
        agency = None
    elif agency is None:
        raise ITADataError(Problem(sheet.where, _(
            "no agency column, and the folder does not say whose scores these are: add a column หน่วยงาน with "
            "the agency's name on every row, or write the agency's name in agency.txt at the top of the data "
            "folder (ita init --org writes it), or name the one agency with --org"), top + 1))
    else:
        columns.header[ORG] = field_label(ORG)
    return _Layout(sheet.where, headers, header_rows, first, top + 1, columns, sheet.name is None, agency)


def _unheaded(layout: _Layout, rows: list[list[str]]) -> set[int]:
    """Positions of blank header cells (in a workbook, also of cells right of the header) with values in `rows`."""
    width = len(layout.headers)
    found = {p for p, text in enumerate(layout.headers) if not text.strip() and any(_cell(r, p).strip() for r in rows)}
    if not layout.csv_like:
        found |= {p for r in rows if len(r) > width for p in range(width, len(r)) if r[p].strip()}
    return found


def _chunk_table(layout: _Layout, rows: list[list[str]], first: int) -> pd.DataFrame:
    """The read columns of `rows` (rows[0] is row `first` as Excel numbers it) as text, indexed by row
    number, blank rows left out."""
    width = len(layout.headers)
    rows = [row if len(row) >= width else row + [""] * (width - len(row)) for row in rows]
    frame = pd.DataFrame({column: pd.Series(list(map(itemgetter(position), rows)), dtype=object)
                          for column, position in layout.columns.position.items()})
    frame.index = pd.RangeIndex(first, first + len(rows))
    return _tidy_table(_with_agency(frame, layout))


def _with_agency(frame: pd.DataFrame, layout: _Layout) -> pd.DataFrame:
    """A table without an agency column given its agency (the folder's) on every row."""
    if layout.agency is not None:
        frame[ORG] = pd.Series(layout.agency, index=frame.index, dtype=object)
    return frame


def _tidy_table(frame: pd.DataFrame) -> pd.DataFrame:
    """Agency names in one spelling (names.clean_name), repeated cells shared, blank rows left out."""
    for column in {SOURCE, TOTAL, GROUP} & set(frame.columns):
        frame[column] = _shared(frame[column])
    frame[ORG] = _shared(frame[ORG], clean_name)
    blank = frame[ORG].eq("") & _shared(frame[YEAR], str.strip).eq("")  # then every read cell is looked at
    if blank.any():
        blank[blank] = frame[blank].apply(  # numbers read quickly are never blank
            lambda column: column.str.strip().eq("") if column.dtype == object else column.isna()).all(axis=1)
    return frame[~blank]


class _NotQuick(Exception):
    """The quick reading met what only the exact one reads right: the file is read again the exact way."""


def _quick_tables(path: Path, form: _CsvForm | None, top: Sheet, layout: _Layout, chunk_rows: int
                  ) -> Iterator[pd.DataFrame] | None:
    """The tables of a plain CSV file as pandas' C parser reads it, score columns straight to numbers
    (quicker than the exact reading), or None when the file is not plain: a double quote anywhere (a
    row may then span lines), a header cell left blank, a first data row longer than the header. A longer
    row further down, a cell that is not a plain number, bytes that are not UTF-8 raise _NotQuick."""
    width = len(layout.headers)
    columns = layout.columns
    if (form is None or not layout.csv_like or not all(cell.strip() for cell in layout.headers)
            or layout.first >= len(top.rows) or len(top.rows[layout.first]) > width + 1 or _has_quote(path)):
        return None
    numeric = {columns.position[c] for c in (*columns.number, SCORE) if c in columns.position}
    reader = pd.read_csv(  # one column more than the header, to see rows that are longer
        path, header=None, names=range(width + 1), index_col=False, skiprows=layout.first, engine="c",
        dtype={p: "float64" if p in numeric else object for p in range(width + 1)}, na_filter=False,
        skip_blank_lines=False, encoding=form.encoding, sep=form.delimiter, chunksize=chunk_rows)

    def tables() -> Iterator[pd.DataFrame]:
        number = layout.first + 1
        try:
            for chunk in reader:
                if chunk[width].ne("").any():
                    raise _NotQuick
                frame = pd.DataFrame({column: chunk[position] for column, position in columns.position.items()})
                frame.index = pd.RangeIndex(number, number + len(chunk))
                number += len(chunk)
                yield _tidy_table(_with_agency(frame, layout))
        except ValueError:  # a cell that is not a number, a row too long, bytes that are not UTF-8
            raise _NotQuick from None
        finally:
            reader.close()

    return tables()


def _has_quote(path: Path, block: int = 1 << 20) -> bool:
    with open(path, "rb") as file:
        return any(b'"' in data for data in iter(lambda: file.read(block), b""))


def _exact_tables(top: Sheet, rest: Iterator[list[str]], layout: _Layout, chunk_rows: int,
                  too_long: list[Problem], filled: set[int]) -> Iterator[pd.DataFrame]:
    """The tables of the rows as read, `chunk_rows` at a time; rows longer than a CSV file's header and
    cells with values under no header are added to `too_long` and `filled`."""
    body = chain(top.rows[layout.first:], rest)
    number = layout.first + 1
    while chunk := list(islice(body, chunk_rows)):
        if layout.csv_like:
            too_long += _too_long(chunk, len(layout.headers), number, layout.where)
        filled |= _unheaded(layout, chunk)
        yield _chunk_table(layout, chunk, number)
        number += len(chunk)


def _shared(cells: pd.Series, tidy: Callable[[str], str] | None = None) -> pd.Series:
    """Equal cells as one object (`tidy` applied to each distinct cell once): a file repeats each agency's
    name, year and source on every row, and a chunk's rows are kept until the whole file is checked."""
    codes, uniques = pd.factorize(cells)
    distinct = np.array([tidy(cell) for cell in uniques] if tidy else uniques, dtype=object)
    return pd.Series(distinct[codes], index=cells.index, dtype=object)


# --- validation -------------------------------------------------------------------------------

def _numbers(cells: pd.Series) -> pd.Series:
    """Text cells (Arabic or Thai digits, spaces around, a % after) as floats; anything else becomes NaN.
    Each distinct text is read once: scores, years and totals repeat down a file."""
    codes, texts = pd.factorize(cells, use_na_sentinel=False)
    texts = pd.Series(texts)
    values = pd.to_numeric(texts, errors="coerce").astype("float64")
    retry = values.isna() & texts.ne("")
    if retry.any():  # Thai digits, non-breaking spaces, 90% (a score is a percentage)
        text = texts[retry].astype("string").str.translate(TO_ARABIC).str.strip().str.removesuffix("%")
        values[retry] = pd.to_numeric(text, errors="coerce").astype("float64")
    return pd.Series(values.to_numpy()[codes], index=cells.index)


def _problems_at(mask: pd.Series, table: pd.DataFrame, where: str, column: str, shown: str, rule: str
                 ) -> list[Problem]:
    return [Problem(where, rule, int(r), shown, table.at[r, column]) for r in table.index[mask.to_numpy()]]


def _to_long(table: pd.DataFrame, columns: _Columns) -> pd.DataFrame:
    """A wide table in long form, row by row (a file in order of agency and year stays in order), each
    indicator named by its number."""
    times = len(columns.number)
    kept = [c for c in (ORG, YEAR, TOTAL, SOURCE, GROUP) if c in table.columns]
    return pd.DataFrame({
        "_row": np.repeat(table.index.to_numpy(), times),
        **{c: np.repeat(table[c].to_numpy(), times) for c in kept},
        "_column": np.tile(np.array(list(columns.number), dtype=object), len(table)),
        "score": table[list(columns.number)].to_numpy().ravel(),  # text, or numbers read quickly
        "indicator": pd.array(np.tile(list(columns.number.values()), len(table)), dtype="Int64"),
    })


def _long_indicators(table: pd.DataFrame, where: str, columns: _Columns, vocabulary: Vocabulary
                     ) -> tuple[pd.DataFrame, list[Problem]]:
    long = table.assign(_row=table.index, _column=columns.header[SCORE])
    labels = long[INDICATOR].astype("string")
    read = {label: vocabulary.indicator(label) for label in labels.unique()}
    long[INDICATOR] = labels.map({label: number for label, (number, why) in read.items()}).astype("Int64")
    problems = []
    for row in long.index[long[INDICATOR].isna()]:
        label = table.at[row, INDICATOR]
        problems.append(Problem(where, read[label][1] or vocabulary.unknown(label), int(row),
                                columns.header[INDICATOR], label))
    return long, problems


def _check_years(table: pd.DataFrame, where: str, shown: str, methodology: Methodology
                 ) -> tuple[pd.Series, list[Problem]]:
    years = _numbers(table[YEAR])
    problems = _problems_at(years.isna() | (years % 1 != 0), table, where, YEAR, shown,
                            _("fiscal year is not a whole number"))
    problems += _problems_at(years < LOWEST_BE_YEAR, table, where, YEAR, shown,
                             _("fiscal year looks like a Christian-Era year; ITA years are Buddhist Era "
                               "(B.E. = C.E. + 543, e.g. 2023 -> 2566)"))
    known = pd.Series(sorted(methodology.years), dtype="float64")
    # a year after the last known one is scored with the latest framework (presumed); an earlier one is not
    unknown = (years >= LOWEST_BE_YEAR) & ~years.isin(known)
    unknown &= ~years.between(methodology.latest_year + 1, methodology.latest_year + PRESUMED_SPAN)
    problems += _problems_at(unknown, table, where, YEAR, shown,
                             _("no methodology for this fiscal year (known: {years})").format(
                                 years=", ".join(map(str, methodology.years))))
    return years, problems


def _form_problems(columns: _Columns, where: str, header_row: int, vocabulary: Vocabulary) -> list[Problem]:
    """A table is wide (indicator columns) or long (an indicator column and a score column), not both."""
    long = [c for c in (INDICATOR, SCORE) if c in columns.position]
    if len(long) == 1:
        return [Problem(where, _("one row per indicator needs two columns, {indicator} and {score}; for the "
                                 "published total use {total}").format(
            indicator=field_label(INDICATOR), score=field_label(SCORE), total="คะแนนรวม"), header_row,
            columns.header[long[0]])]
    if long and columns.number:
        return [Problem(where, _("a table with one row per indicator (columns {indicator} and {score}) cannot "
                                 "also have a column for each indicator").format(
            indicator=repr(columns.header[INDICATOR]), score=repr(columns.header[SCORE])), header_row, column)
            for column in columns.number]
    if not long and not columns.number and not columns.problems:
        return [Problem(where, _("no indicator columns; {forms}").format(
            forms=vocabulary.accepted_forms((INDICATOR,))), header_row)]
    return []


def load_scores(path: Path | str, methodology: Methodology, sheet: str | None = None,
                orgs: Collection[str] | None = None, chunk_rows: int = CHUNK_ROWS, agency: str | None = None
                ) -> Scores:
    """Read and validate one score file; raises ITADataError listing every problem in it (a PartlyRead, with
    the rows of the agency-years without problems, when the problems are those of some agency-years' rows).

    `sheet`: the worksheet to read in a workbook (by name); by default the one holding the scores.
    `orgs`: read only the rows of these agencies (a report reads no other agency's rows, and other rows'
    problems are not looked for). `agency`: whose rows a table without an agency column holds (the
    folder's agency, see own_agency); without it such a table is refused. Rows are checked `chunk_rows` at a
    time; what the whole file must
    satisfy (no agency-year twice, every indicator given) is checked on the rows kept. A plain CSV file is
    read quickly; one with any problem is read again the exact way, which says where each problem is."""
    path = Path(path)
    vocabulary = Vocabulary.of(methodology)
    top, rest, notes, form = _score_cells(path, vocabulary, sheet)
    layout = _layout(top, vocabulary, agency)
    quick = _quick_tables(path, form, top, layout, chunk_rows)
    if quick is not None:
        try:
            return _checked_scores(path, methodology, vocabulary, layout, notes, orgs, quick, [], set(), quick=True)
        except _NotQuick:
            top, rest, notes, form = _score_cells(path, vocabulary, sheet)
    too_long: list[Problem] = []
    filled: set[int] = set()
    tables = _exact_tables(top, rest, layout, chunk_rows, too_long, filled)
    return _checked_scores(path, methodology, vocabulary, layout, notes, orgs, tables, too_long, filled)


def _checked_scores(path: Path, methodology: Methodology, vocabulary: Vocabulary, layout: _Layout,
                    notes: list[Problem], orgs: Collection[str] | None, tables: Iterator[pd.DataFrame],
                    too_long: list[Problem], filled: set[int], quick: bool = False) -> Scores:
    """`load_scores` once the header is known: each table checked row by row, then the whole file.
    `quick`: any problem raises _NotQuick (the exact reading tells it as the file has it)."""
    name = str(path)
    where, columns = layout.where, layout.columns
    file_years, parts, row_problems = set(), [], []
    for table in tables:
        if orgs is not None:
            table = table[table[ORG].isin(orgs)]
        if not table.empty:
            long, problems, years = _checked_rows(table, layout, methodology, vocabulary)
            parts.append({column: long[column].copy() for column in long.columns})  # each column its own array
            row_problems += problems
            file_years |= years
    row_problems += too_long  # a CSV row longer than its header: a problem of that row
    headers = layout.headers + [""] * (max(filled, default=-1) + 1 - len(layout.headers))
    header_rows = layout.header_rows + [layout.header_row] * (len(headers) - len(layout.header_rows))
    notes += _columns(where, headers, header_rows, filled, vocabulary).notes
    if layout.agency is not None:
        notes.append(Problem(where, _("no agency column: the scores are read as those of {org}, the folder's "
                                      "agency").format(org=layout.agency), layout.header_row))
    problems = list(columns.problems) + _form_problems(columns, where, layout.header_row, vocabulary)
    if columns.unrecognised:  # said once, beside the columns that cannot be read: what would be read
        problems.append(Problem(where, _("the header has columns that cannot be read; {names}").format(
            names=vocabulary.official_names(file_years)), layout.header_row))
    if quick and (problems or row_problems or not parts):
        raise _NotQuick
    if not parts:
        if problems:
            raise ITADataError(problems)
        raise NoDataRows(Problem(where, _("the file has a header but no data rows")))
    header_problems = problems
    problems = list(row_problems)
    long = _concat(parts)
    release_freed_memory()  # the chunks' arrays, let go
    keys = _keys(long)  # for the checks and the sort below
    cells = keys.cells
    known = cells >= 0
    identified = _rows(long, known)
    duplicated = _repeated(_rows(cells, known))
    column_of = ({number: key for key, number in columns.number.items()} if columns.number else
                 defaultdict(lambda: columns.header[SCORE]))
    problems += [
        Problem(where, _("duplicate score for {org}, {year}, indicator {number}").format(
            org=org, year=int(year), number=int(number)), int(row), column_of[int(number)], score)
        for org, year, number, row, score in identified.loc[
            duplicated, [ORG, YEAR, "indicator", "_row", "score"]].itertuples(index=False)]
    problems += _completeness(_rows(identified, ~duplicated), _rows(_rows(keys.pairs, known), ~duplicated), keys.years,
                              where, methodology)
    del identified, keys

    totals, total_problems = _reported_totals(long, where, columns.header.get(TOTAL, TOTAL), name)
    problems += total_problems
    if (problems or header_problems) and quick:
        raise _NotQuick
    if problems or header_problems:
        _partly(long, cells, totals, header_problems, problems, where, name, notes, methodology)
    scores = _scores_of(long, cells, totals, name, notes)
    release_freed_memory()  # the checked rows, let go as they became the scores
    return scores


def _scores_of(long: pd.DataFrame, cells: np.ndarray, totals: pd.DataFrame, name: str, notes: list[Problem]
               ) -> Scores:
    """Checked rows in long form as Scores, in order of agency, year and indicator."""
    if not _ascending(cells):  # rows are often in order already
        long = long.take(np.argsort(cells, kind="stable")).reset_index(drop=True)
    groups = _groups(long)  # before the columns are let go
    index = long.index
    columns_of = {  # each column of `long` let go as soon as it is converted: the file's rows are held once
        "org": lambda: long.pop(ORG).astype("string"),
        "fiscal_year": lambda: long.pop(YEAR).astype(YEAR_DTYPE),
        "indicator": lambda: long.pop("indicator").astype(INDICATOR_DTYPE),
        "score": lambda: long.pop("score"),
        "source": lambda: (long.pop(SOURCE) if SOURCE in long else pd.Series(name, index=index)).astype("string"),
        "file": lambda: pd.Series(name, index=index, dtype="string"),
    }
    indicators = pd.DataFrame({column: make() for column, make in columns_of.items()}, copy=False)
    return Scores(indicators, totals, tuple(notes), groups)


def _concat(parts: list[dict[str, pd.Series]]) -> pd.DataFrame:
    """The chunks' rows as one table, joined column by column, each chunk's column let go once joined: the rows
    are held about once, not twice as `pd.concat` of whole tables holds them. Empties `parts`."""
    joined = {}
    for column in list(parts[0]):
        pieces = [part.pop(column) for part in parts]
        joined[column] = (pd.Series(union_categoricals(pieces)) if isinstance(pieces[0].dtype, pd.CategoricalDtype)
                          else pd.concat(pieces, ignore_index=True))
    parts.clear()
    return pd.DataFrame(joined, copy=False)


def _owners(long: pd.DataFrame, methodology: Methodology) -> pd.DataFrame:
    """Each row's agency and year (indexed by the row's number), each None when it cannot be told (an empty or
    unusable name, a year that is not one of the methodology's): whose report a problem of the row fails."""
    rows = long.drop_duplicates("_row").set_index("_row")
    names = pd.Series(rows[ORG].astype(str).to_numpy(), index=rows.index)
    usable = {name: bool(name) and name_problem(name) is None for name in names.unique()}
    years = rows[YEAR].astype("float64")
    presumed = years.between(methodology.latest_year + 1, methodology.latest_year + PRESUMED_SPAN)
    known = (years % 1 == 0) & (years.isin([float(y) for y in methodology.years]) | presumed)
    return pd.DataFrame({"org": pd.Series([n if usable[n] else None for n in names], index=rows.index, dtype=object),
                         "year": pd.Series([int(y) if k else None for y, k in zip(years, known)],
                                           index=rows.index, dtype=object)})


def _partly(long: pd.DataFrame, cells: np.ndarray, totals: pd.DataFrame, header_problems: list[Problem],
            problems: list[Problem], where: str, name: str, notes: list[Problem], methodology: Methodology) -> None:
    """Raise what is wrong: a PartlyRead when the problems belong to agency-years the file names (the other
    agency-years' rows kept), else an ITADataError of the whole file.

    A problem of the header fails every agency-year the file names (said first, plainly); a row whose year
    cannot be told fails its agency's every year in the file; a row whose agency cannot be told fails no
    report and is told. A file in which no agency-year can be told is unusable whole."""
    owners = _owners(long, methodology)
    named_pairs = sorted({(o, y) for o, y in owners.itertuples(index=False) if o is not None and y is not None})
    everything = sorted(header_problems + problems, key=lambda p: (p.row or 0, p.column or ""))
    if not named_pairs:
        raise ITADataError(everything)
    failing: dict[tuple[str, int], list[Problem]] = {}
    unattributed: list[Problem] = []
    if header_problems:
        whole = [Problem(where, _("the file cannot be read as a whole: every report of the {count} agency-year(s) "
                                  "it names fails until it is mended").format(count=len(named_pairs))),
                 *header_problems]
        failing = {pair: list(whole) for pair in named_pairs}
    years_of: dict[str, list[int]] = {}
    for org, year in named_pairs:
        years_of.setdefault(org, []).append(year)
    owner_of = dict(zip(owners.index, zip(owners["org"], owners["year"])))
    for problem in problems:
        org, year = owner_of.get(problem.row, (None, None))
        if org is None or org not in years_of:
            unattributed.append(problem)
            continue
        for pair in [(org, year)] if year is not None else [(org, y) for y in years_of[org]]:
            failing.setdefault(pair, []).append(problem)
    for found in failing.values():
        found.sort(key=lambda p: (p.row or 0, p.column or ""))
    owner = pd.Series([(o, y) if o is not None and y is not None else None
                       for o, y in owners.itertuples(index=False)], index=owners.index, dtype=object)
    good = owner.map(lambda pair: pair is not None and pair not in failing)
    keep = long["_row"].map(good).to_numpy(dtype=bool)
    kept_pairs = set(named_pairs) - set(failing)
    good_totals = [pd.notna(y) and (str(o), int(y)) in kept_pairs for o, y in zip(totals["org"], totals["fiscal_year"])]
    kept = _scores_of(long[keep].reset_index(drop=True), cells[keep], totals.loc[np.array(good_totals, dtype=bool)],
                      name, notes)
    raise PartlyRead(everything, kept, failing, unattributed)


def _checked_rows(table: pd.DataFrame, layout: _Layout, methodology: Methodology, vocabulary: Vocabulary
                  ) -> tuple[pd.DataFrame, list[Problem], set[int]]:
    """The checks of each row of a chunk of the table by itself (agency, year, indicator, score): its scores
    in long form, the problems found, and the whole-number years it names."""
    where, columns, shown = layout.where, layout.columns, layout.columns.header
    years, year_problems = _check_years(table, where, shown[YEAR], methodology)
    named_years = {int(y) for y in years.dropna().unique() if y % 1 == 0}
    problems = _problems_at(table[ORG] == "", table, where, ORG, shown[ORG], _("agency name is empty"))
    for org, rule in {org: rule for org in table[ORG].unique() if (rule := name_problem(org))}.items():
        problems += _problems_at(table[ORG] == org, table, where, ORG, shown[ORG], rule)
    problems += year_problems
    table = table.assign(fiscal_year=years)

    if INDICATOR in columns.position and SCORE in columns.position:
        long, shape_problems = _long_indicators(table, where, columns, vocabulary)
        problems += shape_problems
    else:
        long = _to_long(table, columns)

    scores = _numbers(long["score"])
    bad_number = scores.isna()
    problems += [Problem(where, _("score is not a number"), int(row), column, value)
                 for row, column, value in long.loc[bad_number, ["_row", "_column", "score"]].itertuples(index=False)]
    outside = ~bad_number & ((scores < 0) | (scores > 100))
    problems += [Problem(where, _("score outside 0-100"), int(row), column, value)
                 for row, column, value in long.loc[outside, ["_row", "_column", "score"]].itertuples(index=False)]
    long["score"] = scores
    # kept until the whole file is checked: the fewest bytes a row (a column is told from its indicator, a
    # text repeated down the file is a category; a year is exact in float32)
    texts = [c for c in (ORG, TOTAL, SOURCE, GROUP) if c in long]
    kept = long[[*texts, YEAR, "indicator", "score", "_row"]]
    return (kept.astype({YEAR: "float32", "indicator": "Int16", "_row": "int32"} | dict.fromkeys(texts, "category")),
            problems, named_years)


def _repeated(cells: np.ndarray) -> np.ndarray:
    """Whether each cell number was seen before (`duplicated(keep="first")`), by sorting instead of a hash
    table of every row: a file's rows are often in order already, and then nothing is sorted."""
    if _ascending(cells):
        return np.zeros(len(cells), dtype=bool)
    order = np.argsort(cells, kind="stable")
    ordered = cells[order]
    repeated = np.empty(len(cells), dtype=bool)
    repeated[order] = np.concatenate(([False], ordered[1:] == ordered[:-1]))
    return repeated


def _ascending(cells: np.ndarray) -> bool:
    return bool((cells[1:] > cells[:-1]).all())  # a mask of bytes, not a difference of 8 bytes a row


def _rows(table: pd.DataFrame | np.ndarray, mask: np.ndarray) -> pd.DataFrame | np.ndarray:
    """`table[mask]` (a table's rows or an array's values), without a copy of every row when the mask keeps
    them all (as it does in a good file)."""
    return table if mask.all() else table[mask]


@dataclass(frozen=True)
class _Keys:
    """Each row's agency-year (`pairs`) and cell (agency-year and indicator, `cells`) as integers in the order
    of names, years and indicators; a cell is -1 where the year or the indicator is unknown. Agency-year
    number p is the agency of category p // (len(years) + 1) in the year years[p % (len(years) + 1)]."""

    pairs: np.ndarray
    cells: np.ndarray
    years: np.ndarray


def _keys(long: pd.DataFrame) -> _Keys:
    """The rows' `_Keys`, in the narrowest integers that hold them (a national file has millions of rows). The
    agency column's categories are put in order of names."""
    long[ORG] = long[ORG].cat.set_categories(sorted(long[ORG].cat.categories))
    orgs = long[ORG].cat.codes.to_numpy()
    column = long[YEAR].to_numpy()
    year_values = np.sort(pd.unique(column[~np.isnan(column)]))
    years = np.empty(len(column), dtype=np.int32)
    for start in range(0, len(column), CHUNK_ROWS):  # a year not told (NaN) sorts last: the agency's last place
        years[start:start + CHUNK_ROWS] = np.searchsorted(year_values, column[start:start + CHUNK_ROWS])
    # A year that is not a whole number of four digits names no agency-year (the row's problem says so); kept in
    # float32, two such years may even look alike.
    told = np.append((year_values % 1 == 0) & (year_values < 10_000), False)
    unknown_year = ~told[years]
    years[unknown_year] = len(year_values)
    indicators = long["indicator"].to_numpy(dtype="int16", na_value=-1)
    spread = (len(year_values) + 1) * (int(indicators.max(initial=0)) + 1)
    wide = np.int64 if len(long[ORG].cat.categories) * spread >= np.iinfo(np.int32).max else np.int32
    pairs = orgs.astype(wide) * (len(year_values) + 1) + years
    del years
    cells = pairs * (int(indicators.max(initial=0)) + 1) + indicators
    cells[unknown_year | (indicators < 0)] = -1
    return _Keys(pairs, cells, np.asarray(year_values))


def _completeness(long: pd.DataFrame, pairs: np.ndarray, years: np.ndarray, where: str, methodology: Methodology
                  ) -> list[Problem]:
    """Every agency-year must have every indicator of its year's methodology (`long`: one row each; `pairs`
    and `years`: its agency-years as `_Keys` numbers them). Counted by agency-year number, without a table of
    the pairs."""
    later = (years >= methodology.latest_year + 1) & (years <= methodology.latest_year + PRESUMED_SPAN)  # presumed
    known = np.isin(years, list(methodology.years)) | later
    needed = np.array([len(methodology.year(int(year)).indicators) if ok else 0 for year, ok in zip(years, known)]
                      + [0])  # the last place: a year that is not known
    counts = np.bincount(pairs)
    expected = np.resize(needed, len(counts))  # agency-year p is of year p % (len(years) + 1)
    problems = []
    for short in np.flatnonzero((counts > 0) & (counts < expected)):
        rows = long[pairs == short]
        org, year = rows[ORG].iloc[0], rows[YEAR].iloc[0]
        missing = sorted(set(methodology.year(int(year)).indicator_numbers) - set(rows["indicator"].astype(int)))
        problems.append(Problem(where, ngettext(
            "{org}, {year} lacks indicator {numbers}", "{org}, {year} lacks indicators {numbers}", len(missing),
        ).format(org=org, year=int(year), numbers=", ".join(map(str, missing))), int(rows["_row"].iloc[0])))
    return problems


def _reported_totals(long: pd.DataFrame, where: str, shown: str, name: str) -> tuple[pd.DataFrame, list[Problem]]:
    if TOTAL not in long:
        return _empty_totals(), []
    given = long[long[TOTAL].astype("string").str.strip() != ""].drop_duplicates("_row")
    values = _numbers(given[TOTAL])
    problems = [
        Problem(where, _("reported total is not a number between 0 and 100"), int(row), shown, value)
        for row, value in given.loc[values.isna() | (values < 0) | (values > 100), ["_row", TOTAL]].itertuples(
            index=False)
    ]
    totals = given.assign(reported_total=values).drop_duplicates([ORG, YEAR, TOTAL])
    conflicting = totals.duplicated([ORG, YEAR], keep="first")
    problems += [
        Problem(where, _("two different reported totals for one agency-year"), int(row), shown, value)
        for row, value in totals.loc[conflicting, ["_row", TOTAL]].itertuples(index=False)
    ]
    source = totals[SOURCE] if SOURCE in totals else pd.Series(name, index=totals.index)
    frame = pd.DataFrame({
        "org": totals[ORG].astype("string"),
        "fiscal_year": totals[YEAR].astype("Int64"),
        "reported_total": totals[TOTAL],
        "source": source.astype("string"),
    })
    return frame, problems


def scored_twice(indicators: pd.DataFrame) -> dict[str, list[Problem]]:
    """Agency -> its agency-years with scores in more than one file (which one is right is not ours to
    choose)."""
    clash = indicators.duplicated(["org", "fiscal_year", "indicator"], keep=False)
    found: dict[str, list[Problem]] = {}
    for (org, year), group in indicators[clash].groupby(["org", "fiscal_year"]):
        found.setdefault(str(org), []).append(Problem(
            ", ".join(sorted(set(group["file"]))),
            _("{org}, {year} has scores in more than one file").format(org=org, year=year)))
    return found


def merge_scores(parts: Iterable[Scores]) -> Scores:
    """Scores of several files as one; an agency-year with scores in two files is an error."""
    parts = list(parts)
    if len(parts) == 1:  # a file's own repeats are its problems (load_scores)
        return parts[0]
    scores = Scores.concat(parts)
    clashes = scored_twice(scores.indicators)
    if clashes:
        raise ITADataError([p for problems in clashes.values() for p in problems])
    return scores


def load_score_files(paths: Iterable[Path | str], methodology: Methodology, sheet: str | None = None) -> Scores:
    """Load several files, reporting the problems of all of them together, and duplicates across files.
    `sheet` applies to every workbook among them (see `load_scores`)."""
    parts, problems = [], []
    for path in paths:
        try:
            parts.append(load_scores(path, methodology, sheet))
        except ITADataError as err:
            problems += err.problems
    if problems:
        raise ITADataError(problems)
    return merge_scores(parts)
