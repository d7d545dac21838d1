"""`ita preview`'s watcher and served page, without a kernel: a save counts once however many steps it
takes, an editor's lock and temporary files never count, and only the served copy carries a script."""

from __future__ import annotations

import os

from ita_helpers.cli.preview import ChangeDetector, ignored, problems_page, with_reload


def data_folder(tmp_path):
    (tmp_path / "scores").mkdir()
    (tmp_path / "scores" / "scores.xlsx").write_bytes(b"first")
    (tmp_path / "methodology.yaml").write_text("x: 1\n", encoding="utf-8")
    return tmp_path


def changes(detector: ChangeDetector, polls: int = 4) -> int:
    return sum(detector.poll() for _ in range(polls))


def test_nothing_changed_nothing_counts(tmp_path):
    detector = ChangeDetector(data_folder(tmp_path))
    assert changes(detector) == 0


def test_a_save_in_place_counts_once_when_it_has_settled(tmp_path):
    folder = data_folder(tmp_path)
    detector = ChangeDetector(folder)
    (folder / "scores" / "scores.xlsx").write_bytes(b"second!")
    assert detector.poll() is False  # seen changing: wait one poll for the save to finish
    assert detector.poll() is True
    assert changes(detector) == 0


def test_excels_save_by_rename_counts_once(tmp_path):
    folder = data_folder(tmp_path)
    scores = folder / "scores"
    detector = ChangeDetector(folder)
    (scores / "~$scores.xlsx").write_bytes(b"owner")  # Excel opens the workbook: its lock file
    assert changes(detector) == 0
    steps = [
        lambda: (scores / "A1B2C3D4").write_bytes(b"new workbook"),  # the new copy, under a temporary name
        lambda: os.replace(scores / "scores.xlsx", scores / "E5F6A7B8.tmp"),  # the old one moved away
        lambda: os.replace(scores / "A1B2C3D4", scores / "scores.xlsx"),  # the new one moved in
        lambda: (scores / "E5F6A7B8.tmp").unlink(),  # the old one deleted
    ]
    counted = 0
    for step in steps:  # a poll may fall between any two steps
        step()
        counted += detector.poll()
    counted += changes(detector)
    assert counted == 1
    (scores / "~$scores.xlsx").unlink()  # Excel closed
    assert changes(detector) == 0


def test_lock_and_temporary_files_never_count(tmp_path):
    folder = data_folder(tmp_path)
    detector = ChangeDetector(folder)
    for name in ("~$scores.xlsx", ".~lock.scores.xlsx#", "A1B2C3D4.tmp", "A1B2C3D4", "scores.xlsx~", ".DS_Store"):
        (folder / "scores" / name).write_bytes(b"noise")
        assert changes(detector) == 0, name
        (folder / "scores" / name).unlink()
        assert changes(detector) == 0, name


def test_a_new_or_removed_data_file_counts(tmp_path):
    folder = data_folder(tmp_path)
    detector = ChangeDetector(folder)
    (folder / "measures").mkdir()
    (folder / "measures" / "plan.xlsx").write_bytes(b"measures")
    assert changes(detector) == 1
    (folder / "measures" / "plan.xlsx").unlink()
    assert changes(detector) == 1


def test_a_save_with_the_same_bytes_counts(tmp_path):
    """Decided: a touch of the time without a change of content counts (one render more). Excel rewrites
    a workbook's bytes on every save anyway, and comparing contents would mean reading every file each poll."""
    folder = data_folder(tmp_path)
    detector = ChangeDetector(folder)
    path = folder / "scores" / "scores.xlsx"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert changes(detector) == 1


def test_data_file_names_are_not_mistaken_for_temporary_ones():
    assert not any(map(ignored, ["scores.xlsx", "ABCD1234.csv", "methodology.yaml", "2566.xlsx", "measures"]))


def test_only_the_served_copy_carries_the_reload_script():
    page = b"<html><body><p>report</p></body></html>"
    served = with_reload(page, 7)
    assert served.count(b"<script>") == 1 and b'"7"' in served and b"/version" in served
    assert served.replace(served[served.index(b"<script>"):served.index(b"</script>") + 9], b"") == page


def test_the_problems_page_is_thai_and_escaped():
    page = problems_page("ไม่สามารถจัดทำรายงานได้", ["scores.csv แถวที่ 2: <abc>"]).decode()
    assert "<li>scores.csv แถวที่ 2: &lt;abc&gt;</li>" in page
    assert "font-family: 'Sarabun'" in page and "<script" not in page and "http" not in page.split("<style>")[0]


def test_files_that_cannot_be_written_are_told_and_the_preview_goes_on(tmp_path):
    """A PDF held open by a reader (Windows) keeps the report's files from being replaced: the preview says
    so in the interface language and what to do, and goes on; the files are not counted as written."""
    from ita_helpers.batch.jobs import Job, Rendered
    from ita_helpers.cli.preview import Preview

    logged = []
    (tmp_path / "data").mkdir()
    preview = Preview(data_folder(tmp_path / "data"), "ก", 2566, out=tmp_path / "out", log=logged.append)

    def held_open(job, rendered, engine):
        raise PermissionError(13, "The process cannot access the file", "report.pdf")

    preview.out.add = held_open
    lock = preview.out.lock
    try:
        job = Job("ก", 2566, {"threshold": 85.0}, (), ("html",))
        assert preview.write_files(job, Rendered({"ipynb": b"{}", "html": b"<html></html>"})) is False
    finally:
        preview.close()
    assert logged == [f"the report's files could not be written to {(tmp_path / 'out').resolve()} (The process "
                      "cannot access the file); a program showing one of them (a PDF reader, Word) may hold it: "
                      "close it and save the data again"]
    assert not lock.is_locked  # the preview let go of its folder: another command may write there
