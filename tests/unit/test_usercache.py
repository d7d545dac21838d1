"""Results kept between runs in the user's cache folder, named by what they were computed from."""

from __future__ import annotations

from ita_helpers.core.usercache import cache_folder, cached_text


def test_computed_once_per_input_and_again_for_another(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    calls = []

    def compute() -> str:
        calls.append(1)
        return f"ผลครั้งที่ {len(calls)}"

    assert cached_text("thing.txt", b"one", compute) == "ผลครั้งที่ 1"
    assert cached_text("thing.txt", b"one", compute) == "ผลครั้งที่ 1" and len(calls) == 1
    assert cached_text("thing.txt", b"two", compute) == "ผลครั้งที่ 2"
    assert sorted(p.name[:10] for p in cache_folder().iterdir()) == ["thing.txt-", "thing.txt-"]


def test_a_folder_that_cannot_be_written_only_means_computing_again(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert cached_text("thing.txt", b"one", lambda: "again") == "again"
    assert cached_text("thing.txt", b"one", lambda: "and again") == "and again"
