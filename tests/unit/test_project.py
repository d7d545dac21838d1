"""Project hygiene: one dependency list for pip and conda; what a wheel carries; notebooks committed
without outputs."""

from __future__ import annotations

import json
import subprocess
import tomllib

import yaml

from conftest import REPO_ROOT


def pyproject() -> dict:
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_environment_yml_matches_pyproject():
    """conda users get the dependencies and every optional group (test, dask)."""
    project = pyproject()["project"]
    extras = project["optional-dependencies"]
    assert {"test", "dask"} <= set(extras)
    expected = project["dependencies"] + [entry for group in extras.values() for entry in group]
    environment = yaml.safe_load((REPO_ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_sections = [d["pip"] for d in environment["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1
    pip = [entry for entry in pip_sections[0] if entry != "-e ."]
    assert "-e ." in pip_sections[0]
    assert sorted(pip) == sorted(expected)
    assert len(pip) == len(set(pip))


def test_build_requirements_are_test_extras():
    """`python -m build --no-isolation` (integration/test_packaging.py) builds with what the test extras install."""
    config = pyproject()
    test_extras = config["project"]["optional-dependencies"]["test"]
    for requirement in config["build-system"]["requires"]:
        assert requirement in test_extras
    assert any(entry.startswith("build") for entry in test_extras)


def test_wheel_maps_notebooks_and_data_from_the_top_level_folders():
    """notebooks/ and data/ are the single source: a wheel carries them as ita_helpers/notebooks and
    ita_helpers/data, and the checkout holds no second copy inside the package (resources.py would
    prefer it)."""
    setuptools = pyproject()["tool"]["setuptools"]
    assert setuptools["package-dir"] == {"ita_helpers.notebooks": "notebooks", "ita_helpers.data": "data"}
    assert "*.ipynb" in setuptools["package-data"]["ita_helpers.notebooks"]
    assert not (REPO_ROOT / "ita_helpers" / "notebooks").exists()
    assert not (REPO_ROOT / "ita_helpers" / "data").exists()


def test_every_package_folder_is_listed():
    """Packages are listed by name (setuptools cannot combine a package search with packages mapped
    from notebooks/ and data/), so a new folder of code or templates under ita_helpers/ must be added
    to pyproject.toml."""
    listed = set(pyproject()["tool"]["setuptools"]["packages"])
    package = REPO_ROOT / "ita_helpers"
    folders = {".".join(folder.relative_to(REPO_ROOT).parts) for folder in [package, *package.rglob("*")]
               if folder.is_dir() and folder.name != "__pycache__"
               and any(item.is_file() and item.suffix != ".pyc" for item in folder.iterdir())}
    assert folders - listed == set()


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
