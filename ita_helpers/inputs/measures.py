"""An agency's action table (issues, measures, responsible unit, steps) and constraints, from a YAML file
or an Excel workbook (`measures_xlsx`), checked whole as score files are: every problem at once, each
with its line (YAML) or its sheet, row and column (Excel), in the interface language.

Both are first read into a `Draft` (each value as the user wrote it, with where it was written), and
one set of rules turns a draft into a `MeasurePlan`:

- a number may be written in Thai digits anywhere one goes (years, indicator numbers: `๖`, `[๖, ๗]`,
  `6, 7` as text in an Excel cell);
- several measures or steps may share one text, one per line (Alt+Enter in Excel), numbered or not:
  a leading `1.`, `๑)`, `(2)`, `-` or `•` is dropped, as the report numbers them itself;
- a step YAML read as a mapping (`- ขั้นที่ 1: ประชุมคณะทำงาน`) is the text the user wrote;
- anchors and aliases are refused (`safe_yaml`), and so is a file over `safe_yaml.MAX_BYTES`;
- what a file leaves out is taken from where it lies (`Context`): the agency from its folder, the results
  year from the file's name or the only year of that agency's scores or the year asked for (`--year`), the
  unit from the agency, the plan year left to the report (its default, the year after the results); an
  issue without indicators names them in its own words (`measures_words`: the published table has no
  indicator column);
- the responsible units of an issue are one per line (two lines, two units).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

import yaml

from ..core import safe_yaml
from ..core.errors import ITADataError, Problem
from ..core.i18n import _
from ..core.paths import is_clutter, special_file, special_file_problem
from ..core.thai import LOWEST_BE_YEAR, to_arabic_digits
from ..domain.methodology import Methodology, YearMethod
from ..domain.names import clean_name, name_problem
from ..domain.questions import code_with_tool
from .measures_draft import (
    ISSUE_LABELS,
    OPTIONAL_ISSUE_KEYS,
    REQUIRED,
    TOP_LABELS,
    Cell,
    Draft,
    Found,
    IssueDraft,
    IssueGroup,
    MeasurePlan,
    Place,
    closest_label,
    label_key,
    shown,
)
from .measures_words import indicators_named

MEASURE_SUFFIXES = (".yaml", ".yml", ".xlsx")

# A list marker at the start of a line: 1.  ๑)  (2)  -  •  (a number followed by a digit is a number: 1.5)
MARKER = re.compile(r"^\s*(?:[(（]?[0-9๐-๙]{1,3}[.)）](?![0-9๐-๙])|[-–—•·▪●○◦*+])\s*")
LIST_SEPARATORS = re.compile(r"\s*(?:[,;、/\n]|\sและ\s?)\s*")
INDICATOR_PREFIX = re.compile(r"^(?:ตัวชี้วัดที่|ตัวชี้วัด|ข้อ|indicator|no\.)\s*", re.IGNORECASE)


def read_yaml(path: Path, name: str) -> Draft:
    """A measures YAML file as a draft; a file that cannot be read at all raises ITADataError."""
    text = _read_text(path, name)
    tabs = [Problem(name, _("not valid YAML: {where}").format(where=safe_yaml.SyntaxPlace(
        number, line.index("\t") + 1, _("a tab character: YAML indents with spaces only; replace the tab with "
                                        "spaces"), line).message()), value=safe_yaml.shown_line(line))
            for number, line in enumerate(text.splitlines(), start=1)
            if "\t" in line[:len(line) - len(line.lstrip(" \t"))]]
    if tabs:
        raise ITADataError(tabs)
    try:
        root = safe_yaml.compose(text)
    except safe_yaml.RefusedYAML as err:
        raise ITADataError(Problem(name, err.message)) from None
    except yaml.MarkedYAMLError as err:
        place = safe_yaml.explain(err, text)
        raise ITADataError(Problem(name, _("not valid YAML: {where}").format(where=place.message()),
                                   value=safe_yaml.shown_line(place.text) or None)) from None
    except yaml.YAMLError:
        raise ITADataError(Problem(name, _("not valid YAML: the text cannot be read"))) from None
    except RecursionError:
        raise ITADataError(Problem(name, _("not valid YAML: brackets or indentation nested too deeply for a "
                                           "measures file"))) from None
    if root is None:
        raise ITADataError(Problem(name, _("the file is empty")))
    if not isinstance(root, yaml.MappingNode):
        raise ITADataError(Problem(name, _("expected one 'key: value' per line: unit, scores_org, results_year, "
                                           "plan_year, issues and constraints")))
    draft = Draft(name, "yaml")
    found = _mapping(root, TOP_LABELS, Place(name), draft.problems)
    for key, (written, key_node, node) in found.items():
        draft.labels[key] = written
        if key == "issues":
            if isinstance(node, yaml.SequenceNode):
                draft.issues = [_yaml_issue(item, number, name, draft.problems)
                                for number, item in enumerate(node.value, start=1)]
            elif _is_null(node):
                draft.issues = []
            else:
                draft.issues = None
                draft.problems.append(Problem(name, _("issues must be a list of issue groups")))
        else:
            draft.cells[key] = _yaml_cell(node, Place(name, line=key_node.start_mark.line + 1))
    if "issues" not in found:
        draft.problems.append(draft.missing("issues"))
    return draft


def _read_text(path: Path, name: str) -> str:
    size = path.stat().st_size
    if size > safe_yaml.MAX_BYTES:
        raise ITADataError(Problem(name, safe_yaml.too_large_message(size)))
    try:
        return path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ITADataError(Problem(name, _("not UTF-8 text (byte {byte}): save the file with the encoding "
                                           "UTF-8").format(byte=err.start))) from None


def _is_null(node: yaml.Node) -> bool:
    return isinstance(node, yaml.ScalarNode) and node.tag.endswith(":null")


def _mapping(node: yaml.MappingNode, labels: dict[str, tuple[str, ...]], place: Place,
             problems: Found) -> dict[str, tuple[str, yaml.Node, yaml.Node]]:
    """The known keys of a mapping: key -> (as written, key node, value node). Unknown keys and keys
    given twice are problems."""
    found: dict[str, tuple[str, yaml.Node, yaml.Node]] = {}
    for key_node, value_node in node.value:
        written = key_node.value if isinstance(key_node, yaml.ScalarNode) else flat_text(key_node)
        where = Place(place.file, line=key_node.start_mark.line + 1, context=place.context)
        key = label_key(written, labels)
        if key is None:
            closest = closest_label(written, labels)
            rule = (_("unknown key {key}; did you mean {closest}?").format(key=repr(written), closest=repr(closest))
                    if closest else _("unknown key {key}; the keys are {keys}").format(
                        key=repr(written), keys=", ".join(labels)))
            problems.add(where, rule)
        elif key in found:
            problems.add(where, _("{key} is given twice (lines {first} and {second})").format(
                key=repr(written), first=found[key][1].start_mark.line + 1, second=key_node.start_mark.line + 1))
        else:
            found[key] = (written, key_node, value_node)
    return found


def _yaml_issue(node: yaml.Node, number: int, name: str, problems: Found) -> IssueDraft:
    place = Place(name, line=node.start_mark.line + 1, context=_("issue {number}").format(number=number))
    if not isinstance(node, yaml.MappingNode):
        problems.add(place, _("expected title, indicators, measures, responsible and steps, each as 'key: value'"))
        return IssueDraft(place, {}, {}, readable=False)
    found = _mapping(node, ISSUE_LABELS, place, problems)
    cells = {key: _yaml_cell(value, Place(name, line=key_node.start_mark.line + 1, context=place.context))
             for key, (_written, key_node, value) in found.items()}
    return IssueDraft(place, cells, {key: written for key, (written, *_rest) in found.items()})


def _yaml_cell(node: yaml.Node, place: Place) -> Cell:
    if isinstance(node, yaml.ScalarNode):
        return Cell(None if _is_null(node) else node.value, place, node.value)
    if isinstance(node, yaml.SequenceNode):
        items = [_yaml_cell(item, Place(place.file, line=item.start_mark.line + 1, context=place.context))
                 for item in node.value]
        return Cell(items, place, ", ".join(flat_text(item) for item in node.value))
    # a mapping where a value was meant: `- ขั้นที่ 1: ประชุมคณะทำงาน` is the text ขั้นที่ 1: ประชุมคณะทำงาน
    pairs = [Cell(f"{flat_text(k)}: {flat_text(v)}", Place(place.file, line=k.start_mark.line + 1,
                                                           context=place.context), f"{flat_text(k)}: {flat_text(v)}")
             for k, v in node.value]
    return Cell(pairs, place, "; ".join(pair.text for pair in pairs))


def flat_text(node: yaml.Node) -> str:
    """Any node as the one line of text it was written as."""
    if isinstance(node, yaml.ScalarNode):
        return "" if _is_null(node) else node.value
    if isinstance(node, yaml.SequenceNode):
        return ", ".join(flat_text(item) for item in node.value)
    return "; ".join(f"{flat_text(k)}: {flat_text(v)}" for k, v in node.value)


# --- the rules ---------------------------------------------------------------------------------------

def strip_marker(line: str) -> str:
    """A line without its list marker: `1. ประชุม`, `๑) ประชุม`, `- ประชุม`, `• ประชุม` -> `ประชุม`."""
    return MARKER.sub("", line, count=1).strip()


def texts_of(cell: Cell) -> list[str]:
    """The texts a cell holds, one per line, list markers dropped."""
    if isinstance(cell.value, list):
        return [text for item in cell.value for text in texts_of(item)]
    if cell.value is None:
        return []
    if isinstance(cell.value, float) and cell.value.is_integer():
        return [str(int(cell.value))]
    return [t for t in (strip_marker(line) for line in str(cell.value).splitlines()) if t]


def _one_text(cell: Cell | None, label: str, problems: Found, join: bool = False) -> str:
    """A single text: its lines joined by spaces, a leading list marker dropped. A list is one text only
    when it came from one YAML mapping pair, or when `join` (responsible units: every line and item one
    unit, the units joined by line breaks)."""
    if cell is None or cell.empty:
        return ""
    if join:
        return "\n".join(dict.fromkeys(texts_of(cell)))
    if isinstance(cell.value, list):
        items = list(dict.fromkeys(" ".join(texts_of(item)) for item in cell.value if not item.empty))
        if len(items) > 1 and not join:
            problems.add(cell.place, _("{label} must be one text, not a list").format(label=repr(label)), cell)
        return ", ".join(items)
    return " ".join(texts_of(cell))


def _year(cell: Cell | None, label: str, problems: Found) -> int | None:
    if cell is None or cell.empty:
        return None
    value = cell.value
    if isinstance(value, (datetime, date, time)):
        problems.add(cell.place, _("Excel turned this into a date: format the cell as Text and type the year "
                                   "again"), cell)
        return None
    text = to_arabic_digits(shown(value)).strip()
    text = re.sub(r"^(?:พ\.\s?ศ\.|ปีงบประมาณ|ปี)\s*", "", text).replace(",", "").strip()
    match = re.fullmatch(r"(\d{4})(?:\.0+)?", text)
    if not match:
        problems.add(cell.place, _("{label} must be a fiscal year in Buddhist Era, e.g. 2566").format(
            label=repr(label)), cell)
        return None
    year = int(match.group(1))
    if year < LOWEST_BE_YEAR:
        problems.add(cell.place, _("{label} looks like a Christian-Era year; ITA years are Buddhist Era "
                                   "(B.E. = C.E. + 543, e.g. 2023 -> 2566)").format(label=repr(label)), cell)
        return None
    return year


def _runs(numbers: set[int]) -> str:
    """Numbers as runs, as a reader would write them: {1, 2, 3, 5} -> '1-3, 5'."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return ", ".join(f"{run[0]}-{run[-1]}" if len(run) > 1 else str(run[0]) for run in runs)


