"""The report notebook is a contract both ways: parameters in, a checked status out.

In: its `parameters` cell is the one list of what a report takes. The runner and the `ita` command read
names, types, defaults and help from the notebook itself (`papermill.inspect_notebook`); nothing types
the list a second time. A type is the cell's annotation (`threshold: float = 85.0`,
`plan_year: "Optional[int]" = None`).

Out: the executed notebook displays exactly one status (`STATUS_MIME`, made by `sections.status`) that
`STATUS_SCHEMA` accepts. A report without one, or with one the schema refuses, has failed: the batch
never records as good a report whose warnings and figures it could not read (`status_problem`)."""

from __future__ import annotations

import ast
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..core.errors import ITADataError
from ..core.i18n import _
from ..core.resources import REPORT_NOTEBOOK
from ..core.thai import to_arabic_digits
from ..core.usercache import cached_text
from ..document.parts import STATUS_MIME

# The codes of report.WARNINGS (a test holds the two equal): report imports pandas, which the workers
# that check a status never load.
STATUS_WARNINGS = ("no_measures", "total_differs", "weights_presumed", "no_previous_total", "framework_presumed",
                   "questions_differ")
_COUNT = {"type": "integer", "minimum": 0}


def _status_schema(title: str, warnings: tuple[str, ...], figures: dict[str, dict]) -> dict:
    """What a document says of itself as JSON Schema (2020-12): its warnings' codes and its figures, all
    required, nothing else."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "type": "object",
        "required": ["warnings", "figures"],
        "additionalProperties": False,
        "properties": {
            "warnings": {"type": "array", "items": {"enum": list(warnings)}, "uniqueItems": True},
            "figures": {"type": "object", "required": list(figures), "additionalProperties": False,
                        "properties": figures},
        },
    }


# What a report says of itself (report.Report.warnings and .figures).
STATUS_SCHEMA = _status_schema("ITA report status", STATUS_WARNINGS, {
    "total": {"type": "number", "minimum": 0, "maximum": 100},  # the official total
    "rating": {"type": "string", "minLength": 1},
    "change": {"type": ["number", "null"], "minimum": -100, "maximum": 100},  # none: no previous year
    "weak": _COUNT,  # indicators under the threshold
})
# What an implementation report says of itself (analysis.progress.Progress.warnings and .figures).
PROGRESS_WARNINGS = ("steps_not_reported", "no_progress_file")
PROGRESS_STATUS_SCHEMA = _status_schema("ITA implementation report status", PROGRESS_WARNINGS, {
    "round": {"enum": [6, 12]}, "steps": _COUNT, "done": _COUNT, "in_progress": _COUNT, "not_started": _COUNT,
    "not_reported": _COUNT})
# What a group report says of itself (analysis.group.GroupReport.warnings and .figures).
GROUP_WARNINGS = ("no_previous_year", "no_group_column")
GROUP_STATUS_SCHEMA = _status_schema("ITA group report status", GROUP_WARNINGS, {
    "agencies": {"type": "integer", "minimum": 1}, "passing": _COUNT, "near_misses": _COUNT, "tier_drops": _COUNT,
    "floor_downgrades": _COUNT})
STATUS_SCHEMAS = {"measures": STATUS_SCHEMA, "progress": PROGRESS_STATUS_SCHEMA,
                  "group": GROUP_STATUS_SCHEMA}  # by document (jobs.DOCUMENTS)
# Set by the runner for every report, never by a user option of their own name.
SET_BY_RUNNER = ("org", "fiscal_year", "data_dir")
NONE_WORDS = ("", "none", "null", "-")


@dataclass(frozen=True)
class Parameter:
    name: str
    type_name: str  # "str", "int", "float", "bool", optionally as "Optional[...]"
    default: object
    help: str

    @property
    def optional(self) -> bool:
        return self.type_name.startswith("Optional[")

    @property
    def base_type(self) -> str:
        return self.type_name.removeprefix("Optional[").removesuffix("]")

    @property
    def option(self) -> str:
        """The command-line option that sets it: `plan_year` -> `--plan-year`."""
        return "--" + self.name.replace("_", "-")

    def convert(self, value: object) -> object:
        """A value from the command line (text) or from code, as the notebook's type; ITADataError if it
        cannot be one. Thai digits are accepted in numbers."""
        if not isinstance(value, str):
            return value
        text = to_arabic_digits(value).strip()
        if self.optional and text.lower() in NONE_WORDS:
            return None
        kind = self.base_type
        try:
            if kind == "int":
                return int(text)
            if kind == "float":
                number = float(text)
                if not math.isfinite(number):
                    raise ValueError(text)
                return number
            if kind == "bool":
                return {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}[text.lower()]
        except (ValueError, KeyError):
            rule = _("parameter {name}: {value} is not a {kind} (or none)") if self.optional else _(
                "parameter {name}: {value} is not a {kind}")
            raise ITADataError(rule.format(name=self.name, value=repr(value), kind=kind)) from None
        return value


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _schema_problem(error) -> str:
    """One jsonschema error, told in the interface language: where in the status, and what is wrong."""
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    where = f"status{path}"
    value, rule = error.instance, error.validator_value
    if error.validator == "required":
        missing = [name for name in rule if name not in value]
        return _("{where}: missing {names}").format(where=where, names=", ".join(missing))
    if error.validator == "additionalProperties":
        unknown = sorted(set(value) - set(error.schema.get("properties", {})))
        return _("{where}: unknown field(s) {names}").format(where=where, names=", ".join(unknown))
    if error.validator == "type":
        kinds = {"object": _("an object"), "array": _("a list"), "string": _("text"), "number": _("a number"),
                 "integer": _("a whole number"), "null": _("null")}
        kind = _(" or ").join(kinds[name] for name in ([rule] if isinstance(rule, str) else rule))
        return _("{where} must be {kind}, not {value}").format(where=where, kind=kind, value=_json(value))
    if error.validator == "enum":
        return _("{where}: {value} is not one of {choices}").format(
            where=where, value=_json(value), choices=", ".join(map(str, rule)))
    if error.validator in ("minimum", "maximum"):
        rule_text = _("at least {limit}") if error.validator == "minimum" else _("at most {limit}")
        return _("{where} must be {rule}, not {value}").format(
            where=where, rule=rule_text.format(limit=rule), value=_json(value))
    if error.validator == "uniqueItems":
        return _("{where} lists a code more than once").format(where=where)
    if error.validator == "minLength":
        return _("{where} must not be empty").format(where=where)
    return f"{where}: {error.message}"  # a rule of the schema without words of its own (a test says none)


def status_problem(statuses: list, schema: dict = STATUS_SCHEMA) -> str | None:
    """Why the statuses a report displayed are not the one valid status it owes, or None when they are.
    jsonschema is loaded with nbformat in any process that reads an executed notebook."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import best_match

    if not statuses:
        return _("the report displayed no status ({mime}); its notebook must display "
                 "sections.status(report)").format(mime=STATUS_MIME)
    if len(statuses) > 1:
        return _("the report displayed {count} statuses ({mime}); it must display exactly one").format(
            count=len(statuses), mime=STATUS_MIME)
    error = best_match(Draft202012Validator(schema).iter_errors(statuses[0]))
    if error is None:
        return None
    return _("the report's status ({mime}) is not valid: {problem}").format(mime=STATUS_MIME,
                                                                           problem=_schema_problem(error))


