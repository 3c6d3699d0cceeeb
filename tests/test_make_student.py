"""tools/make_student.py: the student edition cleared as nbgrader clears it, sealed, current; and the
notebooks' nbgrader metadata."""

import re
import subprocess
from pathlib import Path

import nbformat
import pytest

from coursekit.exercises import STUB

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_make_student_clears_as_nbgrader_does(make_student):
    tool = make_student
    source = ("x = ...\n    # BEGIN SOLUTION (any words)\n    x = 2\n    # END SOLUTION\nh.answered('a', x)\n"
              "# BEGIN HIDDEN TESTS\nh.check_answer('a', x, 2, slips={'b': 3})\n# END HIDDEN TESTS\ny = 1")
    cleared, solutions = tool["regions"](source, tool["SOLUTION"], STUB)
    assert cleared.split("\n")[:3] == ["x = ...", f"    {STUB}", "h.answered('a', x)"] and solutions == ["    x = 2"]
    assert tool["released"](nbformat.v4.new_code_cell(source)) == f"x = ...\n    {STUB}\nh.answered('a', x)\ny = 1"
    text = nbformat.v4.new_markdown_cell("Why?\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->")
    assert tool["released"](text) == "Why?\n*Your answer here.*"
    two_lines = tool["regions"]("  # BEGIN SOLUTION\n  x = 2\n  # END SOLUTION", tool["SOLUTION"], "a\nb")
    assert two_lines == ("  a\n  b", ["  x = 2"])  # a stub of several lines, each at the region's indentation
    assert tool["regions"]("x\n# BEGIN HIDDEN TESTS\ny\n# END HIDDEN TESTS", tool["HIDDEN"]) == ("x", ["y"])
    for broken in ("# BEGIN SOLUTION\nx", "# END SOLUTION", "# BEGIN SOLUTION\n# BEGIN SOLUTION\n# END SOLUTION"):
        with pytest.raises(ValueError, match="^source"):
            tool["regions"](broken, tool["SOLUTION"], STUB)


SOLUTION_CELL = {"grade": False, "locked": False, "solution": True}
LOCKED = {"grade": False, "locked": True, "solution": False}


def graded(points):
    return {"grade": True, "locked": True, "points": points, "solution": False}


@pytest.mark.parametrize("source,meta", [
    ("def f():\n    # BEGIN SOLUTION\n    return 1\n    # END SOLUTION", SOLUTION_CELL),
    ("x = ...\n# BEGIN SOLUTION\nx = 1\n# END SOLUTION\nh.check_function('E', f, cases=c)", SOLUTION_CELL),
    ('print(np.linalg.norm(x))\nh.check_function("Exercise 1", f, cases=c)', graded(1)),
    ('h.check_function("Exercise 1", f, cases=c)\nh.check_function("Exercise 2", g, cases=c)', graded(2)),
    ('f = h.check_function("Homework: f", f, cases=c, reference="f")', LOCKED),
    ('# BEGIN HIDDEN TESTS\nh.passed("Homework: f")\nh.check_slips({})\n# END HIDDEN TESTS', graded(2)),
    ('# BEGIN HIDDEN TESTS\nh.check_slips({"a": g})\n# END HIDDEN TESTS', graded(0)),
    ('h.answered("Homework: n", n)\n# BEGIN HIDDEN TESTS\nh.check_answer("Homework: n", n, 3)\n# END HIDDEN TESTS',
     graded(2)),
    ('h.answered("Exercise 3", n)', graded(1)),
    ('my.check_function("Exercise 3", n)\nh.sealed("x")', None),
    ('my.h.answered("Exercise 3", n)', LOCKED),
    ("x = h.init_params((1, 2))", None),
], ids=["solution", "solution-and-check", "exercise", "two-exercises", "homework-check", "homework-grade", "slips",
        "homework-number", "number", "another-module", "attribute-of-h", "plain"])
def test_nbgrader_metadata_says_what_each_cell_is(make_student, source, meta):
    got = make_student["grading_metadata"](nbformat.v4.new_code_cell(source, id="c"))
    assert got == (None if meta is None else meta | {"grade_id": "c", "schema_version": 3})


def test_a_written_answer_is_graded_by_hand_for_no_points(make_student):
    cell = nbformat.v4.new_markdown_cell("Why?\n<!-- BEGIN SOLUTION -->\nBecause.\n<!-- END SOLUTION -->", id="m")
    assert make_student["grading_metadata"](cell) == {"grade": True, "grade_id": "m", "locked": False, "points": 0,
                                                      "schema_version": 3, "solution": True}
    assert make_student["grading_metadata"](nbformat.v4.new_markdown_cell("h.check_function(", id="t")) is None


