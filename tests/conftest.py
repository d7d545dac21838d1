"""Shared fixtures: paths, the bundled data set and builders of synthetic indicator scores."""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
import pytest

from ita_helpers.domain.methodology import load_methodology
from ita_helpers.domain.scoring import score_table
from ita_helpers.inputs.dataset import BUNDLED_DATA, load_dataset

# Messages are Thai by default; most tests read the English ones, and tests of the Thai ones set the
# language themselves (monkeypatch.setenv("ITA_LANG", "th") or `ita --lang th`).
os.environ["ITA_LANG"] = "en"
# Every process this session starts (workers, kernels, kernel templates, browsers, batches) inherits this
# mark, so that a test looking for leftover processes never counts those of another run on the machine.
os.environ["ITA_TEST_SESSION"] = uuid.uuid4().hex
SESSION_MARK = f"ITA_TEST_SESSION={os.environ['ITA_TEST_SESSION']}".encode()

REPO_ROOT = Path(__file__).resolve().parent.parent
BMA = "กรุงเทพมหานคร"
# The seed's indicator table (data/scores/bma.csv), indicators 1-10 of FY2566.
BMA_2566 = [92.27, 77.83, 85.85, 77.95, 78.31, 82.88, 81.22, 78.37, 100.00, 100.00]


def indicator_scores(iit: float | Sequence[float], eit: float | Sequence[float],
                     oit: float | Sequence[float]) -> list[float]:
    """Ten indicator scores whose tools average to the given values.

    A tool given as one number puts that score on each of its indicators (5 IIT, 3 EIT, 2 OIT);
    a sequence gives the tool's indicators one by one."""
    def spread(value, count):
        values = [value] * count if isinstance(value, int | float) else list(value)
        assert len(values) == count, f"expected {count} scores, got {values}"
        return values

    return spread(iit, 5) + spread(eit, 3) + spread(oit, 2)


def build_long_frame(*agency_years: tuple[str, int, Sequence[float]]) -> pd.DataFrame:
    """Long indicator scores as the loaders return them, from (org, fiscal_year, [10 scores]) tuples."""
    rows = [
        {"org": org, "fiscal_year": year, "indicator": number, "score": float(value),
         "source": "synthetic test data", "file": "<test>"}
        for org, year, values in agency_years
        for number, value in enumerate(values, start=1)
    ]
    return pd.DataFrame(rows).astype({"org": "string", "fiscal_year": "int64", "indicator": "int64",
                                      "source": "string", "file": "string"})


# ---- one guard for what a test needs from the machine ---------------------------------------------
# A browser, LibreOffice, forked kernels, Dask or a PDF tool: missing here, the test is skipped; missing
# in CI (.ci/run installs them all), it fails. Every such skip in the suite goes through `require`.
CI_TRUE = ("1", "true", "yes", "on")


def in_ci() -> bool:
    """Whether the suite runs in CI: the environment variable CI is true in any case (true, True, 1)."""
    return os.environ.get("CI", "").strip().lower() in CI_TRUE


def require(available, what: str, allow_module_level: bool = False):
    """`available` (a path, a module, True) when it is truthy. Else the test is skipped, or fails in CI,
    naming `what` it needs. `allow_module_level`: called at a module's top, to skip all its tests."""
    if available:
        return available
    if in_ci():
        pytest.fail(f"{what} is required in CI (CI={os.environ['CI']!r}; .ci/run installs what the tests need)",
                    pytrace=False)
    pytest.skip(f"{what} is not available here", allow_module_level=allow_module_level)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return BUNDLED_DATA


@pytest.fixture(scope="session")
def methodology():
    return load_methodology((BUNDLED_DATA / "methodology.yaml").resolve())


@pytest.fixture(scope="session")
def dataset():
    return load_dataset()


@pytest.fixture(scope="session")
def long_frame():
    """The builder `build_long_frame(*(org, fiscal_year, scores))` (session scope, so hypothesis can use it)."""
    return build_long_frame


@pytest.fixture(scope="session")
def score_one(methodology):
    """Score one synthetic agency-year: `score_one(scores, fiscal_year=2566)` -> its row of score_table."""
    def score(scores: Sequence[float], fiscal_year: int = 2566, **kwargs) -> pd.Series:
        table = score_table(build_long_frame(("synthetic", fiscal_year, scores)), methodology, **kwargs)
        assert len(table) == 1
        return table.iloc[0]

    return score


@pytest.fixture(scope="session")
def bma_row(dataset) -> pd.Series:
    """The seed agency-year (BMA, FY2566) scored with the bundled reported totals and national averages."""
    table = dataset.score_table()
    row = table[(table["org"] == BMA) & (table["fiscal_year"] == 2566)]
    assert len(row) == 1
    return row.iloc[0]


@pytest.fixture(scope="session")
def bma_scores(dataset) -> pd.Series:
    """The seed's ten indicator scores indexed by indicator number."""
    own = dataset.indicators[(dataset.indicators["org"] == BMA) & (dataset.indicators["fiscal_year"] == 2566)]
    return own.set_index("indicator")["score"]


# ---- test pyramid: folders by tier ------------------------------------------------------------------
# tests/unit: no kernel, browser or PDF (a few tests that print a page are marked slow where they are);
# tests/contract: the notebook contract (parameters in, status out, the parts renderers read back), one
# shared kernel; tests/integration: batches, browsers, PDF, packaging, properties, all marked slow here,
# and so is every notebook nbval executes. `make test-fast` runs `pytest -m "not slow"`.
def pytest_collection_modifyitems(config, items):
    integration, notebooks = REPO_ROOT / "tests" / "integration", REPO_ROOT / "notebooks"
    for item in items:
        path = Path(str(item.path)).resolve()
        if path.is_relative_to(integration) or (path.suffix == ".ipynb" and path.is_relative_to(notebooks)):
            item.add_marker(pytest.mark.slow)


# ---- executed report notebooks, for the tests of what renderers read -------------------------------
@pytest.fixture(scope="module")
def executed_report(tmp_path_factory):
    """`executed_report(org, year, data_dir=None, digits="thai", notebook=REPORT_NOTEBOOK, **extra)`: the report
    notebook run once with those parameters (and any other, e.g. the group notebook's `group`), all in one
    kernel that the module's last test stops (the batch tests count the kernels left). Its charts carry their
    PNG for Word, whatever a batch run in this process asked of its kernels before."""
    from unittest.mock import patch

    from ita_helpers.batch.execute import CHART_ENV, execute, start_kernel, stop_kernel
    from ita_helpers.core.resources import NOTEBOOKS, REPORT_NOTEBOOK
    from ita_helpers.document.chart_forms import CHART_PNG_ENV

    scratch = tmp_path_factory.mktemp("executed")
    done: dict[tuple, object] = {}
    kernel = []

    def run(org: str, year: int, data_dir: Path | None = None, digits: str = "thai", notebook: Path = REPORT_NOTEBOOK,
            **extra):
        key = (org, year, str(data_dir), digits, str(notebook), tuple(sorted(extra.items())))
        if key not in done:
            if not kernel:
                with patch.dict(CHART_ENV, {CHART_PNG_ENV: "1"}):
                    kernel.append(start_kernel(NOTEBOOKS))
            parameters = {"org": org, "fiscal_year": year, "digits": digits,
                          "data_dir": None if data_dir is None else str(data_dir)} | extra
            done[key] = execute(notebook, scratch / f"{len(done)}.ipynb", parameters, NOTEBOOKS, km=kernel[0])
        return done[key]

    yield run
    for km in kernel:
        stop_kernel(km)
