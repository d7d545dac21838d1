"""The one guard for what a test needs from the machine (conftest.require): skipped here, failed in CI."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import in_ci, require

TESTS = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("value", ["true", "True", "TRUE", "1", " true\n", "yes", "on"])
def test_in_ci_a_missing_tool_fails_the_test(monkeypatch, value):
    monkeypatch.setenv("CI", value)
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match=r"^LibreOffice \(soffice\) is required in CI") as failed:
        require(None, "LibreOffice (soffice)")
    assert not failed.value.pytrace
    with pytest.raises(pytest.fail.Exception, match="forked kernels"):
        require(False, "forked kernels", allow_module_level=True)  # a module's guard fails as well


@pytest.mark.parametrize("value", [None, "", "false", "False", "0", "no"])
def test_outside_ci_a_missing_tool_skips_the_test(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert not in_ci()
    with pytest.raises(pytest.skip.Exception, match=r"^a Chromium-family browser is not available here$") as skipped:
        require("", "a Chromium-family browser")
    assert skipped.value.allow_module_level is False
    with pytest.raises(pytest.skip.Exception) as skipped:
        require(None, "dask[distributed]", allow_module_level=True)
    assert skipped.value.allow_module_level is True


@pytest.mark.parametrize("value", [None, "true", "1"])
def test_what_is_available_is_handed_back_in_ci_or_not(monkeypatch, value):
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert require("/usr/bin/chromium", "a Chromium-family browser") == "/usr/bin/chromium"
    assert require(True, "forked kernels") is True
    assert require(pytest, "a module") is pytest


GUARDED = """\
from conftest import require

require(False, "a tool the machine lacks", allow_module_level=True)


def test_needing_it():
    pass
"""


@pytest.mark.parametrize(("ci", "outcome"), [("", "1 skipped"), ("True", "1 error")])
def test_a_module_guard_skips_its_module_here_and_fails_the_run_in_ci(tmp_path, ci, outcome):
    """As a module's guard (test_backends, test_forkserver) under a real pytest run, not a raised exception."""
    (tmp_path / "test_guarded.py").write_text(GUARDED, encoding="utf-8")
    env = os.environ | {"CI": ci, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", "-p", "no:nbval",
                          "test_guarded.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert outcome in run.stdout.splitlines()[-1], run.stdout
    # Skipped: nothing ran, and pytest says so (5). In CI: an error collecting it fails the run.
    assert run.returncode == (pytest.ExitCode.INTERRUPTED if ci else pytest.ExitCode.NO_TESTS_COLLECTED)
    said = "a tool the machine lacks is required in CI" if ci else "a tool the machine lacks is not available here"
    assert said in run.stdout
