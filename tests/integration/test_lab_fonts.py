"""Thai in JupyterLab on a machine without a Thai font: a real Lab server and Chromium, a notebook with a
Thai markdown cell, a Thai table and a widget with a Thai label and drop-down. Before the notebook's
style output, the Thai text is not in Sarabun (here: no Thai font at all); after it, every one is."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

import nbformat
import pytest

from conftest import require
from ita_helpers.render.pdf import CHROMIUM_ARGS, find_chromium

THAI = "การประเมินคุณธรรมและความโปร่งใส"
TOKEN = "ita-lab-fonts-test"

# Is this element's Thai set in Sarabun? Its width against the same text in Sarabun at the element's size.
IN_SARABUN = """(selector) => {
  const element = document.querySelector(selector);
  if (!element) return null;
  const style = getComputedStyle(element);
  const probe = (family) => {
    const span = document.createElement('span');
    span.textContent = element.value !== undefined && element.tagName === 'SELECT'
      ? element.options[element.selectedIndex].text : element.textContent;
    span.style.cssText = `position:absolute;visibility:hidden;white-space:nowrap;font-size:${style.fontSize};`
      + `font-weight:${style.fontWeight};font-family:${family}`;
    document.body.appendChild(span);
    const width = span.getBoundingClientRect().width;
    span.remove();
    return width;
  };
  return {family: style.fontFamily, own: probe(style.fontFamily), sarabun: probe("'Sarabun'")};
}"""

SELECTORS = {
    "markdown": ".jp-RenderedMarkdown p",
    "table": ".jp-RenderedHTMLCommon td",
    "widget label": ".widget-label",
    "drop-down": ".widget-dropdown select",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _notebook(path) -> None:
    notebook = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell(f"{THAI}ของหน่วยงาน"),
        nbformat.v4.new_code_cell(
            "import ipywidgets, pandas\n"
            f"display(pandas.DataFrame({{'ตัวชี้วัด': ['{THAI}']}}))\n"
            f"display(ipywidgets.Dropdown(description='หน่วยงาน', options=['{THAI}']))"),
        nbformat.v4.new_code_cell("from ita_helpers.document import sections\ndisplay(sections.preview_style())"),
    ])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(notebook, path)


@pytest.fixture
def lab(tmp_path):
    require(find_chromium(), "Chromium")
    _notebook(tmp_path / "thai.ipynb")
    port = _free_port()
    home = tmp_path / "home"  # Lab's settings and workspaces of this test only
    env = os.environ | {"JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTERLAB_WORKSPACES_DIR": str(home / "ws"),
                        "JUPYTER_RUNTIME_DIR": str(home / "runtime")}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}", "--ip=127.0.0.1",
         f"--IdentityProvider.token={TOKEN}", "--allow-root",
         f"--ServerApp.root_dir={tmp_path}", "--LabApp.expose_app_in_browser=True"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=1)
                break
            except OSError:
                time.sleep(0.25)
        else:
            pytest.fail("JupyterLab did not start within 60 s")
        yield f"{url}/lab/tree/thai.ipynb?token={TOKEN}"
    finally:
        os.killpg(server.pid, 15)
        server.wait(timeout=30)


KERNEL_IDLE = """() => { const kernel = window.jupyterapp.shell.currentWidget?.sessionContext?.session?.kernel;
  return kernel?.status === 'idle'; }"""
RUN_CELL = """(index) => { const notebook = window.jupyterapp.shell.currentWidget;
  notebook.content.activeCellIndex = index; return window.jupyterapp.commands.execute('notebook:run-cell'); }"""


def _measure(page) -> dict[str, dict]:
    return {name: page.evaluate(IN_SARABUN, selector) for name, selector in SELECTORS.items()}


def test_thai_in_lab_is_set_in_sarabun_after_the_style_output(lab):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(lab)
        page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook')", timeout=60_000)
        page.wait_for_function(KERNEL_IDLE, timeout=60_000)
        page.evaluate(RUN_CELL, 0)  # the markdown cell
        page.evaluate(RUN_CELL, 1)  # the table and the widget
        page.wait_for_selector(".widget-dropdown select", timeout=60_000)
        page.wait_for_selector(".jp-RenderedHTMLCommon td", timeout=60_000)
        before = _measure(page)
        page.evaluate(RUN_CELL, 2)  # the style output
        page.wait_for_selector(".jp-OutputArea-output style", state="attached", timeout=30_000)
        page.wait_for_timeout(300)  # the layout that asks for Sarabun, then its faces decoded
        page.evaluate("document.fonts.ready.then(() => true)")
        after = _measure(page)
        browser.close()
    report = json.dumps({"before": before, "after": after}, ensure_ascii=False)
    for name in SELECTORS:
        assert before[name] and after[name], (name, report)
        assert "Sarabun" not in before[name]["family"], (name, report)  # the event happened: no Sarabun yet
        assert "Sarabun" in after[name]["family"], (name, report)
        assert after[name]["own"] == pytest.approx(after[name]["sarabun"], abs=0.5), (name, report)
    # without the style, this machine has no Thai font: the text is not set as Sarabun sets it
    if not subprocess.run(["fc-list", ":lang=th"], capture_output=True, text=True).stdout.strip():
        assert before["markdown"]["own"] != pytest.approx(after["markdown"]["sarabun"], abs=0.5), report
