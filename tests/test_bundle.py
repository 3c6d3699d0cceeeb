"""The bundle's frame: README, Binder, pins, saved notebooks, the lab command."""

import json
import re
import runpy
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
EDITIONS = NOTEBOOKS + sorted((ROOT / "student").glob("*.ipynb"))
README = (ROOT / "README.md").read_text(encoding="utf-8")
#: CI's tool that runs the README's plain Python commands: how it reads them, and how it compares make's.
PLAIN = runpy.run_path(str(ROOT / "tools" / "check_plain_commands.py"))
readme_commands, check_make_runs = PLAIN["readme_commands"], PLAIN["check_make_runs"]


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
    # The lab command adds nothing to Jupyter's defaults, which listen on localhost and ask for a token
    # (CI's plain-commands check asks the running server: 200 with the token, 403 without), and no
    # Jupyter config file of the course's, which Jupyter would read from the folder it starts in, changes them.
    lab = next(line for line in readme_commands() if " jupyter lab" in line)
    assert lab == ".venv/bin/python -m jupyter lab student"
    configs = [p for folder in (ROOT, ROOT / "student", ROOT / ".jupyter") for p in folder.glob("jupyter*config*")]
    assert configs == [], f"{configs}: a Jupyter config in the course could change where make lab listens"


def test_readme_gives_the_plain_commands_for_windows_too():
    block = README[README.index("```powershell\n"):]
    lines = [line.split("  #")[0].strip() for line in block[: block.index("\n```\n")].splitlines()[1:]]
    windows = [line.replace(".venv/bin/", ".venv\\Scripts\\").replace("python3 -m", "py -m")
               for line in readme_commands()]
    assert lines == windows


@pytest.mark.skipif(shutil.which("make") is None, reason="no make on this machine (the plain commands need none)")
def test_make_lab_and_make_test_run_the_readme_commands():
    check_make_runs(readme_commands())


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
def test_widget_ids_renumber_back_to_the_saved_file_whatever_the_kernel_drew(path):
    """A kernel gives its widgets random ids: scrambled at random (three times), they renumber to the saved file,
    so make notebooks twice leaves git diff empty even with widgets that no output displays."""
    renumber = runpy.run_path(str(ROOT / "tools" / "save_notebooks.py"))["renumber_widget_ids"]
    text = path.read_text(encoding="utf-8")
    ids = sorted(set(re.findall(r"[0-9a-f]{32}", text)))
    for seed in range(3):
        scrambled = scramble(text, ids, seed)
        assert scrambled != text and renumber(scrambled) == text


def scramble(text, ids, seed):
    """text with each of the ids replaced by another 32-digit hex id, in a random order."""
    fresh = np.random.default_rng(seed).permutation(len(ids))
    return re.sub(r"[0-9a-f]{32}", lambda m: f"{fresh[ids.index(m.group(0))] * 7919 + 12345:032x}", text)


def test_widgets_no_output_shows_renumber_the_same_whatever_their_random_ids():
    """Two undisplayed sliders that differ only in their layouts: their order must not follow their ids."""
    renumber = runpy.run_path(str(ROOT / "tools" / "save_notebooks.py"))["renumber_widget_ids"]
    ids = [f"{k:032x}" for k in (0xA1, 0xB2, 0xC3, 0xD4)]
    state = {ids[0]: {"model_name": "IntSliderModel", "state": {"layout": f"IPY_MODEL_{ids[2]}"}},
             ids[1]: {"model_name": "IntSliderModel", "state": {"layout": f"IPY_MODEL_{ids[3]}"}},
             ids[2]: {"model_name": "LayoutModel", "state": {"width": "100px"}},
             ids[3]: {"model_name": "LayoutModel", "state": {"width": "200px"}}}
    nb = nbformat.v4.new_notebook()
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    text = nbformat.writes(nb) + "\n"
    saved = renumber(text)
    assert {renumber(scramble(text, ids, seed)) for seed in range(6)} == {saved}


@pytest.mark.parametrize("path", EDITIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_saved_widget_ids_are_renumbered(path):
    text = path.read_text(encoding="utf-8")
    ids = set(re.findall(r'"model_id": "([0-9a-f]{32})"', text))
    assert all(set(i[:16]) == {"0"} for i in ids), "widget ids not renumbered: run make notebooks"
    json.loads(text)


def test_the_saved_notebooks_stay_small():
    """The main sliders' strips make the saved notebooks bigger: no notebook over 3 MB, both editions under 20 MB
    together, so that a clone (and each regenerate's commit) stays light."""
    sizes = {path.relative_to(ROOT): path.stat().st_size for edition in ("notebooks", "student")
             for path in (ROOT / edition).glob("*.ipynb")}
    assert len(sizes) == 10
    assert max(sizes.values()) <= 3_000_000, sizes
    assert sum(sizes.values()) < 20_000_000, sum(sizes.values())


def test_hub_links_open_each_student_notebook_through_nbgitpuller(capsys):
    hub_links = runpy.run_path(str(ROOT / "tools" / "hub_links.py"))
    link = hub_links["pull_link"]("https://hub.example.edu/hub/user-redirect/", "https://github.com/me/course.git",
                                  "student/04_gd_vs_momentum.ipynb")
    assert link == ("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fme%2F"
                    "course.git&branch=main&targetpath=course&urlpath=lab%2Ftree%2Fcourse%2Fstudent%2F"
                    "04_gd_vs_momentum.ipynb")
    with pytest.raises(ValueError, match="^branch must be a non-empty str, got ''"):
        hub_links["pull_link"]("https://hub", "https://github.com/me/course", "student/x.ipynb", branch="")
    hub_links["main"](["https://hub.example.edu/"])
    printed = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in printed] == [path.stem for path in sorted(ROOT.glob("student/*.ipynb"))]
    assert all("https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fcourse-maintainers"
               in line for line in printed)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_each_explorer_has_a_lecture_version_without_the_lesson(path):
    """make present's notebook: the title, the code cells before the explorer run unseen, then the explorer."""
    present = runpy.run_path(str(ROOT / "tools" / "present.py"))
    nb = nbformat.read(path, as_version=4)
    lecture = present["lecture"](nb)
    title, *captured, explorer = lecture.cells
    assert title.cell_type == "markdown" and title.source.startswith(nb.cells[0].source.splitlines()[0])
    assert captured and all(c.source.startswith("%%capture\n") for c in captured)
    assert explorer.source in {"stepper", "backprop", "explorer"}
    assert not any(words in cell.source for cell in lecture.cells for words in ("YOUR CODE HERE", "## "))
    with pytest.raises(SystemExit, match="^NOTEBOOK must name one notebook of notebooks/"):
        present["find"]("06")
