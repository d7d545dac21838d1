"""A damaged manifest rebuilt from the reports on disk.

Each published notebook (`<year>/<agency>/report.ipynb`, `progress.ipynb`) carries how it was made
(`metadata.ita`: parameters, input digests, version, engine) and the status the report displayed
(warnings and headline figures): enough for its manifest entry, resume key included. A notebook without
them, with a status the contract refuses, or in a folder that is not its agency-year's, is left out and
its report rendered again. Failed notebooks (`report.failed.ipynb`) are never listed as reports."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from ..core.paths import folder_name
from ..core.thai import BANGKOK, generated_at
from ..document.parts import STATUS_MIME
from .contract import STATUS_SCHEMAS, status_problem
from .jobs import DOCUMENTS, FORMATS, entry_key, report_key


def rebuilt_reports(root: Path, fingerprint: Callable[[Path], dict]) -> dict[str, dict]:
    """Manifest entries (by entry key) for the reports found under the output folder `root`, each output
    with its `fingerprint` (publish's)."""
    reports = {}
    for document, (_notebook, stem) in DOCUMENTS.items():
        for notebook in sorted(root.glob(f"*/*/{stem}.ipynb")):
            entry = _entry(root, notebook, document, fingerprint)
            if entry:
                reports[entry_key(entry["folder"], document)] = entry
    return reports


def _entry(root: Path, notebook: Path, document: str, fingerprint: Callable[[Path], dict]) -> dict | None:
    try:
        data = json.loads(notebook.read_text(encoding="utf-8"))
        made = data["metadata"]["ita"]
        parameters, digests = dict(made["parameters"]), dict(made["inputs"])
        org, year = str(parameters["org"]), int(parameters["fiscal_year"])
        statuses = [output["data"][STATUS_MIME] for cell in data["cells"] for output in cell.get("outputs", [])
                    if STATUS_MIME in output.get("data", {})]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    folder = notebook.parent.relative_to(root).as_posix()
    if folder != f"{year}/{folder_name(org)}" or status_problem(statuses, STATUS_SCHEMAS[document]):
        return None
    status, stem = statuses[0], notebook.stem
    formats = tuple(fmt for fmt in FORMATS if (notebook.parent / f"{stem}.{fmt}").is_file())
    outputs = {fmt: f"{folder}/{stem}.{fmt}" for fmt in ("ipynb", *formats)}
    made_at = datetime.fromtimestamp(notebook.stat().st_mtime, BANGKOK)
    return {
        "org": org, "fiscal_year": year, "folder": folder, "document": document, "parameters": parameters,
        "inputs": digests, "outputs": outputs,
        "files": {fmt: fingerprint(root / path) for fmt, path in outputs.items()},
        "engine": made.get("engine"), "duration": 0.0,
        "status": "warnings" if status["warnings"] else "ok", "warnings": status["warnings"],
        "figures": status.get("figures"), "error": None, "cell": None,
        "key": report_key(parameters, digests, formats, document), "version": made.get("version"),
        "commit": made.get("commit"), "sources": made.get("sources", {}), "generated": generated_at(made_at),
        "rebuilt": True,
    }
