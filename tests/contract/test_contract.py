"""The report notebook is the contract both ways: its parameters cell decides what the runner and `ita`
accept, and the status it displays (checked against contract.STATUS_SCHEMA) decides whether the report is
good. The unit tests run no kernel; the tests marked slow execute the report notebook and variants of it
that show no status or a malformed one."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from conftest import BMA
from ita_helpers.batch import backends, contract, execute, runner
from ita_helpers.batch.contract import SET_BY_RUNNER, notebook_parameters, resolve
from ita_helpers.batch.jobs import DOCUMENTS
from ita_helpers.batch.plan import plan
from ita_helpers.batch.publish import load_manifest
from ita_helpers.cli.main import build_parser, main
from ita_helpers.core.errors import ITADataError
from ita_helpers.core.resources import REPORT_NOTEBOOK
from ita_helpers.inputs.dataset import BUNDLED_DATA, DataFolder

EXPECTED = {"org": "กรุงเทพมหานคร", "fiscal_year": 2566, "plan_year": None, "threshold": 85.0, "digits": "thai",
            "data_dir": None, "strict_framework": False}


def test_parameters_are_read_from_the_notebook_with_types_defaults_and_thai_help():
    parameters = notebook_parameters()
    assert {name: p.default for name, p in parameters.items()} == EXPECTED
    assert {name: p.type_name for name, p in parameters.items()} == {
        "org": "str", "fiscal_year": "int", "plan_year": "Optional[int]", "threshold": "float", "digits": "str",
        "data_dir": "Optional[str]", "strict_framework": "bool"}
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


# ---- the status out ------------------------------------------------------------------------------

GOOD = {"warnings": ["no_measures", "no_previous_total"],
        "figures": {"total": 88.98, "rating": "A", "change": None, "weak": 6}}
INVALID = "the report's status (application/vnd.ita.status+json) is not valid: "


def with_figures(**changed) -> dict:
    return {"warnings": [], "figures": GOOD["figures"] | changed}


def test_the_status_warning_codes_are_the_reports():
    from ita_helpers.analysis.report import WARNINGS

    assert list(contract.STATUS_WARNINGS) == list(WARNINGS)
    assert contract.STATUS_SCHEMA["properties"]["warnings"]["items"]["enum"] == list(WARNINGS)


def test_the_status_of_the_seed_report_as_sections_shows_it_is_valid():
    from ita_helpers.analysis.report import build_report
    from ita_helpers.document import sections

    report = build_report(BMA, 2566)
    bundle = json.loads(json.dumps(sections.status(report)._repr_mimebundle_()))  # as the kernel sends it
    assert bundle[contract.STATUS_MIME] == {"warnings": report.warnings, "figures": report.figures}
    assert contract.status_problem([bundle[contract.STATUS_MIME]]) is None
    assert contract.status_problem([GOOD]) is None
    assert contract.status_problem([with_figures(change=-3.5, weak=0, total=100)]) is None


@pytest.mark.parametrize(("statuses", "message"), [
    ([], "the report displayed no status (application/vnd.ita.status+json); its notebook must display "
         "sections.status(report)"),
    ([GOOD, GOOD], "the report displayed 2 statuses (application/vnd.ita.status+json); it must display exactly one"),
    ([{}], INVALID + "status: missing warnings, figures"),
    ([{"warnings": []}], INVALID + "status: missing figures"),
    (["ok"], INVALID + 'status must be an object, not "ok"'),
    ([GOOD | {"extra": 1}], INVALID + "status: unknown field(s) extra"),
    ([GOOD | {"warnings": "no_measures"}], INVALID + 'status.warnings must be a list, not "no_measures"'),
    ([GOOD | {"warnings": ["no_meaures"]}], INVALID + 'status.warnings[0]: "no_meaures" is not one of no_measures, '
                                                      "total_differs, weights_presumed, no_previous_total, "
                                                      "framework_presumed, questions_differ"),
    ([GOOD | {"warnings": ["no_measures"] * 2}], INVALID + "status.warnings lists a code more than once"),
    ([{"warnings": [], "figures": {"total": 88.98}}], INVALID + "status.figures: missing rating, change, weak"),
    ([with_figures(total="88.98")], INVALID + 'status.figures.total must be a number, not "88.98"'),
    ([with_figures(total=True)], INVALID + "status.figures.total must be a number, not true"),
    ([with_figures(total=None)], INVALID + "status.figures.total must be a number, not null"),
    ([with_figures(total=188.98)], INVALID + "status.figures.total must be at most 100, not 188.98"),
    ([with_figures(change="-")], INVALID + 'status.figures.change must be a number or null, not "-"'),
    ([with_figures(weak=2.5)], INVALID + "status.figures.weak must be a whole number, not 2.5"),
    ([with_figures(weak=-1)], INVALID + "status.figures.weak must be at least 0, not -1"),
    ([with_figures(rating="")], INVALID + "status.figures.rating must not be empty"),
    ([with_figures(rating=None)], INVALID + "status.figures.rating must be text, not null"),
    ([with_figures(mean=80)], INVALID + "status.figures: unknown field(s) mean"),
])
def test_a_missing_or_malformed_status_is_refused_with_its_reason(statuses, message):
    assert contract.status_problem(statuses) == message


def test_the_reason_a_status_is_refused_is_thai_in_thai(monkeypatch):
    monkeypatch.setenv("ITA_LANG", "th")
    assert contract.status_problem([]) == ("รายงานไม่ได้แสดงสถานะ (application/vnd.ita.status+json) "
                                  "สมุดบันทึกของรายงานต้องแสดง sections.status(report)")
    assert contract.status_problem([with_figures(change="-")]) == (
        'สถานะของรายงาน (application/vnd.ita.status+json) ไม่ถูกต้อง: status.figures.change ต้องเป็นตัวเลข หรือ null '
        'ไม่ใช่ "-"')


NOTICES = "display(*sections.notices(report, digits), sections.status(report))"
# The notices alone, without the status beside them (what an edited notebook might do).
NO_STATUS = "display(*sections.notices(report, digits))"
# A status of the right MIME type whose total is text.
MALFORMED = (f"display({{'text/html': '', {contract.STATUS_MIME!r}: {{'warnings': report.warnings, "
             "'figures': report.figures | {'total': str(report.total)}}}, raw=True)")


def report_notebook_with(tmp_path: Path, replacement: str | None) -> Path:
    """The report notebook with its notices cell's last line replaced (None: as it is)."""
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    if replacement is not None:
        cells = [cell for cell in notebook.cells if NOTICES in cell.source]
        assert len(cells) == 1 and cells[0].source.count(NOTICES) == 1
        cells[0].source = cells[0].source.replace(NOTICES, replacement)
    path = tmp_path / "ita_report.ipynb"
    nbformat.write(notebook, path)
    return path


