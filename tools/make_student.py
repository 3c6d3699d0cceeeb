"""Build the student edition (student/) from the notebooks, which hold the solutions; and keep the
notebooks' nbgrader metadata current, so that nbgrader releases the same student edition.

Usage: python tools/make_student.py   (make student runs it, then executes and saves the result)

The notebooks are written in nbgrader's grammar, and this tool clears them the way nbgrader's
``generate_assignment`` does (with the course's nbgrader_config.py, which sets the same stubs):
- a region from a line holding ``BEGIN SOLUTION`` to one holding ``END SOLUTION`` becomes the stub,
  at the first line's indentation: ``# YOUR CODE HERE`` in code, "*Your answer here.*" in Markdown;
  a number exercise's cell sets ``answer = ...`` above its region, so the student starts from that;
- a region from ``BEGIN HIDDEN TESTS`` to ``END HIDDEN TESTS`` is removed: the expected values of
  the number exercises (``h.check_answer``), every exercise's slips (``h.check_slips``) and each
  homework's grade (``h.passed``).
Two differences make the self-study edition: a cell whose hidden tests hold a check_answer becomes
that check alone, its expected value sealed (``h.sealed("...")``, the value that running the
solutions computes), so that the student is checked on the spot without seeing how the value is
computed (the graded release shows ``h.answered`` instead, and carries no answer at all); and a
cell that is all hidden tests (slips, a homework's grade) is dropped. Cells keep their ids (nbconvert's
NotebookExporter); outputs are cleared, then made again by running the result.

The nbgrader metadata: a cell with a solution region is a solution cell (Markdown ones are graded
by hand, 0 points: the code check grades the work); a cell with a check or hidden tests is a locked
grade cell, with the points that :func:`points` counts (a homework's own check is a locked read-only
cell: its grade is ``h.passed`` in the hidden tests below it); its grade id is the cell's id.
"""

import ast
import hashlib
import itertools
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import Preprocessor

from coursekit.exercises import STUB, TEXT_STUB
from coursekit.sealing import Sealed

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ("BEGIN SOLUTION", "END SOLUTION")
HIDDEN = ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS")
PROBE_NOTE = "# the expected value of the check above, sealed"
PROBE = "from coursekit.sealing import seal\n\nprint(seal({}))  " + PROBE_NOTE
CHECKS = ("check_function", "answered", "check_slips", "passed")  # a cell that calls one is locked
GRADED = ("check_function", "answered", "passed")  # the calls that carry points


def regions(source, markers, stub=None):
    """(source with each marked region replaced by ``stub`` lines at its indentation, or removed when
    ``stub`` is None; the regions' own lines), as nbgrader's ClearSolutions and ClearHiddenTests do."""
    begin, end = markers
    kept, inside, current = [], [], None
    for line in source.split("\n"):
        if begin in line:
            if current is not None:
                raise ValueError(f"source has a nested {begin!r}:\n{source}")
            current = []
            if stub is not None:
                kept += [re.match(r"\s*", line).group(0) + s for s in stub.split("\n")]
        elif end in line:
            if current is None:
                raise ValueError(f"source has an {end!r} without its {begin!r}:\n{source}")
            inside.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
        else:
            kept.append(line)
    if current is not None:
        raise ValueError(f"source has a {begin!r} without its {end!r}:\n{source}")
    return "\n".join(kept), inside


def check_answer_call(source):
    """(the hidden tests' source, their ``h.check_answer(label, answer, expected, ...)`` call), or None. A
    number exercise's hidden tests compute its expected value and end with its one check."""
    hidden = regions(source, HIDDEN)[1]
    if len(hidden) != 1 or "check_answer" not in hidden[0]:
        return None
    tree = ast.parse(hidden[0])
    body = tree.body
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "attr", None) == "check_answer"]
    if len(calls) != 1 or calls[0] is not getattr(body[-1], "value", None) or len(calls[0].args) != 3:
        raise ValueError(f"source's hidden tests must end with their one h.check_answer(label, answer, expected):"
                         f"\n{source}")
    return hidden[0], calls[0]