def _pieces(cell: Cell) -> list[object]:
    if isinstance(cell.value, list):
        return [piece for item in cell.value for piece in _pieces(item)]
    if cell.value is None:
        return []
    if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
        return [cell.value]
    return [p for p in LIST_SEPARATORS.split(to_arabic_digits(shown(cell.value)).strip()) if p.strip()]


def _indicators(cell: Cell | None, known: set[int], methodology: Methodology, label: str,
                problems: Found) -> tuple[int, ...]:
    """Indicator numbers (or names) of an issue: `6`, `๖`, `6, 7`, `[๖, ๗]`, `1-3`, `ตัวชี้วัดที่ 6`."""
    if cell is None or cell.empty:
        return ()
    if isinstance(cell.value, (datetime, date, time)):
        problems.add(cell.place, _("Excel turned this into a date: format the column as Text and type the "
                                   "numbers again"), cell)
        return ()
    numbers: list[int] = []
    bad: list[str] = []
    for piece in _pieces(cell):
        if isinstance(piece, float) and piece.is_integer():
            piece = int(piece)
        if isinstance(piece, int):
            found = [piece]
        else:
            text = INDICATOR_PREFIX.sub("", str(piece).strip())
            number = methodology.indicator_number(text)
            run = re.fullmatch(r"(\d+)\s*[-–]\s*(\d+)", text)
            first, last = (int(run.group(1)), int(run.group(2))) if run else (0, -1)
            found = ([number] if number is not None else list(range(first, last + 1)) if first < last
                     else [int(n) for n in text.split()] if re.fullmatch(r"\d+(?:\s+\d+)+", text) else [])
        if not found or any(n not in known for n in found):
            bad.append(shown(piece))
        numbers += [n for n in found if n not in numbers]
    if bad:
        problems.add(cell.place, _("{label} must be indicator numbers {numbers}").format(
            label=label, numbers=_runs(known)), ", ".join(bad))
        return ()
    return tuple(numbers)


