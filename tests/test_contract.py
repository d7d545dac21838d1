"""The report notebook is the contract: its parameters cell decides what the runner and `ita` accept.
No kernel runs here: plans are made and checked, nothing is rendered."""

from __future__ import annotations

import json

import pytest

from conftest import BMA
from ita_helpers.batch.contract import SET_BY_RUNNER, notebook_parameters, resolve
from ita_helpers.batch.plan import plan
from ita_helpers.cli.main import build_parser, main
from ita_helpers.core.errors import ITADataError
from ita_helpers.core.resources import REPORT_NOTEBOOK
from ita_helpers.inputs.dataset import DataFolder

EXPECTED = {"org": "กรุงเทพมหานคร", "fiscal_year": 2566, "plan_year": None, "threshold": 85.0, "digits": "thai",
            "data_dir": None}


def test_parameters_are_read_from_the_notebook_with_types_defaults_and_thai_help():
    parameters = notebook_parameters()
    assert {name: p.default for name, p in parameters.items()} == EXPECTED
    assert {name: p.type_name for name, p in parameters.items()} == {
        "org": "str", "fiscal_year": "int", "plan_year": "Optional[int]", "threshold": "float", "digits": "str",
        "data_dir": "Optional[str]"}
    assert parameters["threshold"].help == "ตัวชี้วัดที่ได้คะแนนต่ำกว่าค่านี้ถือว่าต้องปรับปรุง"


def test_the_notebook_takes_every_parameter_the_runner_sets():
    assert set(SET_BY_RUNNER) <= set(notebook_parameters())


def test_a_job_carries_exactly_the_notebooks_parameters_with_its_defaults(data_dir):
    jobs, _ = plan(DataFolder(data_dir))
    assert jobs and all(list(job.parameters) == list(notebook_parameters()) for job in jobs)
    job = next(j for j in jobs if j.org == BMA and j.fiscal_year == 2566)
    assert job.parameters == EXPECTED | {"data_dir": str(data_dir.resolve())}


def test_every_notebook_parameter_has_a_command_line_option():
    for command in ("report", "run"):
        subparser = build_parser()._subparsers._group_actions[0].choices[command]
        dests = {action.dest: action.option_strings for action in subparser._actions}
        for name, parameter in notebook_parameters().items():
            if name not in SET_BY_RUNNER:
                assert dests[name] == [parameter.option], (command, name)
        assert dests["parameter"] == ["-p", "--parameter"]


def test_options_and_p_reach_the_job_converted_to_the_notebooks_types(data_dir, monkeypatch):
    seen = {}

    def fake_run(jobs, *args, **kwargs):
        seen["parameters"] = jobs[0].parameters
        return []

    monkeypatch.setattr("ita_helpers.batch.runner.run", fake_run)
    argv = ["report", "--org", BMA, "--year", "2566", "--threshold", "๘๐", "--digits", "arabic",
            "-p", "plan_year", "2568"]
    assert main(argv) == 0
    assert seen["parameters"] == EXPECTED | {"threshold": 80.0, "digits": "arabic", "plan_year": 2568,
                                             "data_dir": str(data_dir.resolve())}


@pytest.mark.parametrize(("argv", "message"), [
    (["-p", "colour", "red"], "unknown parameter colour; ita_report.ipynb takes: org, fiscal_year, plan_year"),
    (["--threshold", "abc"], "parameter threshold: 'abc' is not a float"),
    (["--threshold", "nan"], "parameter threshold: 'nan' is not a float"),
    (["--threshold", "120"], "threshold must be a score from 0 to 100"),
    (["--digits", "roman"], "digits must be thai or arabic"),
    (["--plan-year", "2025"], "plan_year must be a Buddhist Era year"),
    (["-p", "org", "x"], "org is set by the batch itself"),
])
def test_bad_parameters_are_refused_before_any_kernel(tmp_path, capsys, argv, message):
    out = tmp_path / "out"
    assert main(["report", "--org", BMA, "--year", "2566", "--out", str(out), *argv]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_resolve_keeps_the_defaults_of_a_notebook_with_other_parameters(tmp_path):
    notebook = json.loads(REPORT_NOTEBOOK.read_text(encoding="utf-8"))
    cell = next(c for c in notebook["cells"] if "parameters" in c["metadata"].get("tags", []))
    cell["source"] = 'org: str = "x"\nfiscal_year: int = 2566\ndata_dir: "Optional[str]" = None\nwidth: int = 3\n'
    other = tmp_path / "other.ipynb"
    other.write_text(json.dumps(notebook), encoding="utf-8")
    assert resolve({"width": "๗"}, other) == {"org": "x", "fiscal_year": 2566, "data_dir": None, "width": 7}
    with pytest.raises(ITADataError, match="unknown parameter threshold; other.ipynb takes: org, fiscal_year"):
        resolve({"threshold": "80"}, other)


@pytest.mark.parametrize("os_name, transport", [("posix", "ipc"), ("nt", "tcp")])
def test_kernels_use_ipc_sockets_where_there_are_any_and_tcp_on_windows(monkeypatch, os_name, transport):
    from ita_helpers.batch import execute

    monkeypatch.setattr(execute.os, "name", os_name)
    assert execute.new_kernel_manager().transport == transport
