"""An agency's results below the indicator, as it copies them from the NACC system's screens: a workbook in
the data folder's `questions/` with one sheet per tool (IIT and EIT: code, wording, score 0-100; OIT: item,
title, มี/ไม่มี, link, the consultant's remark), and `หน่วยงาน` and `ปีงบประมาณ` above the tables.

Tables pasted from a screen are read as they come: the header row is looked for in each sheet, its Thai
(or English) headings matched, codes read as `i1`, `I1`, `ข้อ 1`, `ข้อที่ ๑`, `O12` (or at the start of
the question's text), numbers in Thai or Arabic digits. Each code is checked against the year's list
(domain.questions): a code missing, given twice or unknown is told with its cell.

`questions/ชุดข้อคำถาม.xlsx`, when present, is the folder's own catalogue (CATALOGUE_NAME): one row per
question or item, for a year the bundled lists lack or to correct them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.errors import ITADataError, NoDataRows, Problem
from ..core.i18n import _
from ..core.paths import is_clutter
from ..core.thai import LOWEST_BE_YEAR, to_arabic_digits
from ..domain.methodology import Methodology
from ..domain.names import clean_name
from ..domain.questions import (
    TOOLS,
    Question,
    QuestionCatalogue,
    QuestionList,
    code_of,
    indicator_means,
    list_problems,
    oit_indicator_scores,
)
from .loaders import cell_text

if TYPE_CHECKING:  # openpyxl is imported where a workbook is read: a folder without one never loads it
    from openpyxl.worksheet.worksheet import Worksheet

    from .loaders import Scores

FOLDER = "questions"
CATALOGUE_NAME = "ชุดข้อคำถาม.xlsx"
SEARCHED_ROWS = 40
HEADER_LABELS = {"org": ("หน่วยงาน", "ชื่อหน่วยงาน", "agency"), "year": ("ปีงบประมาณ", "ปีงบประมาณ พ.ศ.", "fiscal year")}
# Column key -> the headings a table may give it, the first the one the template writes.
COLUMNS: dict[str, tuple[str, ...]] = {
    "code": ("ข้อ", "ข้อที่", "รหัส", "รหัสข้อ", "ลำดับข้อ", "code", "item"),
    "wording": ("ข้อคำถาม", "ชื่อรายการ", "คำถาม", "รายการ", "ประเด็น", "ประเด็นการประเมิน", "รายละเอียด",
                "wording", "title"),
    "score": ("คะแนน (0-100)", "คะแนน", "คะแนนเฉลี่ย", "ผลคะแนน", "score"),
    "present": ("มี/ไม่มี", "มี / ไม่มี", "ผลการตรวจ", "ผลการประเมิน", "การเผยแพร่", "present"),
    "link": ("ลิงก์", "ลิงค์", "URL", "link", "ที่อยู่เว็บไซต์"),
    "remark": ("ข้อสังเกตของที่ปรึกษา", "ข้อสังเกต", "ข้อเสนอแนะ", "หมายเหตุ", "remark"),
}
CATALOGUE_COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("ปีงบประมาณ",), "tool": ("เครื่องมือ",), "code": ("ข้อ",), "indicator": ("ตัวชี้วัดที่",),
    "sub_indicator": ("ตัวชี้วัดย่อย",), "wording": ("ข้อความ",), "source": ("แหล่งที่มา",),
}
PRESENT = {"มี": True, "ไม่มี": False, "✓": True, "✗": False, "ใช่": True, "ไม่ใช่": False, "yes": True, "no": False,
           "ผ่าน": True, "ไม่ผ่าน": False, "1": True, "0": False, "true": True, "false": False}


@dataclass(frozen=True)
class Answer:
    """One question's score (IIT, EIT) or one item's มี/ไม่มี (OIT), with the agency's own label of it."""

    code: str
    tool: str
    label: str  # as the agency wrote it; "" when it wrote none
    score: float | None = None
    present: bool | None = None
    link: str = ""
    remark: str = ""
    where: str = ""  # file and sheet
    row: int = 0
    column: str = ""  # of the score or มี/ไม่มี
    code_column: str = ""

    @property
    def value(self) -> float:
        """The question's score, or 100 / 0 for an item published or not."""
        return self.score if self.score is not None else 100.0 * bool(self.present)


