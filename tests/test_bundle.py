"""The bundle's frame: README, Binder, pins, saved notebooks, the lab command."""

import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EDITIONS = NOTEBOOKS + sorted((ROOT / "student").glob("*.ipynb"))
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_states_the_two_commands():
    assert "make lab" in README and "make test" in README


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_readme_links_each_notebook_on_binder(path):
    binder = r"https://mybinder\.org/v2/gh/[\w.-]+/[\w.-]+/main\?urlpath=lab/tree/notebooks/"
    link = re.compile(binder.replace("notebooks/", "student/") + re.escape(path.name))
    assert link.search(README), f"README has no Binder link opening the student edition of {path.name}"
    assert f"(student/{path.name})" in README


def test_requirements_pin_exact_versions():
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text().splitlines()]
    pins = [ln for ln in lines if ln and not ln.startswith("#") and ln != "-e ."]
    assert "-e ." in lines, "requirements.txt must install the course itself (helpers and coursekit)"
    pinned = [re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.]+", ln) for ln in pins]
    assert pins and all(pinned), "every line must be name==version"
    names = {ln.split("==")[0].lower() for ln in pins}
    for needed in ("numpy", "matplotlib", "ipywidgets", "jupyterlab", "ipykernel", "nbval", "pytest", "ruff"):
        assert needed in names


def test_binder_shares_the_pins():
    assert (ROOT / "binder/requirements.txt").read_text().split() == ["-r", "../requirements.txt"]
    assert (ROOT / "binder/runtime.txt").read_text().strip() == "python-3.11"


def test_lab_listens_on_localhost_with_token():
    makefile = (ROOT / "Makefile").read_text()
    lab = makefile.split("\nlab:")[1].split("\n\n")[0]
    assert "--ServerApp.ip=127.0.0.1" in lab
    assert "token=" not in lab.lower() and "password" not in lab.lower(), "make lab must keep token authentication"


@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_saved_notebook_is_clean(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.metadata.kernelspec.name == "python3"
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1)), "not executed top to bottom"
    for cell in code:
        for out in cell.outputs:
            assert out.output_type != "error", f"error output in {path.name}"
            assert not (out.output_type == "stream" and out.name == "stderr"), f"stderr in {path.name}: {out.text}"
    assert nb.cells[0].cell_type == "markdown" and nb.cells[0].source.startswith("# ")


@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_saved_widget_ids_are_renumbered(path):
    text = path.read_text(encoding="utf-8")
    ids = set(re.findall(r'"model_id": "([0-9a-f]{32})"', text))
    assert all(set(i[:16]) == {"0"} for i in ids), "widget ids not renumbered: run make notebooks"
    json.loads(text)
