"""The wheel: it carries the notebooks, the bundled data and the templates, and a venv that has only
the wheel (no checkout) renders a report from a folder outside the repository.

Slow (tests/conftest.py marks this module): builds a wheel, makes a venv and runs a kernel. The fresh
venv takes its dependencies from the test venv (a .pth line naming the test venv's site-packages)
and the wheel is installed with --no-deps, so nothing is downloaded."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from fnmatch import fnmatch
from pathlib import Path

import pytest

from conftest import BMA, REPO_ROOT

# What a source tree may hold that is not the project's source.
NOT_SOURCE = (".git", ".venv", "build", "dist", "outputs", "__pycache__", "*.egg-info", ".pytest_cache",
              ".hypothesis", ".ipynb_checkpoints", "synthetic")
REQUIRED = [
    "ita_helpers/__init__.py",
    "ita_helpers/cli/main.py",
    "ita_helpers/core/resources.py",
    "ita_helpers/document/components.css",
    "ita_helpers/notebooks/ita_report.ipynb",
    "ita_helpers/notebooks/explore.ipynb",
    "ita_helpers/notebooks/compare.ipynb",
    "ita_helpers/data/methodology.yaml",
    "ita_helpers/data/national_averages.csv",
    "ita_helpers/data/reported_totals.csv",
    "ita_helpers/render/templates/ita_report/index.html.j2",
    "ita_helpers/render/templates/ita_report/conf.json",
    "ita_helpers/render/templates/report.css",
    "ita_helpers/locale/th/LC_MESSAGES/ita.mo",
]


def source_files() -> list[Path]:
    """The files of the checkout as a clean clone would have them: tracked and new (not ignored) files."""
    try:
        listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                                cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        names = (path.relative_to(REPO_ROOT) for path in REPO_ROOT.rglob("*") if path.is_file())
        return [name for name in names if name.suffix != ".pyc"
                and not any(fnmatch(part, pattern) for part in name.parts for pattern in NOT_SOURCE)]
    return [Path(name) for name in listed.split("\0") if name and (REPO_ROOT / name).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """A wheel built from a copy of the checkout, so no build/ folder of an earlier build leaks into it
    and the checkout is left as it was."""
    root = tmp_path_factory.mktemp("wheel")
    source = root / "source"
    for name in source_files():
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO_ROOT / name, target)
    # --no-isolation: the build backend (setuptools, in the test extras) comes from this venv, offline
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                            str(root / "dist"), str(source)], capture_output=True, text=True)
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    wheels = list((root / "dist").glob("ita_helpers-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


@pytest.fixture(scope="module")
def wheel_names(wheel) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_wheel_carries_notebooks_data_and_templates(wheel_names):
    assert [name for name in REQUIRED if name not in wheel_names] == []


def test_wheel_carries_every_file_of_the_package_notebooks_and_data(wheel_names):
    """Every module and template of ita_helpers/, every notebook of notebooks/ and the whole data/ tree
    (scores, measures, any README), under ita_helpers/; nothing of the checkout's tests or outputs."""
    expected = set()
    for name in source_files():
        top, rest = name.parts[0], Path(*name.parts[1:]) if len(name.parts) > 1 else None
        if top == "ita_helpers" and name.suffix != ".pyc":
            expected.add(name.as_posix())
        elif top == "notebooks" and name.suffix == ".ipynb" and len(name.parts) == 2:
            expected.add(f"ita_helpers/notebooks/{rest.as_posix()}")
        elif top == "data":
            expected.add(f"ita_helpers/data/{rest.as_posix()}")
    assert sorted(expected - wheel_names) == []
    packaged = {name for name in wheel_names if not name.startswith("ita_helpers-")}
    assert sorted(packaged - expected) == []


@pytest.fixture(scope="module")
def wheel_venv(wheel, tmp_path_factory) -> Path:
    """A fresh venv holding the wheel, whose dependencies are this venv's site-packages.

    The .pth names this venv's site-packages as a plain path, so the .pth files there (among them the
    editable install's finder) are not run: `ita_helpers` can only come from the wheel."""
    venv = tmp_path_factory.mktemp("venv") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                                        capture_output=True, text=True, check=True).stdout.strip())
    (site_packages / "ita_test_dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n", encoding="utf-8")
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                                "--no-index", "--quiet", str(wheel)], capture_output=True, text=True)
    assert installed.returncode == 0, installed.stdout[-3000:] + installed.stderr[-3000:]
    return venv


def venv_env() -> dict[str, str]:
    """The environment of a user's shell: no PYTHONPATH into the checkout; Jupyter's data folders
    (nbconvert's lab template) of the venv whose packages the fresh one uses."""
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "PYTHONHOME")}
    share = Path(sysconfig.get_path("data")) / "share" / "jupyter"
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(share), os.environ.get("JUPYTER_PATH")]))
    return env


def test_installed_package_finds_its_notebooks_and_data_inside_itself(wheel_venv, tmp_path):
    probe = ("import ita_helpers, ita_helpers.core.resources as r; "
             "print(ita_helpers.__file__, r.REPORT_NOTEBOOK, r.BUNDLED_DATA / 'methodology.yaml', sep='\\n')")
    done = subprocess.run([str(wheel_venv / "bin" / "python"), "-c", probe], cwd=tmp_path, env=venv_env(),
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    paths = [Path(line) for line in done.stdout.splitlines()]
    assert len(paths) == 3
    for path in paths:
        assert path.is_file()
        assert path.is_relative_to(wheel_venv), f"{path} is not from the wheel"


def test_report_from_the_wheel_outside_the_checkout(wheel_venv, tmp_path):
    elsewhere, out = tmp_path / "elsewhere", tmp_path / "out"
    elsewhere.mkdir()
    done = subprocess.run([str(wheel_venv / "bin" / "ita"), "report", "--org", BMA, "--year", "2566",
                           "--formats", "html", "--out", str(out)],
                          cwd=elsewhere, env=venv_env(), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    reports = list(out.glob("2566/*/report.html"))
    assert len(reports) == 1, sorted(out.rglob("*"))
    assert "๘๘.๙๘" in reports[0].read_text(encoding="utf-8")
    assert list(elsewhere.iterdir()) == []