@pytest.mark.parametrize("label", ["label", "3", "f'Exercise {k}'"])
def test_a_check_label_must_be_a_plain_string(make_student, label):
    with pytest.raises(ValueError, match="^a check's label must be a plain string"):
        make_student["grading_metadata"](nbformat.v4.new_code_cell(f"h.check_function({label}, f, cases=c)", id="c"))


def test_metadata_is_set_and_removed(make_student):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('h.answered("E", x)', id="a"),
                                         nbformat.v4.new_code_cell("x = 1", id="b")])
    nb.cells[1].metadata["nbgrader"] = {"grade": True}
    make_student["with_grading_metadata"](nb)
    assert nb.cells[0].metadata["nbgrader"]["points"] == 1 and "nbgrader" not in nb.cells[1].metadata


SEALED = re.compile(r'h\.sealed\("([^"]*)"\)')


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_edition_is_current(make_student, path):
    """Its sources are what make student makes, with the sealed values it holds (checked above)."""
    saved = nbformat.read(ROOT / "student" / path.name, as_version=4)
    sealed = {c.id: m.group(1) for c in saved.cells for m in [SEALED.search(c.source)] if m}
    expected = make_student["student_edition"](path, sealed)  # a check without a sealed value raises
    assert [(c.id, c.cell_type, c.source) for c in saved.cells] == [
        (c.id, c.cell_type, c.source) for c in expected.cells], "run make student"




def test_the_student_edition_has_every_page_as_it_is():
    pages = sorted((ROOT / "notebooks").glob("*.md"))
    assert [p.name for p in pages] == ["worked_solution.md"]
    for page in pages:
        assert (ROOT / "student" / page.name).read_text(encoding="utf-8") == page.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebooks_nbgrader_metadata_is_current(make_student, path):
    saved = nbformat.read(path, as_version=4)
    current = make_student["with_grading_metadata"](nbformat.read(path, as_version=4))
    assert [c.metadata.get("nbgrader") for c in saved.cells] == [c.metadata.get("nbgrader") for c in current.cells]
    assert sum(c.metadata.get("nbgrader", {}).get("points", 0) for c in saved.cells) >= 5


def test_a_number_check_is_sealed_with_its_own_words(make_student):
    source = ('h.answered("Exercise 3", answer_3)\n# BEGIN HIDDEN TESTS\nfour = 2 + 2\n'
              'h.check_answer("Exercise 3", answer_3, four * 4, rtol=0,\n               hint="Count.",\n'
              '               slips={"eighteen": 18})\n# END HIDDEN TESTS')
    assert make_student["sealed_check"](source, "TOKEN") == (
        'h.check_answer("Exercise 3", answer_3,\n               h.sealed("TOKEN"),\n               rtol=0,\n'
        '               hint="Count.")')
    hidden, call = make_student["check_answer_call"](source)
    assert hidden.startswith("four = 2 + 2\n") and call.args[0].value == "Exercise 3"
    assert make_student["check_answer_call"]('h.answered("a", x)') is None
    assert make_student["check_answer_call"]("# BEGIN HIDDEN TESTS\nh.check_slips({})\n# END HIDDEN TESTS") is None
    for broken in ('# BEGIN HIDDEN TESTS\nh.check_answer("a", x, 1)\nx = 1\n# END HIDDEN TESTS',
                   '# BEGIN HIDDEN TESTS\nh.check_answer("a", x)\n# END HIDDEN TESTS',
                   '# BEGIN HIDDEN TESTS\nh.check_answer("a", x, 1)\nh.check_answer("a", x, 1)\n# END HIDDEN TESTS',
                   '# BEGIN HIDDEN TESTS\nh.check_answer("a", x, 1)\nfor i in []:\n    pass\n# END HIDDEN TESTS'):
        with pytest.raises(ValueError, match="^source's hidden tests must end with their one h.check_answer"):
            make_student["check_answer_call"](broken)
    with pytest.raises(ValueError, match="^source must name every keyword"):
        make_student["sealed_check"]('# BEGIN HIDDEN TESTS\nh.check_answer("a", x, 1, **o)\n# END HIDDEN TESTS', "T")


