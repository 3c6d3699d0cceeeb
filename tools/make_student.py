"""Build the student edition (student/) from the notebooks, which hold the solutions.

Usage: python tools/make_student.py   (make student runs it, then executes and saves the result)

Solutions are marked as nbgrader and otter-grader mark them:
- in code, a block between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` becomes
  ``raise NotImplementedError("your code here")`` (at the block's indentation);
- a line ending in ``# SOLUTION`` keeps its left-hand side and gets ``...``: ``answer = ...``;
- in Markdown, a block between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->``
  becomes "*Your answer here.*";
- a number exercise's check, ``h.check_answer(label, answer, EXPECTED, ...)``, would give the answer
  away by showing how EXPECTED is computed: its cell becomes the call alone, with EXPECTED sealed,
  ``h.sealed("...")``, the value that running the solutions computes;
- an exercise's slips (plausible wrong answers, which its check must reject) stay in the solution
  edition: the ``slips=...`` argument of every check is dropped, and so is every cell that starts
  with the line ``SLIP_CELL`` (where slips too long for the call are written).
Everything else is copied unchanged, with the cells' ids, by nbconvert's NotebookExporter.
"""

import ast
import itertools
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import Preprocessor

from coursekit.sealing import Sealed

ROOT = Path(__file__).resolve().parents[1]
CODE_BLOCK = re.compile(r"^([ \t]*)# BEGIN SOLUTION[^\n]*\n.*?^[ \t]*# END SOLUTION[^\n]*$", re.M | re.S)
CODE_LINE = re.compile(r"^([ \t]*[^\n#]*?=)[^\n]*#\s*SOLUTION[ \t]*$", re.M)
TEXT_BLOCK = re.compile(r"<!-- BEGIN SOLUTION -->.*?<!-- END SOLUTION -->", re.S)
SLIP_CELL = "# Slips: plausible wrong answers (the solution edition only)"
PROBE_NOTE = "# the expected value of the check above, sealed"
PROBE = "from coursekit.sealing import seal\n\nprint(seal({}))  " + PROBE_NOTE


def check_answer_call(source):
    """The ``h.check_answer(label, answer, expected, ...)`` call that a cell ends with, or None. A
    check cell's other statements only compute ``expected`` (the student edition drops them), so a
    check must be the cell's last statement and its only check."""
    try:
        statements = ast.parse(source).body
    except SyntaxError:  # a cell with IPython magics: not a check
        return None
    checks = [s.value for s in statements if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
              and isinstance(s.value.func, ast.Attribute) and s.value.func.attr == "check_answer"
              and isinstance(s.value.func.value, ast.Name) and s.value.func.value.id == "h"]
    if not checks:
        return None
    if len(checks) > 1 or checks[0] is not getattr(statements[-1], "value", None) or len(checks[0].args) != 3:
        raise ValueError(f"source must end with its one h.check_answer(label, answer, expected, ...):\n{source}")
    return checks[0]


def sealed_answers(path):
    """{cell id: sealed expected value} for the number exercises of a solution notebook, by running it
    with a cell after each check that prints its expected value, sealed."""
    nb = nbformat.read(path, as_version=4)
    for index in reversed(range(len(nb.cells))):
        call = nb.cells[index].cell_type == "code" and check_answer_call(nb.cells[index].source)
        if call:
            expected = ast.get_source_segment(nb.cells[index].source, call.args[2])
            nb.cells.insert(index + 1, nbformat.v4.new_code_cell(PROBE.format(expected)))
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    tokens = {check.id: "".join(o.text for o in probe.outputs if o.get("name") == "stdout").strip()
              for check, probe in itertools.pairwise(nb.cells) if probe.source.endswith(PROBE_NOTE)}
    for token in tokens.values():
        Sealed(token)  # raises ValueError unless it is one
    return tokens


def sealed_check(source, token):
    """A check cell's call alone, its expected value replaced by the sealed one."""
    call = check_answer_call(source)
    label, answer, _ = (ast.get_source_segment(source, arg) for arg in call.args)
    if any(kw.arg is None for kw in call.keywords):
        raise ValueError(f"source must name every keyword of its check:\n{source}")
    keywords = [f"{kw.arg}={ast.get_source_segment(source, kw.value)}" for kw in call.keywords if kw.arg != "slips"]
    indent = " " * len("h.check_answer(")
    return f"h.check_answer({label}, {answer},\n{indent}h.sealed(\"{token}\")" + "".join(
        f",\n{indent}{keyword}" for keyword in keywords) + ")"


def without_slips(source):
    """The source without the ``slips=...`` argument of its ``h.check_function`` calls."""
    try:
        tree = ast.parse(source)
    except SyntaxError:  # a cell with IPython magics: no check
        return source
    lines = source.splitlines(keepends=True)
    starts = [0, *itertools.accumulate(map(len, lines))]

    def offset(line, col):  # ast counts columns in UTF-8 bytes
        return starts[line - 1] + len(lines[line - 1].encode()[:col].decode())

    cuts = []
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == "check_function":
            arguments = [*call.args, *call.keywords]
            for before, kw in itertools.pairwise(arguments):
                if isinstance(kw, ast.keyword) and kw.arg == "slips":  # from the end of the argument before it
                    cuts.append((offset(before.end_lineno, before.end_col_offset),
                                 offset(kw.end_lineno, kw.end_col_offset)))
    for start, end in sorted(cuts, reverse=True):
        source = source[:start] + source[end:]
    return source


class ClearSolutions(Preprocessor):
    """Replace every marked solution by what a student starts from, and every number exercise's
    expected value by its sealed one (``resources["sealed"]``: cell id -> token); clear outputs
    (they are re-made by running); drop the slips."""

    def preprocess(self, nb, resources):
        nb.cells = [c for c in nb.cells if not (c.cell_type == "code" and c.source.startswith(SLIP_CELL))]
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and check_answer_call(cell.source):
            if cell.id not in resources["sealed"]:
                raise ValueError(f"sealed must hold the expected value of cell {cell.id}: run make student")
            cell.source = sealed_check(cell.source, resources["sealed"][cell.id])
        if cell.cell_type == "code":
            source = CODE_BLOCK.sub(lambda m: f'{m.group(1)}raise NotImplementedError("your code here")',
                                    without_slips(cell.source))
            cell.source = CODE_LINE.sub(lambda m: f"{m.group(1)} ...", source)
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = TEXT_BLOCK.sub("*Your answer here.*", cell.source)
        if "SOLUTION" in cell.source or "slips=" in cell.source:
            raise ValueError(f"cell {cell.get('id')}: a solution marker that is not a whole block or line, or slips "
                             "that are not an argument of a check")
        return cell, resources


def student_edition(path, sealed):
    """The student edition of one notebook (outputs cleared), with the sealed expected values of its
    number exercises (cell id -> token, from :func:`sealed_answers`)."""
    exporter = NotebookExporter(preprocessors=[ClearSolutions])
    text, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4), resources={"sealed": sealed})
    nb = nbformat.reads(text, as_version=4)
    nb.metadata.pop("widgets", None)
    return nb


def main():
    out = ROOT / "student"
    out.mkdir(exist_ok=True)
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nbformat.write(student_edition(path, sealed_answers(path)), out / path.name)
        print(f"student/{path.name}: solutions cleared", flush=True)


if __name__ == "__main__":
    sys.exit(main())
