"""What the student sees: every explorer's frame (blitted from cached backgrounds and pixel strips)
decodes to the same picture as a full redraw of the same state, and the PNG writer is a valid PNG."""

import io

import numpy as np
import pytest
from matplotlib.figure import Figure
from PIL import Image

import helpers as h
from coursekit.explorer import Explorer, new_figure
from coursekit.png import rgba_png

ALLOWED = 0.001  # fraction of pixels that may differ (antialiased tick marks where a frame meets them)


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


class TwoAxes(Explorer):
    """Two panels whose axes are cached under the same key: the cache must still tell them apart."""

    def __init__(self):
        import ipywidgets as widgets

        fig = new_figure((4, 2), dpi=72)
        self.axes = fig.subplots(1, 2)
        (self.line,) = self.axes[0].plot([], [])
        super().__init__({"scale": widgets.IntSlider(value=1, min=1, max=3)}, fig)

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