@dataclass(frozen=True)
class QuestionResults:
    """One agency-year's questions and items, as its workbook gives them."""

    org: str
    fiscal_year: int
    file: str
    answers: tuple[Answer, ...]

    @property
    def tools(self) -> list[str]:
        return [tool for tool in TOOLS if any(a.tool == tool for a in self.answers)]

    def of(self, tool: str) -> list[Answer]:
        return [a for a in self.answers if a.tool == tool]

    def get(self, code: str) -> Answer | None:
        return next((a for a in self.answers if a.code == code), None)

    def scores(self, tool: str) -> dict[str, float]:
        return {a.code: a.score for a in self.of(tool) if a.score is not None}

    def present(self) -> dict[str, bool]:
        return {a.code: a.present for a in self.of("OIT") if a.present is not None}


def question_paths(data_dir: Path) -> list[Path]:
    folder = Path(data_dir) / FOLDER
    return sorted(p for p in folder.glob("*.xlsx") if not is_clutter(p) and p.name != CATALOGUE_NAME)


def _label(value: object, labels: dict[str, tuple[str, ...]]) -> str | None:
    text = " ".join(to_arabic_digits(cell_text(value)).split()).rstrip(":").strip().casefold()
    for key, names in labels.items():
        if text and text in (" ".join(n.split()).casefold() for n in names):
            return key
    return None


def _header_row(sheet: Worksheet, labels: dict[str, tuple[str, ...]], needs: tuple[set[str], ...]
                ) -> tuple[int, dict[str, int]] | None:
    """The first row naming a column of each set in `needs`: its number and key -> 1-based column."""
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, SEARCHED_ROWS)):
        columns: dict[str, int] = {}
        for cell in row:
            key = _label(cell.value, labels)
            if key is not None and key not in columns:
                columns[key] = cell.column
        if all(columns.keys() & need for need in needs):
            return row[0].row, columns
    return None


def get_column_letter(column: int) -> str:
    from openpyxl.utils import get_column_letter as letter

    return letter(column)


def _sheet_tool(sheet: Worksheet) -> str | None:
    title = sheet.title.upper()
    return next((tool for tool in TOOLS if tool in title), None)


def _header_values(workbook, name: str) -> dict[str, tuple[object, Problem]]:
    """หน่วยงาน and ปีงบประมาณ above the tables: the cell right of the label, in the first sheet that has it,
    with where it is (a Problem without a rule yet)."""
    from .measures_xlsx import sheet_file

    found: dict[str, tuple[object, Problem]] = {}
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 8), max_col=6):
            for cell in row[:-1]:
                key = _label(cell.value, HEADER_LABELS)
                value = row[cell.column].value if cell.column < len(row) else None
                if key and key not in found and value not in (None, ""):
                    found[key] = (value, Problem(sheet_file(name, sheet), "", cell.row,
                                                 get_column_letter(cell.column + 1)))
    return found


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value) if math.isfinite(value) else None
    try:
        return float(to_arabic_digits(str(value)).replace(",", "").strip())
    except ValueError:
        return None


def _year(value: object) -> int | None:
    number = _number(value)
    return int(number) if number is not None and number.is_integer() and number >= LOWEST_BE_YEAR else None


@dataclass
class _Read:
    answers: list[Answer]
    problems: list[Problem]