def seed_job(formats=("html",)):
    jobs, _problems = plan(DataFolder(BUNDLED_DATA, [BMA]), years={2566}, orgs=[BMA], formats=formats)
    assert len(jobs) == 1
    return jobs[0]


@pytest.mark.slow
@pytest.mark.parametrize(("replacement", "reason"), [
    (NO_STATUS, "the report displayed no status (application/vnd.ita.status+json)"),
    (MALFORMED, INVALID + 'status.figures.total must be a number, not "88.98"'),
])
def test_a_report_without_a_valid_status_fails_with_the_reason(tmp_path, monkeypatch, replacement, reason):
    monkeypatch.setitem(DOCUMENTS, "measures", (report_notebook_with(tmp_path, replacement), "report"))
    rendered = execute.render_job(seed_job(), "-", prestart=False)
    assert rendered.failed and rendered.error.startswith(reason)
    assert list(rendered.files) == ["ipynb"]  # no page for a report of unknown status: its notebook is kept
    kept = nbformat.reads(rendered.files["ipynb"].decode("utf-8"), as_version=4)
    assert any(replacement.splitlines()[-1] in cell.source for cell in kept.cells)
    assert rendered.warnings == [] and rendered.figures is None


@pytest.mark.slow
def test_the_report_notebook_passes_with_its_status(tmp_path, monkeypatch):
    from ita_helpers.analysis.report import build_report

    monkeypatch.setitem(DOCUMENTS, "measures", (report_notebook_with(tmp_path, None), "report"))
    rendered = execute.render_job(seed_job(), "-", prestart=False)
    report = build_report(BMA, 2566)
    assert rendered.error is None and sorted(rendered.files) == ["html", "ipynb"]
    assert (rendered.warnings, rendered.figures) == (report.warnings, report.figures)
    assert rendered.figures["total"] == 88.98


