"""What the student sees: every explorer's frame (blitted from cached backgrounds and pixel strips)
decodes to the same picture as a full redraw of the same state, and the PNG writer is a valid PNG."""

import ast
import hashlib
import io
import itertools
import json
import os
from pathlib import Path

import numpy as np
import pytest
from matplotlib.axis import Tick
from matplotlib.figure import Figure
from matplotlib.text import Text
from page import frame_over, img
from PIL import Image

import helpers as h
from coursekit.explorer import Explorer, main_slider, new_figure
from coursekit.png import rgba_png

ROOT = Path(__file__).resolve().parents[1]
#: The fraction of pixels that may differ from a full redraw: a few antialiased pixels where a dynamic artist crosses
#: one drawn into the background (at most 65 of 320 000 measured); a tick mark missing from a cached axis is 60-200.
ALLOWED = 0.0003


def decoded(png):
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))


def differing(explorer):
    return float(np.any(decoded(explorer.png) != explorer.full_redraw(), axis=2).mean())


@pytest.mark.parametrize("entry", h.EXPLORERS, ids=lambda e: e.notebook)
def test_blitted_frames_equal_a_full_redraw(entry):
    explorer, rng = entry.build(), np.random.default_rng(3)
    names = list(explorer.controls)
    settings = [{name: explorer.random_value(name, rng)} for name in names * 4]  # every control, each in turn
    settings += [{name: value} for name in names for value in explorer.choices(name)]  # every switch and end
    worst = 0.0
    for setting in settings:
        explorer.set(**setting)
        worst = max(worst, differing(explorer))
        explorer.update()  # back to the fast path's own canvas
    assert worst <= ALLOWED, f"{100 * worst:.3f}% of the pixels differ from a full redraw"


def _outside(box, frame):
    return box is not None and not (frame.contains(box.x0, box.y0) and frame.contains(box.x1, box.y1))


def texts_cut_off(explorer):
    """The texts that reach past the figure's edges (tick labels as drawn, titles, labels, notes), and the
    notes written on a panel (ax.text, ax.annotate) that reach past that panel's frame."""
    fig, renderer = explorer.fig, explorer.fig.canvas.get_renderer()
    boxes = [(f"{ax.get_label() or 'axes'} {axis.axis_name}-axis", axis.get_tightbbox(renderer), fig.bbox)
             for ax in fig.axes if ax.axison for axis in (ax.xaxis, ax.yaxis)]
    tick_labels = {id(label) for tick in fig.findobj(Tick) for label in (tick.label1, tick.label2)}
    shown = [text for text in fig.findobj(Text)
             if id(text) not in tick_labels and text.get_visible() and text.get_text().strip()]
    boxes += [(text.get_text(), text.get_window_extent(renderer), fig.bbox) for text in shown]
    boxes += [(text.get_text(), text.get_window_extent(renderer), ax.bbox)
              for ax in fig.axes for text in ax.texts if text in shown]
    return [name for name, box, frame in boxes if _outside(box, frame.padded(0.5))]


@pytest.mark.parametrize("entry", h.EXPLORERS, ids=lambda e: e.notebook)
def test_no_text_is_cut_off(entry):
    """Every combination of the controls' extremes and defaults (the longest headlines among them)."""
    explorer = entry.build()
    values = {name: list(dict.fromkeys([explorer.controls[name].value, *explorer.choices(name)]))
              for name in explorer.controls}
    cut = set()
    for combination in itertools.product(*values.values()):
        explorer.draw(explorer.compute(**dict(zip(values, combination, strict=True))))
        cut.update(texts_cut_off(explorer))
    assert not cut, f"cut off at the figure's or its panel's edge: {sorted(cut)}"


class TwoAxes(Explorer):
    """Two panels whose axes are cached under the same key: the cache must still tell them apart."""

    def __init__(self):
        fig = new_figure((4, 2), dpi=72)
        self.axes = fig.subplots(1, 2)
        (self.line,) = self.axes[0].plot([], [])
        super().__init__({"scale": main_slider([1, 2, 3], 1, "scale")}, fig)

    def compute(self, scale):
        return {"scale": scale}

    def draw(self, s):
        self.line.set_data([0, 1], [0, s["scale"]])
        self.axes[0].set_ylim(0, s["scale"])
        self.axes[1].set_xlim(0, 10 * s["scale"])

    def dynamic_artists(self):
        return [self.line]

    def cached_artists(self, s):
        return [(self.axes[0].yaxis, s["scale"]), (self.axes[1].xaxis, s["scale"])]

    def describe(self, s):
        return f"scale {s['scale']}"


