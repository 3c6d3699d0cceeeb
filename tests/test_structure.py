"""The bundle's structure: lessons in the notebooks, one generated library copy, a thin helpers.py,
small modules, no dead code, one way to import."""

import ast
import re
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
            if source.startswith("#@save"):
                for banned in (r"raise ValueError", r"isinstance\(", r"h\.", r"errstate", r"check="):
                    assert not re.search(banned, source), f"{path.name}: a #@save cell holds {banned!r}"


def test_notebooks_import_helpers_only():
    for path in NOTEBOOKS:
        for source in code_cells(path):
            imports = re.findall(r"^\s*(?:import|from) (\w+)", source, flags=re.M)
            assert set(imports) <= {"helpers", "numpy", "matplotlib", "time"}, (path.name, imports)


def test_helpers_is_thin_and_modules_are_small():
    assert len((ROOT / "helpers.py").read_text().splitlines()) <= 300
    for path in MODULES:
        assert len(path.read_text().splitlines()) <= 400, path.name


def test_imports_run_one_way():
    """The package never imports helpers, and lessons import nothing of the course."""
    for path in MODULES[1:]:
        tree = ast.parse(path.read_text())
        names = [n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
        names += [a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names]
        assert "helpers" not in names, path
        if "lessons" in path.parts:
            assert all(not name.startswith(("coursekit", "helpers")) for name in names), path


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


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_public_name_is_used(path):
    """Used by a notebook, a test, a tool or another module: anything else is dead code."""
    users = [p for p in [*MODULES, *(ROOT / "tests").glob("*.py"), *(ROOT / "tools").glob("*.py")]
             if p != path and p.name != "test_structure.py"]
    text = "\n".join(p.read_text() for p in users) + "\n".join("\n".join(code_cells(p)) for p in NOTEBOOKS)
    if path.parent.name == "lessons" and path.stem != "__init__":  # a generated copy: someone must import it
        assert re.search(rf"lessons\.{path.stem}\b", text), f"nothing imports coursekit.lessons.{path.stem}"
    unused = sorted(name for name in public_names(path) if not re.search(rf"\b{name}\b", text))
    assert not unused, f"{path.name}: public names nothing uses: {unused}"