@dataclass(frozen=True)
class Context:
    """What a measures file may leave out, known from where it lies (DataFolder.measures_context): the
    folder's agency, the years of that agency's scores, and a year asked for (--year, a report's year)."""

    agency: str | None = None
    years: tuple[int, ...] = ()
    year: int | None = None


_YEAR_IN_NAME = re.compile(r"(?<![0-9])(2[4-6][0-9]{2})(?![0-9])")


def _results_year(draft: Draft, context: Context, org: str) -> tuple[int | None, str | None]:
    """The results year of a file that does not say it: from its name, else the only year of its agency's
    scores, else the year asked for; or None and why it cannot be told."""
    name = to_arabic_digits(Path(draft.file).stem)
    named = sorted({int(y) for y in _YEAR_IN_NAME.findall(name)})
    if len(named) > 1:
        named = [y for y in named if y in context.years]
    if len(named) == 1:
        return named[0], None
    if len(context.years) == 1:
        return context.years[0], None
    if context.year is not None:
        return context.year, None
    return None, _("the results year cannot be told: no cell {label}, no year in the file's name, and the "
                   "scores of {org} hold {years}; put the year in the file's name (e.g. มาตรการ_2566.xlsx) or "
                   "give --year").format(label=repr(draft.label("results_year")), org=org or "-",
                                         years=", ".join(map(str, context.years)) or "-")