def _read_sheet(sheet: Worksheet, where: str, tool: str | None, read: _Read) -> None:
    """One tool's table: rows of code, label and a score or มี/ไม่มี. An empty value is left for the
    check of missing codes."""
    found = _header_row(sheet, COLUMNS, ({"code", "wording"}, {"score", "present"}))
    if found is None:
        return
    header, columns = found
    value_key = "present" if "present" in columns and (tool == "OIT" or "score" not in columns) else "score"
    rows = []
    for row in sheet.iter_rows(min_row=header + 1, max_row=sheet.max_row):
        cells = {key: (row[c - 1].value if c <= len(row) else None) for key, c in columns.items()}
        if all(cell_text(v).strip() == "" for v in cells.values()):
            continue
        raw = cells.get("code")
        if cell_text(raw).strip() == "" and "wording" in cells:  # the code at the start of the text
            raw = (cell_text(cells["wording"]).split() or [""])[0]
        rows.append((row[0].row, raw, cells))
    tool = tool or _tool_of_codes([raw for _row, raw, _cells in rows])
    if tool is None:
        if rows:
            read.problems.append(Problem(where, _("cannot tell which tool this sheet is: name the sheet IIT, EIT "
                                                  "or OIT, or write codes such as i1, e1, O1")))
        return
    value_column = get_column_letter(columns[value_key])
    for number, raw, cells in rows:
        code = code_of(raw, tool)
        code_column = get_column_letter(columns.get("code", columns.get("wording")))
        if code is None:
            read.problems.append(Problem(where, _("not a {tool} code (such as {example})").format(
                tool=tool, example=f"{tool[0].lower() if tool != 'OIT' else 'O'}1"), number, code_column,
                cell_text(raw)))
            continue
        label = cell_text(cells.get("wording")).strip()
        if "code" not in columns or cell_text(cells.get("code")).strip() == "":
            label = label[len(cell_text(raw)):].strip() if label.startswith(cell_text(raw)) else label
        value = cells.get(value_key)
        score = present = None
        if cell_text(value).strip() != "":
            if value_key == "score":
                score = _number(value)
                if score is None or not 0 <= score <= 100:
                    read.problems.append(Problem(where, _("the score must be a number from 0 to 100"), number,
                                                 value_column, cell_text(value)))
                    continue
            else:
                present = PRESENT.get(" ".join(to_arabic_digits(cell_text(value)).split()).casefold())
                if present is None:
                    read.problems.append(Problem(where, _("write มี or ไม่มี"), number, value_column,
                                                 cell_text(value)))
                    continue
        read.answers.append(Answer(code, tool, label, score, present, cell_text(cells.get("link")).strip(),
                                   cell_text(cells.get("remark")).strip(), where, number, value_column, code_column))


def _tool_of_codes(raws: list[object]) -> str | None:
    for tool in TOOLS:
        if raws and all(code_of(r, tool) for r in raws) and any(
                str(r).strip()[:1].lower() == tool[0].lower() for r in raws):
            return tool
    return None


def check_codes(answers: list[Answer], qlist: QuestionList | None, tool: str, year: int, file: str
                ) -> list[Problem]:
    """Codes unknown in the year's list, given twice, or missing (not given, or given without a value)."""
    if qlist is None:
        return [Problem(file, _("no list of {tool} questions for fiscal year {year}: add it to the folder's "
                                "{catalogue} (one row per question)").format(tool=tool, year=year,
                                                                              catalogue=f"{FOLDER}/{CATALOGUE_NAME}"))]
    problems, seen = [], {}
    for answer in answers:
        if qlist.get(answer.code) is None:
            problems.append(Problem(answer.where, _("{code} is not a {tool} question of fiscal year {year} "
                                                    "(the year has {first}-{last})").format(
                code=answer.code, tool=tool, year=year, first=qlist.codes[0], last=qlist.codes[-1]),
                answer.row, answer.code_column))
        elif answer.code in seen:
            problems.append(Problem(answer.where, _("{code} is given twice (rows {first} and {second})").format(
                code=answer.code, first=seen[answer.code].row, second=answer.row), answer.row, answer.code_column))
        else:
            seen[answer.code] = answer
    blank = [a for a in seen.values() if a.score is None and a.present is None]
    problems += [Problem(a.where, _("{code} has no {value}").format(
        code=a.code, value=_("score") if tool != "OIT" else "มี/ไม่มี"), a.row, a.column) for a in blank]
    missing = [c for c in qlist.codes if c not in seen]
    if missing:
        where = answers[0].where if answers else file
        problems.append(Problem(where, _("{tool} questions missing for fiscal year {year}: {codes}").format(
            tool=tool, year=year, codes=", ".join(missing))))
    return problems


def load_question_results(path: Path | str, catalogue: QuestionCatalogue) -> QuestionResults:
    """Read and check one agency-year's workbook; NoDataRows when nothing is filled in yet (a template)."""
    from .measures_xlsx import open_workbook, sheet_file

    path = Path(path)
    name = str(path)
    workbook = open_workbook(path, name)
    read = _Read([], [])
    for sheet in workbook.worksheets:
        _read_sheet(sheet, sheet_file(name, sheet), _sheet_tool(sheet), read)
    given = [a for a in read.answers if a.score is not None or a.present is not None]
    if not given and not read.problems:
        raise NoDataRows(Problem(name, _("the question form is not filled in yet")))
    header = _header_values(workbook, name)
    org = clean_name(cell_text(header["org"][0])) if "org" in header else ""
    year = _year(header["year"][0]) if "year" in header else None
    if not org:
        read.problems.insert(0, Problem(name, _("no agency: write it in the cell to the right of a cell reading "
                                                "หน่วยงาน, above the tables")))
    if "year" not in header:
        read.problems.insert(0, Problem(name, _("no fiscal year: write it in the cell to the right of a cell "
                                                "reading ปีงบประมาณ, above the tables")))
    elif year is None:
        place = header["year"][1]
        read.problems.insert(0, Problem(place.file, _("ปีงบประมาณ must be a Buddhist Era year, "
                                                                 "e.g. 2566"), place.row, place.column,
                                        cell_text(header["year"][0])))
    if year is not None:
        for tool in TOOLS:
            answers = [a for a in read.answers if a.tool == tool]
            if any(a.score is not None or a.present is not None for a in answers):
                read.problems += check_codes(answers, catalogue.list(year, tool), tool, year, name)
    if read.problems:
        raise ITADataError(read.problems)
    return QuestionResults(org, year, name, tuple(given))