def sealed_answers(path):
    """{cell id: sealed expected value} for the number exercises of a solution notebook, by running it
    with a cell after each check that prints its expected value, sealed."""
    nb = nbformat.read(path, as_version=4)
    for index in reversed(range(len(nb.cells))):
        found = nb.cells[index].cell_type == "code" and check_answer_call(nb.cells[index].source)
        if found:
            hidden, call = found
            nb.cells.insert(index + 1, nbformat.v4.new_code_cell(PROBE.format(ast.get_source_segment(hidden,
                                                                                                     call.args[2]))))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    tokens = {check.id: "".join(o.text for o in probe.outputs if o.get("name") == "stdout").strip()
              for check, probe in itertools.pairwise(nb.cells) if probe.source.endswith(PROBE_NOTE)}
    for token in tokens.values():
        Sealed(token)  # raises ValueError unless it is one
    return tokens


def sealed_check(source, token):
    """A number exercise's check alone, its expected value replaced by the sealed one."""
    hidden, call = check_answer_call(source)
    label, answer, _ = (ast.get_source_segment(hidden, arg) for arg in call.args)
    if any(kw.arg is None for kw in call.keywords):
        raise ValueError(f"source must name every keyword of its check:\n{source}")
    keywords = [f"{kw.arg}={ast.get_source_segment(hidden, kw.value)}" for kw in call.keywords if kw.arg != "slips"]
    indent = " " * len("h.check_answer(")
    return f"h.check_answer({label}, {answer},\n{indent}h.sealed(\"{token}\")" + "".join(
        f",\n{indent}{keyword}" for keyword in keywords) + ")"


def released(cell):
    """The cell's source as nbgrader releases it: solutions replaced by the stubs, hidden tests removed."""
    stub = STUB if cell.cell_type == "code" else TEXT_STUB
    return regions(regions(cell.source, SOLUTION, stub)[0], HIDDEN)[0]


class ClearSolutions(Preprocessor):
    """The self-study student edition of each cell (see the module's docstring); ``resources["sealed"]``
    maps the number exercises' cell ids to their sealed expected values."""

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if released(c).strip() or not c.source.strip()]  # slip cells go
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and check_answer_call(cell.source):
            if cell.id not in resources["sealed"]:
                raise ValueError(f"sealed must hold the expected value of cell {cell.id}: run make student")
            cell.source = sealed_check(cell.source, resources["sealed"][cell.id])
        else:
            cell.source = released(cell)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("nbgrader", None)
        if "SOLUTION" in cell.source or "HIDDEN TESTS" in cell.source or "slips=" in cell.source:
            raise ValueError(f"cell {cell.get('id')}: a marker or slips left after clearing")
        return cell, resources


def student_edition(path, sealed):
    """The student edition of one notebook (outputs cleared), with the sealed expected values of its
    number exercises (cell id -> token, from :func:`sealed_answers`)."""
    exporter = NotebookExporter(preprocessors=[ClearSolutions])
    text, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4), resources={"sealed": sealed})
    nb = nbformat.reads(text, as_version=4)
    nb.metadata.pop("widgets", None)
    return nb


def points(cell):
    """A cell's points: 2 per homework grade (``h.passed``, or ``h.answered`` of a homework), 1 per other
    exercise's check (``h.check_function`` without ``reference=``, ``h.answered``); a homework's own check
    (it never fails, see coursekit.exercises) and a slip cell have none."""
    calls = [n for n in ast.walk(ast.parse(cell.source)) if isinstance(n, ast.Call) and getattr(n.func, "attr", None)
             in GRADED and getattr(n.func.value, "id", None) == "h"]
    graded = [c for c in calls if not any(kw.arg == "reference" for kw in c.keywords)]
    if not all(c.args and isinstance(c.args[0], ast.Constant) and isinstance(c.args[0].value, str) for c in graded):
        raise ValueError(f"a check's label must be a plain string:\n{cell.source}")
    return sum(2 if c.args[0].value.startswith("Homework") else 1 for c in graded)


