"""`ita report` on a folder whose own เกณฑ์การประเมิน.xlsx states 2570: the report's slice carries the
agency's framework, so the 2570 row is scored with its weights and the report says the framework is the
agency's, not presumed. The agency and its scores are SYNTHETIC."""

from __future__ import annotations

import json

from support import WIDE, fill_framework_sheet, folder_with, visible_text

from ita_helpers.cli.main import main

AGENCY = "หน่วยงานทดสอบเกณฑ์"  # SYNTHETIC
# IIT 84, EIT 91, OIT (30*70 + 20*100) / 50 = 82; 0.2*84 + 0.3*91 + 0.5*82 = 85.10 (presumed 2569: 86.50)
ROW_2570 = f"{AGENCY},2570,80,82,84,86,88,90,91,92,70,100\n"


def test_the_report_of_a_2570_row_uses_the_agencys_framework_without_the_presumed_note(tmp_path):
    data = tmp_path / "data"
    folder_with(data, **{"scores/new.csv": WIDE + ROW_2570})
    assert main(["template", "framework", "--year", "2570", "--data", str(data)]) == 0
    fill_framework_sheet(data / "เกณฑ์การประเมิน.xlsx", 2570,
                         {"IIT": {2: 20}, "EIT": {2: 30}, "OIT": {2: 50}, "9": {4: 30}, "10": {4: 20}})
    out = tmp_path / "out"
    assert main(["report", "--org", AGENCY, "--year", "2570", "--data", str(data), "--out", str(out),
                 "--formats", "html"]) == 0
    text = visible_text((out / "2570" / AGENCY / "report.html").read_text(encoding="utf-8"))
    assert "๘๕.๑๐" in text and "๘๖.๕๐" not in text
    assert ("เกณฑ์การประเมินของปีงบประมาณ พ.ศ. ๒๕๗๐ เป็นไปตามที่หน่วยงานระบุไว้ในไฟล์ “เกณฑ์การประเมิน.xlsx” "
            "ของหน่วยงาน (IIT ร้อยละ ๒๐ EIT ร้อยละ ๓๐ OIT ร้อยละ ๕๐)") in text
    assert "เนื่องจากยังไม่มีเกณฑ์" not in text and "สันนิษฐาน" not in text
    assert "ไฟล์เกณฑ์การประเมิน “เกณฑ์การประเมิน.xlsx”" in text  # the footer names the agency's own file
    assert "methodology.yaml" not in text and "xlsx.yaml" not in text
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = manifest["reports"].values()
    assert entry["figures"]["total"] == 85.1
    assert "framework_presumed" not in entry["warnings"] and "weights_presumed" not in entry["warnings"]