class InProcess:
    """A backend rendering each job in this process, so that a test may change the notebook it runs."""

    name = "in-process"

    def __init__(self, scheduler, workers, engine_name, isolation):
        self.engine_name, self.jobs = engine_name, []

    def submit(self, jobs):
        self.jobs = list(jobs)

    def completed(self):
        for job in self.jobs:
            yield job, execute.render_job(job, self.engine_name, prestart=False)

    def warm(self, formats):
        pass

    def abort(self):
        pass

    def close(self):
        pass


@pytest.mark.slow
def test_a_batch_records_a_report_without_status_as_failed_with_the_thai_reason(tmp_path, monkeypatch):
    monkeypatch.setenv("ITA_LANG", "th")  # the job carries it; render_job sets it in this process
    monkeypatch.setitem(DOCUMENTS, "measures", (report_notebook_with(tmp_path, NO_STATUS), "report"))
    monkeypatch.setattr(backends, "make_backend", InProcess)
    job = seed_job()
    (result,) = runner.run([job], tmp_path / "out")
    reason = ("รายงานไม่ได้แสดงสถานะ (application/vnd.ita.status+json) "
              "สมุดบันทึกของรายงานต้องแสดง sections.status(report)")
    assert (result.status, result.error) == ("failed", reason)
    entry = load_manifest(tmp_path / "out")["reports"][job.folder]
    assert (entry["status"], entry["error"], entry["figures"]) == ("failed", reason, None)
    folder = tmp_path / "out" / job.folder
    assert sorted(p.name for p in folder.iterdir()) == ["report.failed.ipynb"]
    assert result.failed_notebook == folder / "report.failed.ipynb"


def test_a_later_years_executed_report_shows_the_presumed_framework_and_says_so_in_its_status(
        tmp_path, executed_report):
    from support import WIDE

    from ita_helpers.document.parts import Notice
    from ita_helpers.render.blocks import document_parts

    (tmp_path / "scores").mkdir()  # SYNTHETIC agency and scores
    (tmp_path / "scores" / "later.csv").write_text(WIDE + "หน่วยงานทดสอบปีใหม่,2570,94,94,94,94,94,90,90,90,100,100\n",
                                                  encoding="utf-8")
    notebook = executed_report("หน่วยงานทดสอบปีใหม่", 2570, tmp_path)
    status, problem = execute._report_status(notebook)
    assert problem is None and "framework_presumed" in status["warnings"]
    assert status["figures"]["total"] == 95.2 and status["figures"]["rating"] == "ผ่านดี"
    notices = [part.text for part in document_parts(notebook) if isinstance(part, Notice)]
    assert any(text.startswith("ใช้เกณฑ์การประเมินของปีงบประมาณ พ.ศ. ๒๕๖๙ เนื่องจากยังไม่มีเกณฑ์การประเมิน"
                               "ของปีงบประมาณ พ.ศ. ๒๕๗๐") for text in notices)
