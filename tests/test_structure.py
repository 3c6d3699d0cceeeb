"""The bundle's structure: lessons in the notebooks, one generated library copy, a thin helpers.py,
small modules, no dead code, one way to import."""

import ast
import re
import runpy
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
MODULES = [ROOT / "helpers.py", *sorted((ROOT / "coursekit").rglob("*.py"))]


def code_cells(path):
    return [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]


def test_generated_lessons_are_current():
    result = subprocess.run([sys.executable, str(ROOT / "tools/export_lessons.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_lesson_cells_are_bare_and_short():
    for path in NOTEBOOKS:
        for source in code_cells(path):
            assert "show_source" not in source, f"{path.name}: a listing of library code instead of the lesson"
            assert len(source.splitlines()) <= 40, f"{path.name}: a cell of {len(source.splitlines())} lines"
            if source.partition("\n")[0].strip() == "#@save":
                for banned in (r"raise ValueError", r"isinstance\(", r"h\.", r"errstate", r"check="):
                    assert not re.search(banned, source), f"{path.name}: a #@save cell holds {banned!r}"


def test_notebooks_import_helpers_only():
    for path in NOTEBOOKS:
        for source in code_cells(path):
            imports = re.findall(r"^\s*(?:import|from) (\w+)", source, flags=re.M)
            assert set(imports) - sys.stdlib_module_names <= {"helpers", "numpy", "matplotlib"}, (path.name, imports)


def test_helpers_is_thin_and_modules_are_small():
    assert len((ROOT / "helpers.py").read_text().splitlines()) <= 300
    for path in MODULES:
        assert len(path.read_text().splitlines()) <= 400, path.name


#: Each module's floor: a module imports only from floors below its own.
FLOORS = {
    "coursekit.checks": 0, "coursekit.png": 0, "coursekit.figures": 0, "coursekit.graph_drawing": 0,
    "coursekit.lessons.graph": 0,
    "coursekit.lessons.backprop": 0, "coursekit.lessons.training": 0, "coursekit.lessons.momentum": 0,
    "coursekit.lessons.conv": 0,
    "coursekit.data": 1, "coursekit.sealing": 1, "coursekit.comparison": 1, "coursekit.quadratic": 1,
    "coursekit.explorer": 1,
    "coursekit.exercises": 2, "coursekit.training": 2,
    "coursekit.graph_explorer": 3, "coursekit.momentum_explorer": 3, "coursekit.conv_explorer": 3,
    "coursekit.training_explorer": 3, "helpers": 4,
}


def module_name(path):
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def test_imports_run_one_way():
    """helpers -> explorers -> what they run -> checks: no import goes sideways or up."""
    for path in MODULES:
        name = module_name(path)
        if name.endswith("__init__"):
            continue
        tree = ast.parse(path.read_text())
        imported = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        imported |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        for other in imported & set(FLOORS):
            assert FLOORS[other] < FLOORS[name], f"{name} (floor {FLOORS[name]}) imports {other} ({FLOORS[other]})"
    assert {module_name(p) for p in MODULES if not p.name == "__init__.py"} == set(FLOORS)


def test_every_notebook_has_one_explorer_entry():
    import helpers

    assert sorted(e.notebook for e in helpers.EXPLORERS) == [p.stem for p in NOTEBOOKS]


def test_no_path_edits_anywhere():
    files = [*MODULES, *sorted((ROOT / "tools").glob("*.py")), *sorted((ROOT / "tests").glob("*.py")),
             ROOT / "Makefile", *sorted((ROOT / "binder").iterdir()), *sorted((ROOT / ".ci").iterdir())]
    texts = {f: f.read_text() for f in files} | {p: "\n".join(code_cells(p)) for p in NOTEBOOKS}
    for path, text in texts.items():
        if path.name == "test_structure.py":
            continue
        assert "sys.path" not in text and "PYTHONPATH" not in text, f"{path.name} edits the import path"


def public_names(path):
    """Module-level names a module defines (not imports), except private ones and dunders."""
    tree = ast.parse(path.read_text())
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return {n for n in names if not n.startswith("_")}


def used_names(source):
    """The names code reads (variables and attributes); imports and __all__'s strings are not uses."""
    lines = [ln for ln in source.splitlines() if not ln.lstrip().startswith(("%", "!"))]  # IPython magics
    tree = ast.parse("\n".join(lines))
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)} | {
        n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute)}


USES = set().union(
    *(used_names(p.read_text()) for p in [*MODULES, *(ROOT / "tests").glob("*.py"), *(ROOT / "tools").glob("*.py")]
      if p.name != "test_structure.py"),
    *(used_names(source) for p in NOTEBOOKS for source in code_cells(p)),
)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_public_name_is_used(path):
    """Read somewhere (a notebook, a test, a tool, a module): a name only defined, imported or listed is dead."""
    unused = sorted(public_names(path) - USES)
    assert not unused, f"{path.name}: public names nothing uses: {unused}"
    if path.parent.name == "lessons" and path.stem != "__init__":  # a generated copy: someone must import it
        importers = [p for p in [*MODULES, *(ROOT / "tests").glob("*.py"), *(ROOT / "tools").glob("*.py")]
                     if re.search(rf"lessons\.{path.stem}\b", p.read_text()) and p.name != "test_structure.py"]
        assert importers, f"nothing imports coursekit.lessons.{path.stem}"


def test_a_lesson_cells_imports_go_to_the_top_of_its_module():
    export = runpy.run_path(str(ROOT / "tools/export_lessons.py"))
    text = export["module_text"]("04_x", ["from dataclasses import dataclass\nimport math as m\n\nx = 1", "y = 2"])
    assert text.endswith('"""\n\nfrom dataclasses import dataclass\nimport math as m\n\nimport numpy as np\n\n\n'
                         'x = 1\n\n\ny = 2\n')
    assert export["module_text"]("04_x", ["y = 2"]).endswith('"""\n\nimport numpy as np\n\n\ny = 2\n')
    with pytest.raises(SystemExit, match="04_x.ipynb: a #@save cell imports 'import scipy'"):
        export["module_text"]("04_x", ["import scipy\nx = 1"])
    with pytest.raises(SystemExit, match="04_x.ipynb has no #@save cell"):
        export["module_text"]("04_x", [])
