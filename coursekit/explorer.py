"""The Explorer base: a matplotlib figure behind widgets, redrawn fast, testable without a browser."""

import base64
import html
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator

from coursekit.png import rgba_png


def new_figure(figsize, dpi=90):
    """A Figure outside pyplot (never auto-displayed), with a constrained layout."""
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


_SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def decade_label(value, _position=None):
    """10⁻³ for 0.001, in plain text: matplotlib's default log labels look the same but go through its
    mathtext parser, about 7 ms per new label, and the explorers' loss axes change decades often."""
    exponent = round(math.log10(value)) if value > 0 else None
    if exponent is not None and math.isclose(value, 10.0**exponent):
        return "10" + str(exponent).translate(_SUPERSCRIPTS)
    return f"{value:g}"


def decade_ticks(axis, numticks):
    """At most ``numticks`` major ticks on whole decades, labelled by :func:`decade_label`, no minor ticks."""
    axis.set_major_locator(LogLocator(numticks=numticks))
    axis.set_minor_locator(NullLocator())  # decades of minor ticks cost a lot to draw
    axis.set_major_formatter(FuncFormatter(decade_label))


def whole_number_ticks(axis):
    """Ticks at whole numbers only (steps, epochs), at 1, 2 or 5 times a power of ten."""
    axis.set_major_locator(MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 5, 10]))


class _StaticFigure:
    """A PNG plus a text that states what it shows; displays as both."""

    def __init__(self, png, text):
        self.png, self.text = png, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.text}


class Explorer(widgets.VBox):
    """Controls above the rendered figure: an HTML widget holding one ``<img>``.

    Subclasses build a Figure and implement ``compute(**values)`` (numbers only),
    ``draw(state)`` (update artists in place) and ``describe(state)`` (one text
    stating the setting and the results). Each control change recomputes,
    redraws and sets the picture to the new PNG (a data URI, with the text as
    its alt text): no output capture is needed, so the explorer works without a
    kernel (in tests) and strict nbval compares its text. An ``<img>`` in an HTML
    widget reaches the screen sooner than an Output widget's image, which
    JupyterLab re-creates as a new output area on every change (measured: 7 to
    11 ms less per slider move).

    Speed: the layout is solved once and then frozen, and everything that a
    control does not change is drawn once into a cached background. An update
    restores that background and draws only ``dynamic_artists()`` on top. A
    subclass whose static part does change (say, a colour map that depends on a
    choice) returns a different ``background_key(state)`` for it.
    """

    def __init__(self, controls, fig):
        self.controls = dict(controls)
        self.fig = fig
        self.picture = widgets.HTML()
        names = list(self.controls.values())
        rows = [widgets.HBox(names[i : i + 2]) for i in range(0, len(names), 2)]
        super().__init__(children=[*rows, self.picture])
        self.updates = 0
        self._backgrounds, self._pixels, self._holding = {}, {}, False
        self.draw(self.compute(**self.values()))
        self.fig.canvas.draw()  # solve the layout once ...
        self.fig.set_layout_engine(None)  # ... and freeze it
        self.update()
        for widget in self.controls.values():
            widget.observe(self._on_change, names="value")

    def dynamic_artists(self):
        return []

    def cached_artists(self, state):
        """(artist, key) pairs drawn like dynamic artists, but whose pixels are
        cached per key: an axis whose limits a control sets, for example."""
        return []

    def background_key(self, state):
        return None

    def values(self):
        return {name: widget.value for name, widget in self.controls.items()}

    def choices(self, name):
        """The legal extreme values of a control: its ends, or all its options."""
        widget = self.controls[name]
        if hasattr(widget, "options"):
            return [o[1] if isinstance(o, tuple) else o for o in widget.options]
        if hasattr(widget, "base"):  # a log slider
            return [widget.base**widget.min, widget.base**widget.max]
        return [widget.min, widget.max]

    def random_value(self, name, rng):
        """A random legal value of a control (log-uniform on a log slider)."""
        widget = self.controls[name]
        if hasattr(widget, "options"):
            options = self.choices(name)
            return options[rng.integers(len(options))]
        if hasattr(widget, "base"):
            return widget.base ** rng.uniform(widget.min, widget.max)
        if isinstance(widget.value, int):
            return int(rng.integers(widget.min, widget.max + 1))
        return float(rng.uniform(widget.min, widget.max))

    def _on_change(self, change):
        if not self._holding:
            self.update()

    def _frames(self, dynamic):
        """The frames (spines) of the axes that hold dynamic artists: a full draw paints them over
        their axes' contents, so they are drawn after the dynamic artists, not kept in the background."""
        axes = {artist.axes for artist in dynamic if artist.axes is not None}
        return [spine for ax in axes if ax.axison for spine in ax.spines.values()]

    def _render(self, state):
        canvas, dynamic = self.fig.canvas, self.dynamic_artists()
        dynamic = sorted(dynamic + self._frames(dynamic), key=lambda artist: artist.get_zorder())
        cached = self.cached_artists(state)
        key = self.background_key(state)
        if key in self._backgrounds:
            canvas.restore_region(self._backgrounds[key])
        else:  # first time for this key: draw the static part once and keep it
            for artist in dynamic + [artist for artist, _ in cached]:
                artist.set_animated(True)  # Figure.draw skips animated artists
            canvas.draw()
            self._backgrounds[key] = canvas.copy_from_bbox(self.fig.bbox)
        for artist, artist_key in cached:
            pixels_key = (key, id(artist), artist_key)
            if pixels_key in self._pixels:
                canvas.restore_region(self._pixels[pixels_key])
            else:
                self.fig.draw_artist(artist)
                if len(self._pixels) > 256:
                    self._pixels.clear()
                box = artist.get_tightbbox(canvas.get_renderer()).padded(2)
                self._pixels[pixels_key] = canvas.copy_from_bbox(box)
        for artist in dynamic:  # in a full draw's order
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return rgba_png(canvas.buffer_rgba())

    def set(self, **values):
        """Set several controls at once, with a single update."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"values must name controls among {sorted(self.controls)}, got {sorted(unknown)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.update()

    def update(self):
        self.state = self.compute(**self.values())
        self.draw(self.state)
        self.text = self.describe(self.state)
        self.png = self._render(self.state)
        self.updates += 1
        # Its size up front keeps the page's layout while the new PNG decodes; it shrinks to fit a narrow page.
        width, height = self.fig.canvas.get_width_height()
        self.picture.value = (f'<img src="data:image/png;base64,{base64.b64encode(self.png).decode("ascii")}" '
                              f'width="{width}" height="{height}" style="max-width: 100%; height: auto" '
                              f'alt="{html.escape(self.text)}">')

    def full_redraw(self):
        """The current state drawn from scratch, with no cached pixels: the RGB frame that the fast
        path (background, pixel caches, blitting) must reproduce."""
        animated = [artist for artist in self.fig.findobj() if artist.get_animated()]
        for artist in animated:
            artist.set_animated(False)
        try:
            self.fig.canvas.draw()
            return np.asarray(self.fig.canvas.buffer_rgba())[..., :3].copy()
        finally:
            for artist in animated:
                artist.set_animated(True)

    def static_figure(self):
        """The current figure as an ordinary output (readable where widgets don't render)."""
        return _StaticFigure(self.png, self.text)

    def _repr_mimebundle_(self, **kwargs):
        bundle = dict(super()._repr_mimebundle_(**kwargs))
        bundle["text/plain"] = self.text
        return bundle
