"""Probe finding (issue 19): a damaged manifest.json is set aside by name and the run starts from an empty one."""

import json

import pytest

from ita_helpers.batch.publish import MANIFEST, load_manifest


@pytest.mark.parametrize("text", ['{"reports": {"2566/a": {"org"', "[1, 2]", '{"reports": [1]}',
                                  '{"reports": {"2566/a": "text"}}', "\udcff"])
def test_a_damaged_manifest_is_set_aside_and_replaced_by_an_empty_one(tmp_path, text):
    (tmp_path / MANIFEST).write_bytes(text.encode("utf-8", "surrogateescape"))
    assert load_manifest(tmp_path) == {"reports": {}}
    kept = [p.name for p in tmp_path.iterdir()]
    assert len(kept) == 1 and kept[0].startswith("manifest.json.damaged-")
    assert (tmp_path / kept[0]).read_bytes() == text.encode("utf-8", "surrogateescape")


def test_a_sound_manifest_is_read_as_it_is(tmp_path):
    manifest = {"reports": {"2566/a": {"org": "a"}}}
    (tmp_path / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    assert load_manifest(tmp_path) == manifest and [p.name for p in tmp_path.iterdir()] == [MANIFEST]
