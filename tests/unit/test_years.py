"""Results years at and after the last framework in the methodology: 2569 is scored with its own entry;
a later year with the latest one, marked presumed in the report, its status and the `ita` command's output;
`strict_framework` refuses it. Every agency and score here is SYNTHETIC."""

from __future__ import annotations

import csv
import io

import pytest
from support import WIDE, folder_with

from ita_helpers.analysis.report import WARNINGS, build_report
from ita_helpers.batch.contract import STATUS_SCHEMA, status_problem
from ita_helpers.batch.index import warning_reason
from ita_helpers.batch.plan import plan
from ita_helpers.cli.main import main
from ita_helpers.core.errors import ITADataError
from ita_helpers.document import sections

AGENCY = "หน่วยงานทดสอบปีใหม่"  # SYNTHETIC
ROWS = {  # SYNTHETIC scores: tools 90 / 80 / 100 -> total 0.3*90 + 0.3*80 + 0.4*100 = 91.00
    2568: "88,88,88,88,88,80,80,80,100,100",  # 26.4 + 24 + 40 = 90.40
    2569: "90,90,90,90,90,80,80,80,100,100",
    2570: "94,94,94,94,94,90,90,90,100,100",  # 28.2 + 27 + 40 = 95.20, EIT under 95: ผ่านดี, not ผ่านดีเยี่ยม
}


def synthetic_folder(tmp_path, *years: int):
    lines = "".join(f"{AGENCY},{year},{ROWS[year]}\n" for year in years)
    return folder_with(tmp_path, **{"scores/new_years.csv": WIDE + lines})


def test_a_2569_row_validates_and_is_scored_with_the_2569_framework(tmp_path):
    folder = synthetic_folder(tmp_path, 2568, 2569)
    report = build_report(AGENCY, 2569, data_dir=folder.root)
    assert report.method.framework_year == 2569 and not report.method.framework_presumed
    assert round(report.total, 2) == 91.00 and report.summary["rating"] == "ผ่าน"  # EIT 80 < the ผ่านดี floor
    assert report.previous_year == 2568 and round(report.change, 2) == 0.60  # from 90.40
    assert "framework_presumed" not in report.warnings and "weights_presumed" in report.warnings
    assert status_problem([sections.status(report).status]) is None
    texts = [notice.text for notice in sections.notices(report, "thai")]
    assert not any("ยังไม่มีเกณฑ์" in text for text in texts)
    assert any("พ.ศ. ๒๕๖๙ เป็นค่าที่สันนิษฐาน" in text for text in texts)  # the weights, as for 2567-2568


def test_a_2570_row_is_scored_with_the_2569_framework_marked_presumed(tmp_path):
    folder = synthetic_folder(tmp_path, 2569, 2570)
    report = build_report(AGENCY, 2570, data_dir=folder.root)
    assert report.method.fiscal_year == 2570 and report.method.framework_year == 2569
    assert round(report.total, 2) == 95.20 and report.summary["rating"] == "ผ่านดี"
    assert "framework_presumed" in report.warnings
    status = sections.status(report).status
    assert status_problem([status]) is None and "framework_presumed" in status["warnings"]
    thai = [notice.text for notice in sections.notices(report, "thai")]
    assert thai[0] == ("ใช้เกณฑ์การประเมินของปีงบประมาณ พ.ศ. ๒๕๖๙ เนื่องจากยังไม่มีเกณฑ์การประเมินของปีงบประมาณ "
                       "พ.ศ. ๒๕๗๐ ผลคะแนนรวมและระดับผลจึงเป็นค่าที่สันนิษฐาน")
    arabic = sections.notices(report, "arabic")[0].text
    assert "พ.ศ. 2569" in arabic and "พ.ศ. 2570" in arabic


def test_the_warning_code_is_in_the_status_schema_and_told_in_thai():
    assert "framework_presumed" in STATUS_SCHEMA["properties"]["warnings"]["items"]["enum"]
    assert "framework_presumed" in WARNINGS
    assert warning_reason("framework_presumed") == ("ยังไม่มีเกณฑ์การประเมินของปีผลการประเมินนี้ "
                                                    "จึงใช้เกณฑ์การประเมินล่าสุดโดยสันนิษฐาน")


def test_strict_framework_refuses_a_later_year_in_thai_and_english(tmp_path):
    folder = synthetic_folder(tmp_path, 2570)
    with pytest.raises(ITADataError, match=r"no assessment framework for fiscal year 2570 \(the latest is 2569\)"):
        build_report(AGENCY, 2570, data_dir=folder.root, strict_framework=True)
    build_report(AGENCY, 2570, data_dir=folder.root, strict_framework=False)  # the default presumes


def test_strict_framework_still_makes_a_year_of_its_own(tmp_path):
    folder = synthetic_folder(tmp_path, 2569)
    assert build_report(AGENCY, 2569, data_dir=folder.root, strict_framework=True).method.framework_year == 2569


def test_a_batch_with_strict_framework_fails_the_later_years_job_without_a_kernel(tmp_path):
    folder = synthetic_folder(tmp_path, 2569, 2570)
    jobs, problems = plan(folder, overrides={"strict_framework": "true"})
    assert problems == []
    by_year = {job.fiscal_year: job for job in jobs}
    assert by_year[2569].problems == ()
    assert "no assessment framework for fiscal year 2570" in str(by_year[2570].problems[0])
    jobs, _ = plan(folder)
    assert all(job.problems == () for job in jobs)


def test_strict_framework_is_a_flag_of_report_and_run(tmp_path, monkeypatch):
    seen = {}
    monkeypatch.setattr("ita_helpers.batch.runner.run", lambda jobs, *a, **k: seen.setdefault("jobs", jobs) and [])
    folder = synthetic_folder(tmp_path / "data", 2570)
    main(["report", "--org", AGENCY, "--year", "2570", "--data", str(folder.root), "--out", str(tmp_path / "out"),
          "--strict-framework"])
    (job,) = seen["jobs"]
    assert job.parameters["strict_framework"] is True and job.problems


def test_validate_and_score_accept_a_later_year_and_say_its_framework_is_presumed(tmp_path, capsys):
    folder = synthetic_folder(tmp_path, 2569, 2570)
    assert main(["validate", str(folder.root)]) == 0
    out = capsys.readouterr().out
    assert "OK, 2 agency-years" in out
    assert "fiscal year 2570 has no framework of its own in the methodology: the framework of 2569 is presumed" in out
    assert "fiscal year 2569 has no" not in out
    assert main(["score", str(folder.root), "--format", "csv"]) == 0
    out, err = capsys.readouterr()
    assert "fiscal year 2570 has no framework of its own" in err
    rows = {row["fiscal_year"]: row for row in csv.DictReader(io.StringIO(out))}
    assert (rows["2570"]["total"], rows["2570"]["framework_presumed"]) == ("95.20", "True")
    assert rows["2569"]["framework_presumed"] == "False"


def test_a_year_before_the_first_framework_stays_refused(tmp_path, capsys):
    folder = folder_with(tmp_path, **{"scores/old.csv": WIDE + f"{AGENCY},2561,{ROWS[2569]}\n"})
    assert main(["validate", str(folder.root)]) == 2
    assert "no methodology for this fiscal year" in capsys.readouterr().err
