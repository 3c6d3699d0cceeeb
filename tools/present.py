"""An explorer alone, for a lecture screen: Voilà serves it without the notebook's lesson and exercises.

Usage: python tools/present.py NOTEBOOK [--build-only] [voila options...]   (or: make present NOTEBOOK=04)

NOTEBOOK is a notebook of notebooks/ (the solutions: every cell runs), by its number or its name. This
writes present/<notebook>.ipynb: the notebook's title, then every code cell before its live explorer,
each run unseen (%%capture), then the explorer itself. Then it starts Voilà on 127.0.0.1 with a token
(the URL it prints holds it), unless --build-only.
"""

import secrets
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "present"
WIDGET = "application/vnd.jupyter.widget-view+json"


def find(name):
    """notebooks/<name>*.ipynb, by number ("04") or name ("04_gd_vs_momentum")."""
    found = sorted((ROOT / "notebooks").glob(f"{Path(name).stem}*.ipynb"))
    if len(found) != 1:
        choices = ", ".join(p.stem for p in sorted((ROOT / "notebooks").glob("*.ipynb")))
        raise SystemExit(f"NOTEBOOK must name one notebook of notebooks/ ({choices}), got {name!r}")
    return found[0]


def lecture(nb):
    """The title, the code cells before the live explorer (output captured), and the explorer's cell, whose last
    line shows it."""
    live = [i for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
            and any(WIDGET in output.get("data", {}) for output in cell.outputs)]
    if not live:
        raise SystemExit("this notebook has no explorer to present (none of its saved outputs is a widget)")
    title = nb.cells[0].source.splitlines()[0]
    cells = [nbformat.v4.new_markdown_cell(f"{title}\n\nThe notebook's explorer, for a lecture screen: the lesson "
                                           "and the exercises are in the notebook.")]
    cells += [nbformat.v4.new_code_cell("%%capture\n" + cell.source) for cell in nb.cells[:live[-1]]
              if cell.cell_type == "code"]
    cells.append(nbformat.v4.new_code_cell(nb.cells[live[-1]].source.strip().splitlines()[-1]))
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": nb.metadata.kernelspec})


def build(name):
    source = find(name)
    OUT.mkdir(exist_ok=True)
    target = OUT / source.name
    nbformat.write(lecture(nbformat.read(source, as_version=4)), target)
    return target


def main(args):
    if not args:
        raise SystemExit(__doc__)
    target = build(args[0])
    print(f"wrote {target.relative_to(ROOT)}", flush=True)
    if "--build-only" in args:
        return
    from voila.app import main as voila

    # Voilà runs the notebook from the course's folder, where helpers.py is importable.
    options = dict(arg.removeprefix("--").split("=", 1) for arg in args[1:] if arg.startswith("--") and "=" in arg)
    token = options.get("Voila.token") or secrets.token_hex(24)
    port = options.get("port") or options.get("Voila.port") or "8866"
    # Voilà prints its URL with the token hidden: the whole URL, here.
    print(f"open http://127.0.0.1:{port}/?token={token} (this computer only; Ctrl+C stops it)", flush=True)
    sys.argv = ["voila", str(target), "--Voila.ip=127.0.0.1", "--no-browser", *args[1:]]
    if "Voila.token" not in options:
        sys.argv.append(f"--Voila.token={token}")
    voila()


if __name__ == "__main__":
    main(sys.argv[1:])
