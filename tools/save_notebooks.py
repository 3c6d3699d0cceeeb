"""Re-execute notebooks and save them with their outputs, deterministically.

Usage: python tools/save_notebooks.py notebooks/*.ipynb   (or: make notebooks)

Each notebook runs top to bottom in a fresh kernel of this interpreter, in its
own folder, with per-cell timings off. The random widget model ids are then
renumbered in order of appearance, so running this twice leaves git diff empty.
"""

import json
import re
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbconvert.preprocessors import CoalesceStreamsPreprocessor

ROOT = Path(__file__).resolve().parents[1]
MODEL_ID = re.compile(r"[0-9a-f]{32}")
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def renumber_widget_ids(nb_json):
    """Replace the random widget model ids by counters, in a deterministic order.

    The order is a depth-first walk from the widgets displayed in cell outputs
    through the references in their state; the state is then sorted by new id.
    """
    nb = json.loads(nb_json)
    state = nb.get("metadata", {}).get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    if not state:
        return nb_json
    ids = {}

    def visit(model_id):
        if model_id in ids or model_id not in state:
            return
        ids[model_id] = f"{len(ids) + 1:032x}"
        for ref in MODEL_ID.findall(json.dumps(state[model_id], sort_keys=True)):
            visit(ref)

    for cell in nb["cells"]:
        for ref in MODEL_ID.findall(json.dumps(cell.get("outputs", []), sort_keys=True)):
            visit(ref)
    canonical = {}

    def content(model_id):
        """A model's state with every reference replaced by the content it refers to: no random id in it."""
        if model_id not in canonical:
            canonical[model_id] = ""  # a reference back to a model being expanded stays empty
            text = json.dumps(state[model_id], sort_keys=True)
            canonical[model_id] = MODEL_ID.sub(lambda m: content(m.group(0)) if m.group(0) in state else "", text)
        return canonical[model_id]

    for model_id in sorted(state, key=content):
        visit(model_id)  # anything not reachable from an output, in an order its random ids do not decide
    text = MODEL_ID.sub(lambda m: ids.get(m.group(0), m.group(0)), nb_json)
    nb = json.loads(text)
    widgets = nb["metadata"]["widgets"][WIDGET_STATE]
    widgets["state"] = dict(sorted(widgets["state"].items()))
    return nbformat.writes(nbformat.from_dict(nb)) + "\n"


def execute(path):
    nb = nbformat.read(path, as_version=4)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    nb, _ = CoalesceStreamsPreprocessor().preprocess(nb, {})  # how a print is split depends on timing
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    text = nbformat.writes(nb)
    path.write_text(renumber_widget_ids(text), encoding="utf-8")


def main(paths):
    if not paths:
        sys.exit("usage: save_notebooks.py NOTEBOOK.ipynb ...")
    for name in paths:
        path = Path(name).resolve()
        print(f"executing {path.relative_to(ROOT)}", flush=True)
        execute(path)


if __name__ == "__main__":
    main(sys.argv[1:])