def test_pixel_cache_keeps_artists_apart():
    explorer = TwoAxes()
    for scale in (2, 3, 1, 2):
        explorer.controls["scale"].value = scale
        assert differing(explorer) <= ALLOWED
        explorer.update()


def test_png_writer_decodes_to_the_same_pixels():
    rng = np.random.default_rng(0)
    for shape in ((1, 1, 4), (7, 13, 4), (40, 3, 3)):
        rgba = rng.integers(0, 256, size=shape, dtype=np.uint8)
        image = Image.open(io.BytesIO(rgba_png(rgba)))
        image.load()  # Pillow checks every chunk's CRC
        assert image.mode == {3: "RGB", 4: "RGBA"}[shape[2]] and image.size == (shape[1], shape[0])
        assert np.array_equal(np.asarray(image), rgba)


def test_explorer_png_is_the_canvas():
    explorer = h.EXPLORERS[4].build()
    canvas = np.asarray(explorer.fig.canvas.buffer_rgba())[..., :3]
    assert np.array_equal(decoded(explorer.png), canvas)
    assert isinstance(explorer.fig, Figure)


def saved_state(path):
    """The models of a saved notebook's widget state, by id."""
    return json.loads(path.read_text(encoding="utf-8"))["metadata"]["widgets"][
        "application/vnd.jupyter.widget-state+json"]["state"]


def saved_pictures(path):
    """The explorer pictures (HTML <img> values: the backdrop and the frames) in a saved notebook's widget
    state, sorted."""
    return sorted(m["state"]["value"] for m in saved_state(path).values()
                  if m["model_name"] == "HTMLModel" and "data:image/png" in m["state"].get("value", ""))


def notebook_constant(path, name):
    """The value of ``name = <literal>`` in a notebook's code."""
    for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
        python = "".join(line for line in cell["source"] if not line.startswith("%"))  # no magics
        for node in ast.parse(python if cell["cell_type"] == "code" else "").body:
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) == name:
                return ast.literal_eval(node.value)
    raise LookupError(name)


@pytest.mark.parametrize("entry", h.EXPLORERS, ids=lambda e: e.notebook)
def test_the_saved_notebooks_show_what_the_explorer_draws(entry):
    """The saved notebooks (their widget state) hold the explorer's whole strip at its default setting: the
    backdrop and a frame for every position of the main slider, each with the text it states and its pixels
    (over the backdrop) within ALLOWED of what the explorer draws here, so a change to any drawing, colour or
    word of an explorer shows, and the saved notebooks are current. Within ALLOWED, not byte for byte: the fast
    path's few antialiased pixels depend on what was drawn before (make notebooks itself is byte-identical)."""
    for edition in ("notebooks", "student"):
        path = ROOT / edition / f"{entry.notebook}.ipynb"
        if entry.notebook == "02_backprop":  # built with the notebook's equation labels
            explorer = h.graph_explorer(h.course_model_graph(), h.backward, direction="backward",
                                        equations=notebook_constant(path, "EQUATIONS"))
        else:
            explorer = entry.build()
        explorer.fill_strip()
        saved = [img(value) for value in saved_pictures(path)]
        (backdrop,) = [png for png, *_, alt in saved if alt == ""]
        got = {alt: frame_over(backdrop, png) for png, *_, alt in saved if alt}
        want = {frame[3]: frame_over(img(explorer.backdrop.value)[0], frame[0])
                for frame in (img(child.value) for child in explorer.strip.children)}
        assert sorted(got) == sorted(want), f"{edition}: the frames' texts differ: run make notebooks"
        for alt, picture in want.items():
            assert np.any(got[alt] != picture, axis=2).mean() <= ALLOWED, f"{edition}, {alt!r}: run make notebooks"


CONTROL_TRAITS = ("_model_name", "description", "value", "min", "max", "step", "base", "readout_format",
                  "_options_labels", "index", "orientation", "continuous_update")


def control_states(states):
    return sorted(json.dumps({k: s[k] for k in CONTROL_TRAITS if k in s}, sort_keys=True) for s in states)