def grading_metadata(cell):
    """nbgrader's metadata for a cell of the solution edition (schema 3), or None for a plain cell."""
    meta = {"grade_id": cell.id, "schema_version": 3}
    if SOLUTION[0] in cell.source:
        graded = cell.cell_type == "markdown"  # nbgrader grades a written answer by hand
        return meta | {"grade": graded, "locked": False, "solution": True} | ({"points": 0} if graded else {})
    if cell.cell_type == "code" and (HIDDEN[0] in cell.source or re.search(rf"\bh\.({'|'.join(CHECKS)})\(",
                                                                            cell.source)):
        score = points(cell)
        if score == 0 and HIDDEN[0] not in cell.source:  # a homework's check: read-only, its grade is below
            return meta | {"grade": False, "locked": True, "solution": False}
        return meta | {"grade": True, "locked": True, "points": score, "solution": False}
    return None


def with_grading_metadata(nb):
    """The notebook with every cell's nbgrader metadata set (or removed) by :func:`grading_metadata`."""
    for cell in nb.cells:
        meta = grading_metadata(cell)
        if meta is None:
            cell.metadata.pop("nbgrader", None)
        else:
            cell.metadata["nbgrader"] = meta
    return nb


def _cells(nb):
    """A fingerprint of a notebook's cells (kinds and sources), as make student writes them: 16 hex digits,
    too short to be taken for a widget id."""
    return hashlib.sha256(json.dumps([(c.cell_type, c.source) for c in nb.cells]).encode()).hexdigest()[:16]


def holds_own_work(path, edition):
    """Whether the student notebook at ``path`` holds edits of its own: its cells differ from the ``edition``
    about to be written, from the cells make student last wrote there (their fingerprint in its metadata), and
    from git's committed copy (a file with neither counts as edited)."""
    if not path.exists():
        return False
    saved = nbformat.read(path, as_version=4)
    mine = _cells(saved)
    if mine in (_cells(edition), saved.metadata.get("student_edition", {}).get("cells")):
        return False
    committed = subprocess.run(["git", "show", f"HEAD:student/{path.name}"], cwd=ROOT, capture_output=True, text=True)
    return committed.returncode != 0 or mine != _cells(nbformat.reads(committed.stdout, as_version=4))


def main(argv=()):
    """Write the student edition; ``--force`` overwrites student notebooks that hold edits of their own."""
    force = "--force" in argv
    out = ROOT / "student"
    out.mkdir(exist_ok=True)
    kept = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        text = path.read_text(encoding="utf-8")
        current = nbformat.writes(with_grading_metadata(nbformat.reads(text, as_version=4))) + "\n"
        if current != text:
            path.write_text(current, encoding="utf-8")
            print(f"notebooks/{path.name}: nbgrader metadata updated", flush=True)
        edition = student_edition(path, sealed_answers(path))
        if not force and holds_own_work(out / path.name, edition):
            kept.append(path.name)
            continue
        edition.metadata["student_edition"] = {"cells": _cells(edition)}  # what make student wrote, to tell edits
        nbformat.write(edition, out / path.name)
        print(f"student/{path.name}: solutions cleared", flush=True)
    for page in sorted((ROOT / "notebooks").glob("*.md")):  # pages with no solution in them, as they are
        (out / page.name).write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    if kept:
        print(f"Not overwritten, as they hold edits of their own (they differ from the student edition and from git's "
              f"copy): {', '.join(f'student/{name}' for name in kept)}. To keep your work, copy those files elsewhere "
              "(or commit them); then `make student FORCE=1` (python tools/make_student.py --force) overwrites them.",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