def plan_of(draft: Draft, methodology: Methodology, context: Context = Context()) -> MeasurePlan:
    """The rules: a draft becomes a MeasurePlan, or every problem found is raised at once."""
    problems = Found()
    problems.merge(draft.problems)
    for key in REQUIRED:
        if key in draft.cells and draft.cells[key].empty:
            problems.add(draft.cells[key].place, _("empty: {keys}").format(keys=repr(draft.label(key))))
    texts = {key: _one_text(draft.cells.get(key), draft.label(key), problems)
             for key in ("unit", "scores_org", "source")}
    if "scores_org" not in draft.cells:  # the folder's agency
        texts["scores_org"] = context.agency or ""
        if not context.agency:
            problems.append(Problem(draft.file, _(
                "whose measures these are cannot be told: no cell {label}, and the folder names no agency; write "
                "the agency's name to the right of a cell reading {label} above the table, or in agency.txt at "
                "the top of the data folder (ita init --org writes it), or give --org").format(
                label=repr(draft.label("scores_org")))))
    if "unit" not in draft.cells:
        texts["unit"] = texts["scores_org"]
    for key in ("unit", "scores_org"):  # names as the score files' agency names are read
        texts[key] = clean_name(texts[key])
        rule = name_problem(texts[key])
        if rule and key in draft.cells:
            problems.add(draft.cells[key].place, rule, texts[key])
    years = {key: _year(draft.cells.get(key), draft.label(key), problems) for key in ("results_year", "plan_year")}
    results_year, plan_year = years["results_year"], years["plan_year"]
    if "results_year" not in draft.cells:
        results_year, why = _results_year(draft, context, texts["scores_org"])
        if why:
            problems.append(Problem(draft.file, why))
    known = set(methodology.indicator_names.values())
    method = None
    if results_year is not None:
        if methodology.covers(results_year):  # a year after the last known one: the latest framework
            method = methodology.year(results_year)
            known = set(method.indicator_numbers)
        elif "results_year" in draft.cells:
            problems.add(draft.cells["results_year"].place, _("no methodology for fiscal year {year} (known: "
                                                               "{years})").format(
                year=results_year, years=", ".join(map(str, sorted(methodology.years)))))
        else:
            problems.append(Problem(draft.file, _("no methodology for fiscal year {year} (known: {years})").format(
                year=results_year, years=", ".join(map(str, sorted(methodology.years))))))
    if results_year is not None and plan_year is not None and plan_year < results_year:
        rule = _("{plan} ({plan_year}) is before {results} ({results_year})").format(
            plan=repr(draft.label("plan_year")), plan_year=plan_year, results=repr(draft.label("results_year")),
            results_year=results_year)
        problems.add(draft.cells["plan_year"].place, rule)
    issues = [_issue(issue, draft, known, methodology, method, problems) for issue in draft.issues or []]
    constraints = draft.cells.get("constraints")
    if problems:
        raise ITADataError(problems.in_file_order())
    return MeasurePlan(
        unit=texts["unit"],
        scores_org=texts["scores_org"],
        results_year=results_year,
        plan_year=plan_year,
        issues=tuple(issues),
        constraints=tuple(texts_of(constraints)) if constraints is not None else (),
        source=texts["source"] or draft.file,
        file=draft.file,
    )


