"""Build the student edition (student/) from the notebooks, which hold the solutions.

Usage: python tools/make_student.py   (make student runs it, then executes and saves the result)

Solutions are marked as nbgrader and otter-grader mark them:
- in code, a block between ``# BEGIN SOLUTION`` and ``# END SOLUTION`` becomes
  ``raise NotImplementedError("your code here")`` (at the block's indentation);
- a line ending in ``# SOLUTION`` keeps its left-hand side and gets ``...``: ``answer = ...``;
- in Markdown, a block between ``<!-- BEGIN SOLUTION -->`` and ``<!-- END SOLUTION -->``
  becomes "*Your answer here.*".
Everything else is copied unchanged, with the cells' ids, by nbconvert's NotebookExporter.
"""

import re
import sys
from pathlib import Path

import nbformat
from nbconvert.exporters import NotebookExporter
from nbconvert.preprocessors import Preprocessor

ROOT = Path(__file__).resolve().parents[1]
CODE_BLOCK = re.compile(r"^([ \t]*)# BEGIN SOLUTION[^\n]*\n.*?^[ \t]*# END SOLUTION[^\n]*$", re.M | re.S)
CODE_LINE = re.compile(r"^([ \t]*[^\n#]*?=)[^\n]*#\s*SOLUTION[ \t]*$", re.M)
TEXT_BLOCK = re.compile(r"<!-- BEGIN SOLUTION -->.*?<!-- END SOLUTION -->", re.S)


class ClearSolutions(Preprocessor):
    """Replace every marked solution by what a student starts from; clear outputs (they are re-made by running)."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code":
            source = CODE_BLOCK.sub(lambda m: f'{m.group(1)}raise NotImplementedError("your code here")', cell.source)
            cell.source = CODE_LINE.sub(lambda m: f"{m.group(1)} ...", source)
            cell.outputs, cell.execution_count = [], None
        elif cell.cell_type == "markdown":
            cell.source = TEXT_BLOCK.sub("*Your answer here.*", cell.source)
        if "SOLUTION" in cell.source:
            raise ValueError(f"cell {cell.get('id')}: a solution marker that is not a whole block or line")
        return cell, resources


def student_edition(path):
    """The student edition of one notebook, as nbformat text (outputs cleared)."""
    exporter = NotebookExporter(preprocessors=[ClearSolutions])
    text, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4))
    nb = nbformat.reads(text, as_version=4)
    nb.metadata.pop("widgets", None)
    return nb


def main():
    out = ROOT / "student"
    out.mkdir(exist_ok=True)
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nbformat.write(student_edition(path), out / path.name)
        print(f"student/{path.name}: solutions cleared", flush=True)


if __name__ == "__main__":
    sys.exit(main())
