"""A class on a hub: an nbgitpuller link pulls the course into a student's JupyterLab, and a second pull after the
course changed keeps the student's edits.

The course's git repository is a local clone here (a hub's link names the GitHub one); JupyterLab runs with
nbgitpuller's server extension (requirements-e2e.txt), token auth on, as in test_browser.py. The round trip: the
link opens notebook 04 of the student edition (cloned, then served: it runs clean); the student writes an answer
and saves; the course changes (that notebook's first cell and the README) and is committed; the same link again:
the answer is still there, the course's change arrived, and the notebook is a valid notebook.
"""

import runpy
import subprocess
import time

import nbformat
import pytest
from test_browser import JS_READY, JS_STATE, ROOT, SHOTS, TIMEOUT_S, LabServer

pull_link = runpy.run_path(str(ROOT / "tools" / "hub_links.py"))["pull_link"]
NOTEBOOK = "student/04_gd_vs_momentum.ipynb"
ANSWER = "my_answer = 42  # a student's edit"
COURSE_CHANGE = "A sentence the course added after the students' first pull."


def git(*args, cwd):
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture()
def hub():
    server = LabServer()
    try:
        server.start()
        yield server
    finally:
        server.stop()


def pull(page, server, origin, branch):
    """Open the nbgitpuller link a hub's student clicks (tools/hub_links.py's, to this server, not through a hub);
    wait until JupyterLab shows the notebook."""
    page.goto(pull_link(server.base, f"file://{origin}", NOTEBOOK, branch, targetpath="course") +
              f"&token={server.token}")
    page.wait_for_url("**/lab/tree/**", timeout=TIMEOUT_S * 1000)
    page.wait_for_function(JS_READY, timeout=TIMEOUT_S * 1000)


def run_all(page):
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    deadline = time.monotonic() + TIMEOUT_S
    while True:
        state = page.evaluate(JS_STATE)
        assert not state["errors"], state["errors"]
        if state["done"] == state["total"] and state["running"] == 0 and state["kernel"] == "idle":
            return state["total"]
        assert time.monotonic() < deadline, f"run all: {state}"
        time.sleep(0.25)


def test_a_second_pull_keeps_the_students_work(hub, browser, tmp_path):
    SHOTS.mkdir(exist_ok=True)
    origin = tmp_path / "origin"
    git("clone", "-q", str(ROOT), str(origin), cwd=tmp_path)
    branch = git("rev-parse", "--abbrev-ref", "HEAD", cwd=origin)
    page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    try:
        pull(page, hub, origin, branch)
        pulled = hub.tmp / "course" / "course"  # the server's root, then nbgitpuller's targetpath
        assert git("log", "-1", "--format=%H", cwd=pulled) == git("log", "-1", "--format=%H", cwd=origin)
        cells = run_all(page)
        # The student answers the first exercise and saves, in JupyterLab.
        page.evaluate("""async (answer) => { const panel = window.jupyterapp.shell.currentWidget;
          const cells = panel.content.model.cells;
          for (let i = 0; i < cells.length; i++) {
            const cell = cells.get(i);
            if (cell.type === 'code' && cell.sharedModel.getSource().includes('YOUR CODE HERE')) {
              cell.sharedModel.setSource(answer); break; } }
          await panel.context.save(); }""", ANSWER)
        # The course changes, in the same notebook (its first cell) and elsewhere.
        changed = nbformat.read(origin / NOTEBOOK, as_version=4)
        changed.cells[0].source += "\n\n" + COURSE_CHANGE
        nbformat.write(changed, origin / NOTEBOOK)
        (origin / "README.md").write_text((origin / "README.md").read_text() + "\n" + COURSE_CHANGE + "\n")
        git("-c", "user.name=course", "-c", "user.email=course@example.org", "commit", "-qam", "a change",
            cwd=origin)
        pull(page, hub, origin, branch)
        kept = nbformat.read(pulled / NOTEBOOK, as_version=4)
        nbformat.validate(kept)
        assert any(cell.source == ANSWER for cell in kept.cells), "the student's answer was lost"
        assert COURSE_CHANGE in kept.cells[0].source and COURSE_CHANGE in (pulled / "README.md").read_text()
        print(f"nbgitpuller: {NOTEBOOK} pulled and served ({cells} code cells ran clean); after the course "
              "changed, a second pull kept the student's answer and brought the change", flush=True)
    except BaseException:
        page.screenshot(path=str(SHOTS / "hub-failed.png"), full_page=True)
        raise
    finally:
        page.context.close()