def test_a_cell_left_with_a_marker_or_without_its_seal_is_refused(make_student, tmp_path):
    check = 'h.answered("a", x)\n# BEGIN HIDDEN TESTS\nh.check_answer("a", x, 1)\n# END HIDDEN TESTS'
    for cell, sealed, message in ((nbformat.v4.new_code_cell(check, id="c"), {}, "^sealed must hold the expected "
                                   "value of cell c: run make student$"),
                                  (nbformat.v4.new_code_cell("x = 1  # SOLUTION", id="d"), {},
                                   "^cell d: a marker or slips left after clearing$"),
                                  (nbformat.v4.new_code_cell("x = 1  # HIDDEN TESTS", id="e"), {},
                                   "^cell e: a marker or slips left after clearing$"),
                                  (nbformat.v4.new_code_cell("h.check_answer('a', x, 1, slips={})", id="f"), {},
                                   "^cell f: a marker or slips left after clearing$")):
        path = tmp_path / "n.ipynb"
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)
        with pytest.raises(ValueError, match=message):
            make_student["student_edition"](path, sealed)


def test_the_student_edition_drops_what_is_all_hidden_and_every_nbgrader_mark(make_student, tmp_path):
    cells = [nbformat.v4.new_code_cell("# BEGIN HIDDEN TESTS\nh.passed('a')\n# END HIDDEN TESTS", id="gone"),
             nbformat.v4.new_code_cell("", id="empty"), nbformat.v4.new_markdown_cell("Text", id="kept")]
    for cell in cells:
        cell.metadata["nbgrader"] = {"grade": True}
    path = tmp_path / "n.ipynb"
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["widgets"] = {"state": {}}
    nbformat.write(nb, path)
    cells[1].outputs, cells[1].execution_count = [nbformat.v4.new_output("stream", text="old")], 3
    edition = make_student["student_edition"](path, {})
    assert [c.id for c in edition.cells] == ["empty", "kept"]
    assert all("nbgrader" not in c.metadata for c in edition.cells) and "widgets" not in edition.metadata
    nbformat.write(nbformat.v4.new_notebook(cells=cells[1:]), path)  # outputs cleared; no widgets to drop
    edition = make_student["student_edition"](path, {})
    assert edition.cells[0].outputs == [] and edition.cells[0].execution_count is None
    assert "outputs" not in edition.cells[1]


def test_make_student_seals_runs_and_writes(make_student, monkeypatch, tmp_path, capsys):
    """make student on a course of one notebook: the metadata brought up to date (once), the expected
    values sealed by running the solutions, the edition written as the repository holds it."""
    name = "02_backprop.ipynb"
    (tmp_path / "notebooks").mkdir()
    stale = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    for cell in stale.cells:
        cell.metadata.pop("nbgrader", None)
    # Two cells more: the notebook runs in its own folder (it reads a file beside it), and a cell follows the
    # last check (each check's probe goes right after it)
    stale.cells.insert(0, nbformat.v4.new_code_cell('assert open("beside.txt").read() == "here"', id="beside"))
    stale.cells.append(nbformat.v4.new_markdown_cell("The end.", id="end"))
    (tmp_path / "notebooks" / "beside.txt").write_text("here")
    nbformat.write(stale, tmp_path / "notebooks" / name)
    expected_text = nbformat.writes(make_student["with_grading_metadata"](stale)) + "\n"
    monkeypatch.setitem(make_student, "ROOT", tmp_path)
    make_student["main"]()
    said = capsys.readouterr().out
    assert said == f"notebooks/{name}: nbgrader metadata updated\nstudent/{name}: solutions cleared\n"
    assert (tmp_path / "notebooks" / name).read_text(encoding="utf-8") == expected_text
    written = nbformat.read(tmp_path / "student" / name, as_version=4)
    ours = nbformat.read(ROOT / "student" / name, as_version=4)
    assert [(c.id, c.source) for c in written.cells] == [("beside", stale.cells[0].source)] + [
        (c.id, c.source) for c in ours.cells] + [("end", "The end.")]
    make_student["main"]()
    assert capsys.readouterr().out == f"student/{name}: solutions cleared\n"


def test_make_student_keeps_a_student_notebook_with_edits_of_its_own(make_student, monkeypatch, tmp_path, capsys):
    """A student who worked in student/ and then runs make student loses nothing: the edited notebook is kept,
    make student says so and fails; --force overwrites it. Outside git, any difference counts as an edit."""
    (tmp_path / "notebooks").mkdir()
    nbformat.write(nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("Try it.", id="ask"),
        nbformat.v4.new_code_cell("answer = ...\n# BEGIN SOLUTION\nanswer = 42\n# END SOLUTION", id="answer")]),
        tmp_path / "notebooks" / "n.ipynb")
    monkeypatch.setitem(make_student, "ROOT", tmp_path)
    assert make_student["main"]() == 0
    student = tmp_path / "student" / "n.ipynb"
    worked = nbformat.read(student, as_version=4)
    worked.cells[1].source = "answer = 41  # my try"
    nbformat.write(worked, student)
    edited = student.read_text(encoding="utf-8")
    capsys.readouterr()
    assert make_student["main"]() == 1
    assert student.read_text(encoding="utf-8") == edited
    said = capsys.readouterr()
    assert "student/n.ipynb: solutions cleared" not in said.out
    assert said.err.startswith("Not overwritten, as they hold edits of their own") and "student/n.ipynb" in said.err
    assert "make student FORCE=1" in said.err
    assert make_student["main"](["--force"]) == 0
    assert nbformat.read(student, as_version=4).cells[1].source == "answer = ...\n# YOUR CODE HERE"