def _inspected(notebook: Path) -> str:
    """papermill's reading of the notebook's `parameters` cell, as JSON."""
    from papermill import inspect_notebook

    return json.dumps(inspect_notebook(str(notebook)), ensure_ascii=False)


@cache
def notebook_parameters(notebook: Path = REPORT_NOTEBOOK) -> dict[str, Parameter]:
    """The parameters of `notebook`, in the order of its `parameters` cell. papermill reads them once for
    each content of the notebook: importing it costs the `ita` command half a second."""
    found = {}
    inspected = cached_text("parameters.json", Path(notebook).read_bytes(), lambda: _inspected(notebook))
    for name, raw in json.loads(inspected).items():
        type_name = raw["inferred_type_name"].strip("\"' ")
        found[name] = Parameter(name, "str" if type_name == "None" else type_name,
                                ast.literal_eval(raw["default"]), raw["help"])
    return found


def resolve(overrides: dict[str, object], notebook: Path = REPORT_NOTEBOOK) -> dict[str, object]:
    """Every parameter of the notebook: its defaults, with `overrides` converted to the notebook's types.
    An override the notebook does not take is an error naming the ones it does."""
    known = notebook_parameters(notebook)
    unknown = sorted(set(overrides) - set(known))
    if unknown:
        raise ITADataError(_("unknown parameter {names}; {notebook} takes: {known}").format(
            names=", ".join(unknown), notebook=Path(notebook).name, known=", ".join(known)))
    return {name: p.convert(overrides[name]) if name in overrides else p.default for name, p in known.items()}
