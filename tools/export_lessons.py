"""Generate coursekit/lessons/*.py from the notebooks' ``#@save`` cells (d2l's convention).

Usage: python tools/export_lessons.py           write the files (make notebooks runs it)
       python tools/export_lessons.py --check   fail if a file is not what the notebooks say

A lesson function lives in a cell of the notebook that teaches it; a later notebook,
the explorers, the tests and the tools use this generated copy, never a second
hand-written one.
"""

import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
MARK = "#@save"
SOLUTION_MARKER = re.compile(r"[ \t]*# (BEGIN|END) SOLUTION")
#: An import that opens a #@save cell: it goes to the top of the module.
IMPORT = re.compile(r"(?:from (\S+) import .+|import (\S+)(?: as \S+)?)")
#: notebook -> the module its #@save cells become
LESSONS = {
    "01_computing_graph": "graph",
    "02_backprop": "backprop",
    "03_training_loop": "training",
    "04_gd_vs_momentum": "momentum",
    "05_conv_kernels": "conv",
}


def saved_cells(path):
    """The code of a notebook's cells whose first line is the mark, without that line and without the
    lines that mark a solution (the library holds the solutions, as the solution edition does)."""
    nb = nbformat.read(path, as_version=4)
    return ["\n".join(line for line in c.source.partition("\n")[2].strip().splitlines()
                      if not SOLUTION_MARKER.fullmatch(line)) for c in nb.cells
            if c.cell_type == "code" and c.source.partition("\n")[0].strip() == MARK]


def render(notebook):
    """The text of the module generated from ``notebooks/<notebook>.ipynb``."""
    return module_text(notebook, saved_cells(ROOT / "notebooks" / f"{notebook}.ipynb"))


def module_text(notebook, saved):
    """A module of the saved cells' code: numpy, the standard library's imports that open a cell (moved to the
    top), then each cell."""
    cells, imports = [], set()
    for source in saved:
        lines = source.splitlines()
        while lines and IMPORT.fullmatch(lines[0]):
            line = lines.pop(0)
            if next(filter(None, IMPORT.fullmatch(line).groups())).split(".")[0] not in sys.stdlib_module_names:
                raise SystemExit(f"{notebook}.ipynb: a {MARK} cell imports {line!r}: lesson code imports only numpy "
                                 "and the standard library")
            imports.add(line)
        cells.append("\n".join(lines).strip())
    if not cells:
        raise SystemExit(f"{notebook}.ipynb has no {MARK} cell")
    head = (f'"""Generated from notebooks/{notebook}.ipynb by tools/export_lessons.py.\n\n'
            f'Edit the notebook\'s {MARK} cells, not this file.\n"""\n\n')
    return head + "".join(f"{line}\n" for line in sorted(imports)) + "\n" * bool(imports) + \
        "import numpy as np\n" + "".join(f"\n\n{source}\n" for source in cells)


def main(args):
    notebooks = sorted((ROOT / "notebooks").glob("*.ipynb"))
    unlisted = [p.name for p in notebooks if p.stem not in LESSONS and saved_cells(p)]
    if unlisted:
        raise SystemExit(f"{', '.join(unlisted)}: {MARK} cells, but no module in LESSONS to export them to")
    stale = []
    for notebook, module in LESSONS.items():
        path = ROOT / "coursekit" / "lessons" / f"{module}.py"
        text = render(notebook)
        if path.exists() and path.read_text(encoding="utf-8") == text:
            continue
        stale.append(path.relative_to(ROOT))
        if "--check" not in args:
            path.write_text(text, encoding="utf-8")
    if stale and "--check" in args:
        raise SystemExit(f"not generated from the notebooks' current cells: {', '.join(map(str, stale))}; "
                         "run python tools/export_lessons.py")
    print(f"lessons: {len(stale)} file(s) {'stale' if '--check' in args else 'written'} of {len(LESSONS)}")


if __name__ == "__main__":
    main(sys.argv[1:])