def test_make_student_keeps_each_edited_notebook_and_writes_the_others(make_student, monkeypatch, tmp_path, capsys):
    """Two edited notebooks are both kept and named, in one message; the one between them is still written; the
    pages beside the notebooks (the worked solution) are copied as they are."""
    (tmp_path / "notebooks").mkdir()
    for name in ("a", "b", "c"):
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"{name} one.", id="one")]),
                       tmp_path / "notebooks" / f"{name}.ipynb")
    (tmp_path / "notebooks" / "worked_solution.md").write_text("# Worked solution\nÉtape 1 ✓\n", encoding="utf-8")
    monkeypatch.setitem(make_student, "ROOT", tmp_path)
    assert make_student["main"]() == 0
    assert (tmp_path / "student" / "worked_solution.md").read_text(encoding="utf-8") == "# Worked solution\nÉtape 1 ✓\n"
    for name in ("a", "c"):  # a student's edits
        worked = nbformat.read(tmp_path / "student" / f"{name}.ipynb", as_version=4)
        worked.cells[0].source = "my notes"
        nbformat.write(worked, tmp_path / "student" / f"{name}.ipynb")
    for name in ("a", "b", "c"):
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"{name} two.", id="one")]),
                       tmp_path / "notebooks" / f"{name}.ipynb")
    capsys.readouterr()
    assert make_student["main"]() == 1
    shown = {name: nbformat.read(tmp_path / "student" / f"{name}.ipynb", as_version=4).cells[0].source
             for name in ("a", "b", "c")}
    assert shown == {"a": "my notes", "b": "b two.", "c": "my notes"}
    assert capsys.readouterr().err == (
        "Not overwritten, as they hold edits of their own (they differ from the student edition and from git's copy): "
        "student/a.ipynb, student/c.ipynb. To keep your work, copy those files elsewhere (or commit them); then "
        "`make student FORCE=1` (python tools/make_student.py --force) overwrites them.\n")


def test_make_student_rewrites_its_own_uncommitted_edition(make_student, monkeypatch, tmp_path):
    """A maintainer who changes the solutions twice before committing: the second make student rewrites the
    edition that the first one wrote (its fingerprint says so), outside git too."""
    (tmp_path / "notebooks").mkdir()
    source = tmp_path / "notebooks" / "n.ipynb"
    monkeypatch.setitem(make_student, "ROOT", tmp_path)
    for text in ("One.", "Two.", "Three."):
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text, id="one")]), source)
        assert make_student["main"]() == 0
        assert nbformat.read(tmp_path / "student" / "n.ipynb", as_version=4).cells[0].source == text


def test_make_student_rewrites_a_student_notebook_that_git_has_as_it_is(make_student, monkeypatch, tmp_path):
    """A maintainer's change to the solutions rewrites the committed student edition without --force."""
    (tmp_path / "notebooks").mkdir()
    source = tmp_path / "notebooks" / "n.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("One.", id="one")]), source)
    monkeypatch.setitem(make_student, "ROOT", tmp_path)
    assert make_student["main"]() == 0
    student = tmp_path / "student" / "n.ipynb"
    older = nbformat.read(student, as_version=4)
    del older.metadata["student_edition"]  # as an older make student wrote it: git alone tells it is no edit
    nbformat.write(older, student)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    for command in (["init", "-q"], ["add", "student"], ["commit", "-qm", "student edition"]):
        subprocess.run(["git", *command] if command[0] == "init" else [*git, *command], cwd=tmp_path, check=True)
    nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("Two.", id="one")]), source)
    monkeypatch.chdir(tmp_path.parent)  # git is asked about the course's folder, wherever make student runs from
    assert make_student["main"]() == 0
    assert nbformat.read(student, as_version=4).cells[0].source == "Two."
    edited = nbformat.read(student, as_version=4)  # then edited, with no fingerprint: it differs from git's copy
    edited.cells[0].source = "mine"
    del edited.metadata["student_edition"]
    nbformat.write(edited, student)
    assert make_student["main"]() == 1
    assert nbformat.read(student, as_version=4).cells[0].source == "mine"
