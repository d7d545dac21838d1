"""The bad-input catalogue: every class of broken score file ends in a clear message and exit 2 (or is read
correctly), never a traceback, through `ita validate` and `ita score` alike."""

from __future__ import annotations

import json

import pytest

from ita_helpers.cli import main

HEADER = "org,fiscal_year,1,2,3,4,5,6,7,8,9,10\n"


def row(org: str = "ก", year: str = "2566", score: str = "90") -> str:
    return f"{org},{year}," + ",".join([score] * 10) + "\n"


BROKEN = {  # file name -> (bytes, what the message says)
    "empty.csv": (b"", "the file is empty"),
    "header_only.csv": (HEADER.encode(), "the file has a header but no data rows"),
    "cp874.csv": ((HEADER + row("กรม")).encode("cp874"), "save it with Save As and the type 'CSV UTF-8"),
    "binary.csv": (bytes(range(256)) * 8, "the file is not UTF-8 text"),
    "nan.csv": ((HEADER + row(score="nan")).encode(), "score is not a number (value 'nan')"),
    "inf.csv": ((HEADER + row(score="inf")).encode(), "score outside 0-100 (value 'inf')"),
    "huge.csv": ((HEADER + row(score="1e309")).encode(), "score outside 0-100 (value '1e309')"),
    "comma_decimal.csv": ((HEADER + row(score='"90,5"')).encode(), "score is not a number (value '90,5')"),
    "christian_era.csv": ((HEADER + row(year="2023")).encode(), "Buddhist Era"),
    "half_year.csv": ((HEADER + row(year="2566.5")).encode(), "no methodology for this fiscal year"),
    "columns_twice.csv": (("org,fiscal_year,1,1,2,3,4,5,6,7,8,9,10\nก,2566," + ",".join(["90"] * 11) + "\n").encode(),
                          "column 1 appears more than once in the header"),
    "short_row.csv": ((HEADER + "ก,2566,90\n").encode(), "score is not a number"),
    "open_quote.csv": ((HEADER + '"ก,2566,90\n').encode(), "a double quote"),
    "not_a_workbook.xlsx": (b"PK\x03\x04 not a workbook", "it is not an Excel workbook, or it is damaged"),
    "indicator_11.csv": (("org,fiscal_year,1,2,3,4,5,6,7,8,9,10,11\nก,2566," + ",".join(["90"] * 11) + "\n").encode(),
                         "there is no indicator 11"),
    "no_agency.csv": ((HEADER + row(org="")).encode(), "agency name is empty"),
}
READ_AS_MEANT = {  # file name -> (bytes, the agency read)
    "bom.csv": (("\ufeff" + HEADER + row()).encode(), "ก"),
    "thai_digits.csv": ((HEADER + row(year="๒๕๖๖", score="๙๐")).encode(), "ก"),
    "spaces.csv": ((HEADER + row(" ก ", " 2566 ", " 90 ")).encode(), "ก"),
    "dollar_name.csv": ((HEADER + row("$x^2$ กรม")).encode(), "$x^2$ กรม"),
    "markup_name.csv": ((HEADER + row("<script>alert(1)</script>")).encode(), "<script>alert(1)</script>"),
}


@pytest.mark.parametrize("command", ["validate", "score"])
@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_file_is_a_message_and_exit_2(tmp_path, capsys, command, name):
    data, said = BROKEN[name]
    (tmp_path / name).write_bytes(data)
    assert main([command, str(tmp_path / name)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and said in err and "Traceback" not in err and name in err


@pytest.mark.parametrize("name", sorted(READ_AS_MEANT))
def test_a_file_typed_loosely_is_read_as_meant(tmp_path, capsys, name):
    data, org = READ_AS_MEANT[name]
    (tmp_path / name).write_bytes(data)
    assert main(["score", str(tmp_path / name), "--format", "json"]) == 0
    (scored,) = json.loads(capsys.readouterr().out)
    assert (scored["org"], scored["fiscal_year"], scored["total"]) == (org, 2566, 90.0)


@pytest.mark.parametrize("command", ["validate", "score"])
def test_a_folder_named_like_a_file_and_a_missing_file(tmp_path, capsys, command):
    (tmp_path / "folder.csv").mkdir()
    assert main([command, str(tmp_path / "missing.csv")]) == 2
    assert "missing.csv: file not found" in capsys.readouterr().err
    assert main([command, str(tmp_path / "folder.csv")]) == 2
    assert "scores/" in capsys.readouterr().err
