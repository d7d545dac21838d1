"""The timeline of a run (ITA_TIMELINE): marks in order, and a file that cannot be written never stops a run."""

from __future__ import annotations

from ita_helpers.core.timeline import ENV, mark, read_timeline


def test_marks_are_read_back_in_order_with_their_process(tmp_path, monkeypatch):
    import os

    path = tmp_path / "timeline.tsv"
    monkeypatch.setenv(ENV, str(path))
    mark("main: one")
    mark("main: two")
    assert [(pid, phase) for _moment, pid, phase in read_timeline(path)] == [(os.getpid(), "main: one"),
                                                                              (os.getpid(), "main: two")]


def test_a_timeline_that_cannot_be_written_is_left_and_the_run_goes_on(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV, str(tmp_path / "no-such-folder" / "timeline.tsv"))
    mark("main: arguments read")  # no error
    assert not (tmp_path / "no-such-folder").exists()