def _issue(issue: IssueDraft, draft: Draft, known: set[int], methodology: Methodology, method: YearMethod | None,
           problems: Found) -> IssueGroup:
    def label(key: str) -> str:
        return issue.labels.get(key) or (ISSUE_LABELS[key][0] if draft.kind == "xlsx" else key)

    # no indicator column (key): the issue's own words name them
    in_words = issue.readable and "indicators" not in issue.labels and "title" in issue.cells
    empty = [repr(label(key)) for key in ISSUE_LABELS if issue.readable and key not in OPTIONAL_ISSUE_KEYS
             and not (in_words and key == "indicators")
             and (issue.cells.get(key) is None or issue.cells[key].empty)]
    if empty and draft.kind == "xlsx":
        problems.add(issue.place, _("empty: {columns}; fill them in, or delete the row if this issue needs no "
                                    "measure").format(columns=", ".join(empty)))
    elif empty:
        problems.add(issue.place, _("empty: {keys}").format(keys=", ".join(empty)))
    return IssueGroup(
        title=_one_text(issue.cells.get("title"), label("title"), problems),
        indicators=(_indicators_in_words(issue.cells["title"], method, problems) if in_words else
                    _indicators(issue.cells.get("indicators"), known, methodology, label("indicators"), problems)),
        measures=tuple(texts_of(issue.cells["measures"])) if "measures" in issue.cells else (),
        responsible=_one_text(issue.cells.get("responsible"), label("responsible"), problems, join=True),
        steps=tuple(texts_of(issue.cells["steps"])) if "steps" in issue.cells else (),
        questions=question_codes(issue.cells.get("questions"), label("questions"), problems),
    )


def question_codes(cell: Cell | None, label: str, problems: Found) -> tuple[str, ...]:
    """The question and OIT item codes an issue aims at: `i8, i9`, `O28 และ O35`, `I8` -> ('i8', 'i9', ...)."""
    if cell is None or cell.empty:
        return ()
    pieces = [str(p).strip() for p in _pieces(cell)]
    codes = [code_with_tool(p) for p in pieces]
    bad = [p for p, c in zip(pieces, codes, strict=True) if c is None]
    if bad:
        problems.add(cell.place, _("{label} must be question codes such as i8, e5 or O28").format(label=label),
                     ", ".join(bad))
        return ()
    return tuple(dict.fromkeys(codes))


