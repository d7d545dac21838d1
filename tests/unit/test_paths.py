"""Agency names as folder names: one safe component inside OUT, distinct names in distinct folders."""

from __future__ import annotations

import hashlib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ita_helpers.core.paths import HASH_DIGITS, folder_name, inside

# Thai has no precomposed letters, but canonical ordering differs: a tone mark typed before a
# below-vowel (ก + ้ + ู) renders like ก + ู + ้ and NFC reorders it to that (U+0E39 ccc 103 < U+0E49 ccc 107).
THAI_NFC = "\u0e01\u0e39\u0e49"  # กู้
THAI_TYPED = "\u0e01\u0e49\u0e39"
LATIN_NFC = "caf\u00e9"  # café, é precomposed
LATIN_NFD = "cafe\u0301"  # café, e + combining acute
THAI_CHARS = st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B)  # consonants, vowels, marks, digits

HOSTILE = [
    "..", ".", "...", "../../escaped", "a/b", "a_b", "a\\b", "/etc/passwd", "x\x00y", "\x1b[31m",
    "a\nb", "a\tb", "CON", "con", "nul.txt", "COM1", "LPT9.tar.gz", "   ", "", "ก" * 300,
    "หน่วยงาน. . ", "name...", "a<b>c:d\"e|f?g*", "\u202eevil", "a\u200db", "ab\u200b",
    THAI_NFC, THAI_TYPED, LATIN_NFC, LATIN_NFD, "Agency", "agency",
    "\ud800lone surrogate", "synthetic-agency-00001-" + hashlib.sha256(b"x").hexdigest()[:HASH_DIGITS],
]
SAFE = ["กรุงเทพมหานคร", "หน่วยงานสังเคราะห์-ก", "synthetic-agency-00001", "กรมบัญชีกลาง (สาขา ๒)", THAI_NFC]


def assert_usable(root: Path, folder: str) -> None:
    """One component, not . or .., short enough, inside `root`, and mkdir really works."""
    assert folder and folder not in (".", "..")
    assert not set(folder) & {"/", "\\", "\x00"}
    assert len(folder.encode("utf-8")) <= 255
    assert folder == folder.strip() and not folder.endswith(".")
    target = inside(root, "2566", folder)
    assert target.parent == (root / "2566").resolve() and target.name == folder
    target.mkdir(parents=True)
    assert target.is_dir()


@pytest.mark.parametrize("name", HOSTILE, ids=repr)
def test_hostile_names_become_one_safe_folder_inside_out(tmp_path, name):
    assert_usable(tmp_path, folder_name(name))


def test_hostile_names_get_distinct_folders_even_ignoring_case():
    folders = [folder_name(name) for name in HOSTILE]
    assert len({f.casefold() for f in folders}) == len(HOSTILE)


@pytest.mark.parametrize("name", SAFE)
def test_safe_names_are_unchanged(name):
    assert folder_name(name) == name


@pytest.mark.parametrize(("name", "expected"), [
    ("../../escaped", ".._.._escaped"),
    ("a/b", "a_b"), ("a\\b", "a_b"), ("a\nb", "a b"), ("  a \t b  ", "a b"), ("x. .", "x"),
    ("..", "_"), ("", "_"), ("CON", "_CON"), ("nul.txt", "_nul.txt"), ("Agency", "Agency"),
])
def test_changed_names_keep_readable_text_and_carry_the_hash(name, expected):
    digest = hashlib.sha256(name.encode()).hexdigest()[:HASH_DIGITS]
    assert folder_name(name) == f"{expected}-{digest}"


def test_non_nfc_spellings_get_their_own_folder():
    assert unicodedata.normalize("NFC", THAI_TYPED) == THAI_NFC != THAI_TYPED
    assert unicodedata.normalize("NFC", LATIN_NFD) == LATIN_NFC != LATIN_NFD
    assert folder_name(THAI_NFC) == THAI_NFC
    assert folder_name(THAI_TYPED).startswith(THAI_NFC + "-")
    assert folder_name(LATIN_NFD).startswith(LATIN_NFC + "-")
    assert folder_name(LATIN_NFC) != folder_name(LATIN_NFD)


def test_long_thai_name_is_cut_without_orphaning_marks():
    name = "ข" + "กี่" * 100  # 301 characters, 903 UTF-8 bytes; each ก carries two marks
    folder = folder_name(name)
    body = folder.rsplit("-", 1)[0]
    assert len(body.encode()) <= 200 and len(folder.encode()) <= 211
    assert body == "ข" + "กี่" * 21  # 200 bytes would end inside the 22nd กี่: cut before its ก
    assert folder_name("ก" * 300) != folder_name("ก" * 301)


def test_inside_refuses_escapes(tmp_path):
    for parts in [("..",), ("2566", "..", ".."), ("/etc",), ("2566", "../../x"), (), (".",)]:
        with pytest.raises(ValueError):
            inside(tmp_path, *parts)
    (tmp_path / "link").symlink_to(tmp_path.parent)
    with pytest.raises(ValueError):
        inside(tmp_path, "link", "x")
    assert inside(tmp_path, "2566", "ก") == tmp_path.resolve() / "2566" / "ก"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(names=st.sets(st.text(), min_size=1, max_size=8)
       | st.sets(st.text(THAI_CHARS, max_size=150), min_size=1, max_size=8)
       | st.sets(st.text(st.characters(codec="utf-8"), min_size=60, max_size=120), min_size=1, max_size=3))
def test_any_text_gives_distinct_usable_folders(tmp_path_factory, names):
    root = tmp_path_factory.mktemp("out")
    folders = {name: folder_name(name) for name in names}
    for folder in folders.values():
        assert_usable(root, folder)
    assert len({f.casefold() for f in folders.values()}) == len(names)
    for name, folder in folders.items():
        digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_DIGITS]
        assert folder == name or folder.endswith("-" + digest)


def test_the_hash_suffix_is_64_bits_so_names_cleaned_alike_stay_apart(monkeypatch):
    """Probe finding (issue 19): ten hex digits allowed a chance collision at about a million changed names.

    81 names all cleaned to `x__` differ only by their suffix: one digit (monkeypatched) must collide, 16 do not."""
    names = [f"x{a}{b}" for a in '/\\<>:"|?*' for b in '/\\<>:"|?*']
    assert {folder_name(name).rsplit("-", 1)[0] for name in names} == {"x__"}
    assert {len(folder_name(name).rsplit("-", 1)[1]) for name in names} == {HASH_DIGITS} == {16}
    assert len({folder_name(name) for name in names}) == len(names)
    monkeypatch.setattr("ita_helpers.core.paths.HASH_DIGITS", 1)
    assert len({folder_name(name) for name in names}) <= 16  # the constructed collision
