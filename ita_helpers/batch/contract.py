"""The report notebook is a contract: its `parameters` cell is the one list of what a report takes.

The runner and the `ita` command read names, types, defaults and help from the notebook itself
(`papermill.inspect_notebook`); nothing types the list a second time. A type is the cell's
annotation (`threshold: float = 85.0`, `plan_year: "Optional[int]" = None`)."""

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
