"""Project hygiene: one dependency list for pip and conda; notebooks committed without outputs."""

from __future__ import annotations

import json
import subprocess
import tomllib

import yaml

from conftest import REPO_ROOT


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    expected = project["dependencies"] + project["optional-dependencies"]["test"]
    environment = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_sections = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1
    pip = [entry for entry in pip_sections[0] if entry != "-e ."]
    assert "-e ." in pip_sections[0]
    assert sorted(pip) == sorted(expected)
    assert len(pip) == len(set(pip))


def committed_notebooks() -> list:
    """Notebooks under notebooks/ that git tracks (all of them when git is unavailable)."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "notebooks"], cwd=REPO_ROOT, capture_output=True,
                                text=True, check=True).stdout
        return sorted(REPO_ROOT / name for name in listed.split("\0") if name.endswith(".ipynb"))
    except (OSError, subprocess.CalledProcessError):
        return sorted((REPO_ROOT / "notebooks").rglob("*.ipynb"))


def test_committed_notebooks_have_no_outputs():
    dirty = []
    for path in committed_notebooks():
        # the version in git (index), not the work tree: nbstripout cleans notebooks on `git add`
        text = subprocess.run(["git", "show", f":{path.relative_to(REPO_ROOT).as_posix()}"], cwd=REPO_ROOT,
                              capture_output=True, text=True, encoding="utf-8").stdout or path.read_text("utf-8")
        for cell in json.loads(text).get("cells", []):
            if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count") is not None):
                dirty.append(path.name)
                break
    assert dirty == []