@pytest.mark.parametrize("entry", h.EXPLORERS, ids=lambda e: e.notebook)
def test_the_saved_notebooks_hold_the_controls_the_explorer_makes(entry):
    """Every control of the explorer (its kind, label, range, step, options and default) is in the saved
    notebooks' widget state as the explorer makes it: the static page and the kernel agree."""
    explorer = entry.build()
    ours = control_states(json.loads(json.dumps(w.get_state(), default=str)) for w in explorer.controls.values())
    for edition in ("notebooks", "student"):
        path = ROOT / edition / f"{entry.notebook}.ipynb"
        state = saved_state(path)
        names = {w.get_state()["_model_name"] for w in explorer.controls.values()}
        saved = control_states(m["state"] for m in state.values() if m["model_name"] in names)
        assert saved == ours, f"{edition}: run make notebooks"
        # the page moves the picture with the main slider: a link from its index to the strip's
        ends = {(m["state"]["source"][1], m["state"]["target"][1]): (m["state"]["source"][0], m["state"]["target"][0])
                for m in state.values() if m["model_name"] == "LinkModel"}
        slider, strip = ends[("index", "selected_index")]
        assert state[slider.removeprefix("IPY_MODEL_")]["model_name"] == "SelectionSliderModel"
        assert state[strip.removeprefix("IPY_MODEL_")]["model_name"] == "StackModel"


GOLDEN = Path(__file__).with_name("golden_pictures.json")
#: settings past the defaults and the extremes that a student reaches and the pictures must get right
EXTRA_SETTINGS = {
    "01_computing_graph": [{"direction": "backward", "step": 5}],
    "02_backprop": [{"direction": "forward", "step": 3}],
    "03_training_loop": [{"lr": 1.0}, {"lr": 0.25, "hidden": 24, "seed": 0, "epochs": 400},
                         {"lr": 0.05, "hidden": 8, "seed": 3}],
    "04_gd_vs_momentum": [{"method": "gd", "eta": 0.02}, {"method": "nesterov", "beta": 0.99, "eta": 0.04}],
    "05_conv_kernels": [],
}


def golden_settings(entry, explorer):
    """What the golden test shows, in order: every position of the main slider, each
    control's extremes, the extra settings, and four random settings of every control."""
    rng = np.random.default_rng(0)
    settings = [{entry.main: value} for _, value in explorer.controls[entry.main].options]  # every stop
    settings += [{name: value} for name in explorer.controls for value in explorer.choices(name)]
    settings += EXTRA_SETTINGS[entry.notebook]
    return settings + [{name: explorer.random_value(name, rng) for name in explorer.controls} for _ in range(4)]


def golden_frames(entry):
    """[setting, alt text, SHA-256 of the PNG] for each golden setting, applied in order to one explorer."""
    explorer, frames = entry.build(), []
    for setting in golden_settings(entry, explorer):
        explorer.set(**setting)
        frames.append([json.loads(json.dumps(setting, default=float)), explorer.text,
                       hashlib.sha256(explorer.png).hexdigest()])
    return frames


@pytest.mark.parametrize("entry", h.EXPLORERS, ids=lambda e: e.notebook)
def test_every_explorer_draws_its_golden_pictures(entry):
    """Pixel for pixel, past the default: each explorer's frames over its main control's steps, every
    control's extremes, a diverging run and random settings equal the checked-in ones. A change to any
    drawing shows here; after looking at the new pictures, `make golden` records them."""
    if os.environ.get("UPDATE_GOLDEN"):
        golden = json.loads(GOLDEN.read_text(encoding="utf-8")) if GOLDEN.exists() else {}
        golden[entry.notebook] = golden_frames(entry)
        GOLDEN.write_text(json.dumps(golden, indent=1, ensure_ascii=False, sort_keys=True) + "\n", encoding="utf-8")
    want = json.loads(GOLDEN.read_text(encoding="utf-8"))[entry.notebook]
    got = golden_frames(entry)
    assert [frame[:2] for frame in got] == [frame[:2] for frame in want]
    for (setting, _, sha), (_, _, want_sha) in zip(got, want, strict=True):
        assert sha == want_sha, f"the picture at {setting} changed: run make golden once it looks right"


@pytest.mark.parametrize("rgba", [np.zeros((2, 2, 4)), np.zeros((2, 2), np.uint8), np.zeros((2, 2, 5), np.uint8)],
                         ids=["float", "2-D", "5-channels"])
def test_png_writer_refuses_what_is_not_an_rgb_or_rgba_image(rgba):
    with pytest.raises(ValueError, match=r"^rgba must be a \(height, width, 3 or 4\) uint8 array"):
        rgba_png(rgba)