def _indicators_in_words(cell: Cell, method: YearMethod | None, problems: Found) -> tuple[int, ...]:
    """The indicators an issue's text names (measures_words); what cannot be told is asked at its cell."""
    if method is None or cell.empty:  # the results year is already a problem; so is an empty issue
        return ()
    numbers, why = indicators_named(shown(cell), method)
    if why:
        problems.add(cell.place, _("which indicators this issue addresses cannot be told from its words: {why}; "
                                   "name them in the cell (e.g. ตัวชี้วัดที่ 6 คุณภาพการดำเนินงาน), or add a column "
                                   "ตัวชี้วัดที่ with their numbers").format(why=why), cell)
    return numbers


# --- files -----------------------------------------------------------------------------------------

def read_draft(path: Path | str) -> Draft:
    """A measures file (YAML or Excel) as written; raises ITADataError when it cannot be read at all."""
    path = Path(path)
    if special_file(path):
        raise ITADataError(special_file_problem(path))
    if path.suffix.lower() == ".xlsx":
        from .measures_xlsx import read_workbook

        return read_workbook(path, str(path))
    return read_yaml(path, str(path))


def load_measures(path: Path | str, methodology: Methodology, context: Context = Context()) -> MeasurePlan:
    """Read and validate one measures file, YAML or Excel; every problem is reported at once. What the file
    leaves out is taken from `context` (see `plan_of`)."""
    return plan_of(read_draft(path), methodology, context)


def measure_paths(data_dir: Path | str) -> list[Path]:
    """The measures files of a data folder: YAML and Excel workbooks, without Excel's `~$` lock files and
    without workbooks still blank (a template with no issue and no constraint filled in)."""
    folder = Path(data_dir) / "measures"
    found = [p for p in folder.glob("*") if p.suffix.lower() in MEASURE_SUFFIXES and not is_clutter(p)]
    workbooks = [p for p in found if p.suffix.lower() == ".xlsx"]
    if workbooks:  # openpyxl only when there is a workbook to open
        from .measures_xlsx import is_blank

        found = [p for p in found if p not in workbooks or not is_blank(p)]
    return sorted(found)


SCORES_ORG_LINE = re.compile(r"^\s*(?:scores_org|หน่วยงานที่ได้รับการประเมิน)\s*:\s*(.+?)\s*(?:#.*)?$", re.MULTILINE)


def measures_org(path: Path | str, agency: str | None = None) -> str | None:
    """The agency a measures file names, read as leniently as can be (its broken parts aside), else the
    folder's `agency` when the file names none at all, else None: so a broken measures file stops only its
    own agency's reports."""
    path = Path(path)
    try:
        cells = read_draft(path).cells
    except ITADataError:
        return None if path.suffix.lower() == ".xlsx" else (_scores_org_line(path) or agency)
    except Exception:  # noqa: BLE001 - a file too damaged to read names no agency
        return None
    cell = cells.get("scores_org")
    if cell is None:
        return agency
    return None if cell.empty else clean_name(_one_text(cell, "scores_org", Found())) or None


def measures_year(path: Path | str, context: Context = Context()) -> int | None:
    """The results year a measures file is for, read as leniently as `measures_org` reads its agency (its
    broken parts aside), so that a broken file fails only the report of that year; None when it cannot be
    told (then it fails every report of its agency)."""
    try:
        draft = read_draft(path)
    except Exception:  # noqa: BLE001 - a file too damaged to read tells no year
        return None
    cell = draft.cells.get("results_year")
    if cell is None:
        return _results_year(draft, context, context.agency or "")[0]
    return _year(cell, "results_year", Found())


def _scores_org_line(path: Path) -> str | None:
    """The agency of a YAML file too broken to parse, from its `scores_org:` line."""
    if special_file(path):
        return None
    try:
        match = SCORES_ORG_LINE.search(path.read_bytes()[:safe_yaml.MAX_BYTES].decode("utf-8-sig"))
    except (OSError, UnicodeDecodeError):
        return None
    return (clean_name(match.group(1).strip("\"' ")) or None) if match else None


