"""The resume key's renderer digest: the report notebook's code and parameters, not its file's bytes."""

from __future__ import annotations

import copy

from support import lab_saved, report_notebook, write

from ita_helpers.batch import jobs
from ita_helpers.batch.jobs import notebook_digest, renderer_digest
from ita_helpers.core.resources import REPORT_NOTEBOOK


def test_a_lab_saved_copy_of_the_report_notebook_has_the_same_digest(tmp_path):
    saved = write(tmp_path / "saved.ipynb", lab_saved(report_notebook()))
    assert saved.read_bytes() != REPORT_NOTEBOOK.read_bytes()
    assert notebook_digest(saved) == notebook_digest(REPORT_NOTEBOOK)


def test_a_changed_code_cell_markdown_cell_tag_or_cell_order_changes_the_digest(tmp_path):
    original = report_notebook()
    code = next(i for i, cell in enumerate(original["cells"]) if cell["cell_type"] == "code"
                and "parameters" not in cell.get("metadata", {}).get("tags", []))
    markdown = next(i for i, cell in enumerate(original["cells"]) if cell["cell_type"] == "markdown")
    parameters = next(i for i, cell in enumerate(original["cells"])
                      if "parameters" in cell.get("metadata", {}).get("tags", []))

    def changed(edit) -> str:
        notebook = copy.deepcopy(original)
        edit(notebook["cells"])
        return notebook_digest(write(tmp_path / "changed.ipynb", lab_saved(notebook)))

    def append(index: int, text: str):
        def edit(cells):
            source = cells[index]["source"]
            cells[index]["source"] = (source if isinstance(source, str) else "".join(source)) + text
        return edit

    digests = {
        "code": changed(append(code, "\n1 + 1")),
        "parameters": changed(append(parameters, "\nextra = 1")),
        "markdown": changed(append(markdown, "\nอีกหนึ่งบรรทัด")),
        "tag removed": changed(lambda cells: cells[parameters]["metadata"].update(tags=[])),
        "tag added": changed(lambda cells: cells[code].setdefault("metadata", {}).update(tags=["remove_input"])),
        "type": changed(lambda cells: cells[markdown].update(cell_type="raw")),
        "order": changed(lambda cells: cells.insert(code + 1, cells.pop(code))),
    }
    assert notebook_digest(REPORT_NOTEBOOK) not in digests.values()
    assert len(set(digests.values())) == len(digests)


def test_the_renderer_digest_follows_the_notebook_code_not_its_bytes(tmp_path, monkeypatch):
    before = renderer_digest(jobs.REPORT_NOTEBOOK)
    saved = write(tmp_path / "saved.ipynb", lab_saved(report_notebook()))
    renderer_digest.cache_clear()
    try:
        assert renderer_digest(saved) == before
    finally:
        renderer_digest.cache_clear()