def load_catalogue_sheet(path: Path | str) -> QuestionCatalogue:
    """A folder's own catalogue: ปีงบประมาณ | เครื่องมือ | ข้อ | ตัวชี้วัดที่ | ตัวชี้วัดย่อย | ข้อความ |
    แหล่งที่มา, one row per question or item. Its lists take the place of the bundled ones of the same
    year and tool."""
    from .measures_xlsx import open_workbook, sheet_file

    path = Path(path)
    name = str(path)
    workbook = open_workbook(path, name)
    problems: list[Problem] = []
    rows: dict[tuple[int, str], list[tuple[Question, str]]] = {}
    for sheet in workbook.worksheets:
        found = _header_row(sheet, CATALOGUE_COLUMNS, ({"year"}, {"tool"}, {"code"}, {"indicator"}))
        if found is None:
            continue
        header, columns = found
        where = sheet_file(name, sheet)
        for row in sheet.iter_rows(min_row=header + 1, max_row=sheet.max_row):
            cells = {key: (row[c - 1].value if c <= len(row) else None) for key, c in columns.items()}
            if all(cell_text(v).strip() == "" for v in cells.values()):
                continue
            year, tool = _year(cells["year"]), cell_text(cells["tool"]).strip().upper()
            indicator = _number(cells["indicator"])
            code = code_of(cells["code"], tool) if tool in TOOLS else None
            sub = cell_text(cells.get("sub_indicator")).strip() or None
            if year is None or code is None or indicator is None or (tool == "OIT" and sub is None):
                problems.append(Problem(where, _("each row needs a fiscal year (B.E.), a tool (IIT, EIT or OIT), "
                                                 "a code of that tool, an indicator number and, for the OIT, "
                                                 "a sub-indicator such as 9.1"), row[0].row))
                continue
            wording = cell_text(cells.get("wording")).strip() or None
            rows.setdefault((year, tool), []).append((Question(code, tool, int(indicator), sub, wording),
                                                      cell_text(cells.get("source")).strip()))
    lists = {key: QuestionList(key[0], key[1], "agency", tuple(dict.fromkeys(s for _q, s in items if s)) or (name,),
                               tuple(q for q, _s in items)) for key, items in rows.items()}
    problems += [p for qlist in lists.values() for p in list_problems(qlist, name)]
    if problems:
        raise ITADataError(problems)
    return QuestionCatalogue(lists, name)


def recomputed_scores(results: QuestionResults, catalogue: QuestionCatalogue, methodology: Methodology
                      ) -> Scores | None:
    """An agency-year's indicator scores recomputed from its questions and OIT items, as a score file would
    give them; None unless every indicator of the year can be recomputed."""
    import pandas as pd

    from .loaders import Scores

    computed: dict[int, float] = {}
    for tool in results.tools:
        qlist = catalogue.list(results.fiscal_year, tool)
        computed |= (oit_indicator_scores(results.present(), qlist) if tool == "OIT"
                     else indicator_means(results.scores(tool), qlist))
    numbers = methodology.year(results.fiscal_year).indicator_numbers
    if any(n not in computed for n in numbers):
        return None
    source = _("recomputed from the questions of {file}").format(file=Path(results.file).name)
    rows = pd.DataFrame({"org": results.org, "fiscal_year": results.fiscal_year, "indicator": numbers,
                         "score": [computed[n] for n in numbers], "source": source, "file": results.file})
    rows = rows.astype({"org": "string", "fiscal_year": "int64", "indicator": "int64", "source": "string",
                        "file": "string"})
    return Scores(rows, Scores.concat([]).reported_totals, (Problem(results.file, source),))
