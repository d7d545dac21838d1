"""DataFolder: one index of a data folder, each file parsed once, bundled reference data as fallback."""

from __future__ import annotations

import shutil

import pytest
from support import WIDE, folder_with

from conftest import BMA
from ita_helpers.core.errors import ITADataError
from ita_helpers.core.resources import BUNDLED_DATA
from ita_helpers.inputs import dataset as dataset_module
from ita_helpers.inputs.dataset import DataFolder


def test_a_folder_with_only_scores_uses_the_bundled_reference_data(tmp_path):
    folder = folder_with(tmp_path, **{"scores/a.csv": WIDE + "ก,2566," + ",".join(["90"] * 10) + "\n"})
    assert folder.methodology_file == BUNDLED_DATA / "methodology.yaml"
    assert folder.national_averages_file == BUNDLED_DATA / "national_averages.csv"
    assert folder.reported_totals_file is None  # agency data is never borrowed from the bundled folder
    assert folder.dataset().national_average(2566) == 90.19
    assert float(folder.dataset().score_table().loc[0, "official_total"]) == 90.0


def test_a_folders_own_reference_file_overrides_the_bundled_one(tmp_path):
    shutil.copy(BUNDLED_DATA / "methodology.yaml", tmp_path)
    folder = folder_with(tmp_path, **{"scores/a.csv": WIDE + "ก,2566," + ",".join(["90"] * 10) + "\n",
                                      "national_averages.csv": "fiscal_year,average\n2566,77.77\n"})
    assert folder.methodology_file == tmp_path.resolve() / "methodology.yaml"
    assert folder.dataset().national_average(2566) == 77.77


def test_each_file_is_parsed_once_per_folder(tmp_path, monkeypatch):
    rows = "".join(f"{org},2566,{','.join(['90'] * 10)}\n" for org in ("ก", "ข"))
    folder = folder_with(tmp_path, **{"scores/a.csv": WIDE + rows,
                                      "scores/b.csv": WIDE + "ค,2566," + ",".join(["80"] * 10)})
    calls = []
    real = dataset_module.load_scores
    monkeypatch.setattr(dataset_module, "load_scores",
                        lambda path, m, **kw: calls.append(path.name) or real(path, m, **kw))
    assert folder.agency_years() == [("ก", 2566), ("ข", 2566), ("ค", 2566)]
    for org in ("ก", "ข", "ค"):
        folder.dataset(org)
    folder.dataset()
    assert sorted(calls) == ["a.csv", "b.csv"]


def test_one_agencys_broken_file_does_not_stop_another_agency(tmp_path):
    folder = folder_with(tmp_path, **{"scores/a.csv": WIDE + "ก,2566," + ",".join(["90"] * 10) + "\n",
                                      "scores/b.csv": WIDE + "ข,2566,abc" + ",90" * 9 + "\n"})
    assert folder.dataset("ก").scores_of("ก", 2566).tolist() == [90.0] * 10
    assert folder.score_problems() == []  # the row's agency-year fails, not the folder
    assert {pair: [p.row for p in found] for pair, found in folder.failing_agency_years.items()} == {("ข", 2566): [2]}
    with pytest.raises(ITADataError, match="b.csv, row 2, column '1': score is not a number"):
        folder.dataset()


def test_the_bundled_folder_holds_the_seed(dataset):
    assert DataFolder().agency_years() == [(BMA, 2566)]
    assert dataset.score_table().set_index("fiscal_year").loc[2566, "official_total"] == 88.98


@pytest.mark.parametrize("name, content", [("broken.xlsx", b"PK\x03\x04 not really a workbook"),
                                           ("folder.csv", None)])
def test_a_file_that_cannot_be_read_at_all_is_a_problem_of_that_file(tmp_path, name, content):
    folder = folder_with(tmp_path, **{"scores/a.csv": WIDE + "ก,2566," + ",".join(["90"] * 10) + "\n"})
    if content is None:
        (tmp_path / "scores" / name).mkdir()
    else:
        (tmp_path / "scores" / name).write_bytes(content)
    (problem,) = folder.score_problems()
    assert problem.file == str(tmp_path.resolve() / "scores" / name)
    assert problem.rule.startswith("cannot read the file (")
    assert folder.agency_years() == [("ก", 2566)]


def test_files_that_look_like_scores_but_would_not_be_read_are_reported(tmp_path):
    folder = folder_with(tmp_path, **{"scores/a.csv": WIDE + "ก,2566," + ",".join(["90"] * 10) + "\n",
                                      "scores/old.xls": "", "scores/scores.json": "{}", "scores/.DS_Store": "",
                                      "scores/~$a.xlsx": "", "beside.csv": WIDE, "reported_totals.csv": "org\n"})
    root = tmp_path.resolve()
    assert [(p.file, p.rule.split(":")[0]) for p in folder.score_problems()] == [
        (str(root / "scores/old.xls"), "not a score file the suite reads"),
        (str(root / "scores/scores.json"), "not a score file the suite reads"),
        (str(root / "beside.csv"), "a score file outside scores/")]
    with pytest.raises(ITADataError, match="beside.csv: a score file outside scores/"):
        folder.dataset()


def test_validate_names_a_score_file_left_beside_scores_in_thai(tmp_path, capsys, monkeypatch):
    from ita_helpers.cli.main import main

    folder_with(tmp_path, **{"คะแนน.csv": WIDE + "ก,2566," + ",".join(["90"] * 10) + "\n"})
    monkeypatch.setenv("ITA_LANG", "th")
    assert main(["validate", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and f"{tmp_path}/คะแนน.csv: ไฟล์คะแนนอยู่นอกโฟลเดอร์ scores/" in err
