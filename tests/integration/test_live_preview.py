"""`ita preview` end to end: the page served, updated after a scripted save, the problems of a broken save
shown in Thai instead of a stale report, a good save again, and Ctrl-C leaving no kernel behind; with --out,
the report's files follow the saves as `ita report` writes them."""

from __future__ import annotations

import json
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

from conftest import REPO_ROOT, require
from ita_helpers.render.pdf import find_chromium


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


def start_preview(tmp_path, *options: str) -> tuple[subprocess.Popen, str]:
    """`ita preview` (Thai) of RISING 2566 on a copy of the fixtures in tmp_path/data; the process, once its
    first page is ready, and the page's address."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES, data)
    env = dict(os.environ) | {"PYTHONPATH": str(REPO_ROOT), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "ita_helpers.cli.main", "--lang", "th", "preview", "--org", RISING, "--year", "2566",
         "--data", str(data), "--no-browser", *options],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8", env=env, cwd=tmp_path)
    line = process.stdout.readline()  # printed once the first page is ready
    found = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not found:
        process.kill()
        raise AssertionError(line + process.stderr.read())
    return process, found.group(0)


def stop(process: subprocess.Popen) -> tuple[int, str]:
    """Ctrl-C, as a user ends a preview: the exit code and what it told on stderr."""
    process.send_signal(signal.SIGINT)
    try:
        code = process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        raise
    return code, process.stderr.read()


def test_preview_follows_saves_and_stops_clean(tmp_path):
    process, base = start_preview(tmp_path)
    scores = tmp_path / "data" / "scores" / "rising.csv"
    try:
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
        code, err = stop(process)
    assert code == 0, err
    assert "กำลังจัดทำรายงาน…" in err and "อัปเดตแล้ว" in err and "หยุดการแสดงตัวอย่างรายงานแล้ว" in err
    assert no_processes_left() == []


def pdf_text(path) -> str:
    pdftotext = require(shutil.which("pdftotext"), "pdftotext")
    return subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout


def next_file(path, before: int, deadline: float = 90.0) -> None:
    """Wait until `path` is replaced (its modification time is no longer `before`)."""
    end = time.monotonic() + deadline
    while path.stat().st_mtime_ns == before:
        assert time.monotonic() < end, f"{path} was not written again within {deadline} s"
        time.sleep(0.1)


def ita_report(tmp_path, out, *options: str) -> subprocess.CompletedProcess:
    """`ita report` of RISING 2566 from tmp_path/data into `out`, in Thai."""
    return subprocess.run(
        [sys.executable, "-m", "ita_helpers.cli.main", "--lang", "th", "report", "--org", RISING, "--year", "2566",
         "--data", str(tmp_path / "data"), "--out", str(out), *options],
        capture_output=True, text=True, encoding="utf-8", cwd=tmp_path,
        env=dict(os.environ) | {"PYTHONPATH": str(REPO_ROOT)}, timeout=120)


def test_preview_with_out_writes_the_files_of_each_save(tmp_path):
    """The PDF and HTML on disk follow the saves; a broken save keeps the last good files, which the
    manifest marks out of date; Ctrl-C closes the browser and leaves the folder as ita report leaves it, with
    files that ita report finds up to date."""
    require(find_chromium(), "a Chromium-family browser")
    out = tmp_path / "out"
    process, base = start_preview(tmp_path, "--out", str(out))
    scores = tmp_path / "data" / "scores" / "rising.csv"
    folder = out / "2566" / RISING
    try:
        assert "๙๕.๐๐" not in pdf_text(folder / "report.pdf")
        pdf_written = (folder / "report.pdf").stat().st_mtime_ns
        version = fetch(base + "version")

        save(scores, [95] * 10)
        next_file(folder / "report.pdf", pdf_written)
        version = next_version(base, version)
        assert "ได้คะแนนรวม ๙๕.๐๐ คะแนน" in pdf_text(folder / "report.pdf")
        assert "๙๕.๐๐" in (folder / "report.html").read_text(encoding="utf-8")
        pdf_written = (folder / "report.pdf").stat().st_mtime_ns

        save(scores, "abc")
        version = next_version(base, version)
        assert "คะแนนไม่ใช่ตัวเลข" in fetch(base)
        entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"][f"2566/{RISING}"]
        assert entry["status"] == "failed" and "คะแนนไม่ใช่ตัวเลข" in entry["error"]
        assert entry["last_good"]["outputs"]["pdf"] == f"2566/{RISING}/report.pdf"
        assert (folder / "report.pdf").stat().st_mtime_ns == pdf_written  # the last good PDF, kept
        assert "ได้คะแนนรวม ๙๕.๐๐ คะแนน" in pdf_text(folder / "report.pdf")

        # The folder is the preview's while it runs: ita report is refused, in Thai, and writes nothing.
        report = ita_report(tmp_path, out, "--force")
        assert report.returncode == 2, report.stderr
        assert "ita preview --out จนกว่าจะกด Ctrl-C" in report.stderr
        assert (folder / "report.pdf").stat().st_mtime_ns == pdf_written

        save(scores, [93] * 10)
        next_file(folder / "report.pdf", pdf_written)
        version = next_version(base, version)
        assert "ได้คะแนนรวม ๙๓.๐๐ คะแนน" in pdf_text(folder / "report.pdf")
    finally:
        code, err = stop(process)
    assert code == 0, err
    assert err.count("พร้อมไฟล์รายงานใน") == 3, err  # the first page and the two good saves
    assert sorted(path.name for path in out.iterdir()) == [".ita-run.lock", "2566", "index.html", "manifest.json"]
    assert no_processes_left() == []  # the browser too
    entry = json.loads((out / "manifest.json").read_text(encoding="utf-8"))["reports"][f"2566/{RISING}"]
    assert entry["status"] == "ok" and entry["engine"].startswith("Chromium")
    # What the preview wrote is what ita report writes: it finds the report up to date.
    report = ita_report(tmp_path, out)
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("จัดทำแล้ว 0 รายงาน (มีข้อสังเกต 0) ไม่สำเร็จ 0 เป็นปัจจุบันแล้ว 1"), report.stdout
