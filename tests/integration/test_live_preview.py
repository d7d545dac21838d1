"""`ita preview` end to end: the page served, updated after a scripted save, the problems of a broken save
shown in Thai instead of a stale report, a good save again, and Ctrl-C leaving no kernel behind."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request

from support import FIXTURES, RISING, WIDE
from test_runner import no_processes_left

from conftest import REPO_ROOT


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def save(path, year_2566: list[int] | str) -> None:
    """A save as an editor does it: the new file written beside, then moved over the old one."""
    row = year_2566 if isinstance(year_2566, str) else ",".join(map(str, year_2566))
    text = WIDE + f"{RISING},2565,{','.join(['80'] * 10)}\n{RISING},2566,{row}\n"
    temporary = path.with_name("A1B2C3D4.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def next_version(base: str, shown: str, deadline: float = 90.0) -> str:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        now = fetch(base + "version")
        if now != shown:
            return now
        time.sleep(0.2)
    raise AssertionError(f"the page was not updated within {deadline} s")


def test_preview_follows_saves_and_stops_clean(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    scores = data / "scores" / "rising.csv"
    env = dict(os.environ) | {"PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ita_helpers.cli.main", "--lang", "th", "preview", "--org", RISING, "--year", "2566",
         "--data", str(data), "--no-browser"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env, cwd=tmp_path)
    try:
        line = process.stdout.readline()  # printed once the first page is ready
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, line + process.stderr.read()
        base = found.group(0)
        page, version = fetch(base), fetch(base + "version")
        assert RISING in page and "/version" in page
        assert "๙๕.๐๐" not in page

        save(scores, [95] * 10)
        version = next_version(base, version)
        page = fetch(base)
        assert "๙๕.๐๐" in page  # the new total

        save(scores, "abc")
        version = next_version(base, version)
        page = fetch(base)
        assert "ไม่สามารถจัดทำรายงานได้" in page and "คะแนนไม่ใช่ตัวเลข" in page
        assert "๙๕.๐๐" not in page  # not the previous report

        save(scores, [93] * 10)
        version = next_version(base, version)
        page = fetch(base)
        assert "๙๓.๐๐" in page and "คะแนนไม่ใช่ตัวเลข" not in page
    finally:
        process.send_signal(signal.SIGINT)
        try:
            code = process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            raise
    err = process.stderr.read()
    assert code == 0, err
    assert "กำลังจัดทำรายงาน…" in err and "อัปเดตแล้ว" in err and "หยุดการแสดงตัวอย่างรายงานแล้ว" in err
    assert no_processes_left() == []
