"""The Explorer base: a matplotlib figure behind widgets, redrawn fast, testable without a browser, with the
main slider's frames kept in the page."""

import asyncio
import math

import ipywidgets as widgets
import numpy as np
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator, NullLocator
from matplotlib.transforms import Bbox

from coursekit.figures import UNDESCRIBED, describe, img_html
from coursekit.png import rgba_png


def new_figure(figsize, dpi):
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


def log_grid(low, high, per_decade):
    """Round values from ``low`` to ``high``, evenly spaced on a log scale: 10^(k / per_decade) to two
    significant digits (ten per decade: 1, 1.3, 1.6, 2, 2.5, 3.2, 4, 5, 6.3, 7.9, then 10)."""
    first, last = (round(math.log10(bound) * per_decade) for bound in (low, high))
    return [float(f"{10 ** (k / per_decade):.2g}") for k in range(first, last + 1)]


def main_slider(values, value, description, **kwargs):
    """An explorer's main control: a slider over ``values`` (shown as :g), whose frames the page keeps."""
    return widgets.SelectionSlider(options=[(f"{v:g}", v) for v in values], value=value, description=description,
                                   **kwargs)


def whole_number_ticks(axis):
    """Ticks at whole numbers only (steps, epochs), at 1, 2 or 5 times a power of ten."""
    axis.set_major_locator(MaxNLocator(nbins="auto", integer=True, steps=[1, 2, 5, 10]))


class _StaticFigure:
    """A PNG plus a text that states what it shows; displays as both (the text as the picture's alt text too)."""

    def __init__(self, png, text):
        self.png, self.text = png, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/html": img_html(self.png, self.text), "text/plain": self.text}


#: Run in the page once, before the first explorer shows, and kept true after every move: each slider's handle
#: (role=slider) is named by the slider's label and reports the value its readout shows (ipywidgets leaves the
#: handle unnamed, and it reports the index of a selection slider or 0.9000000000000001 for 0.9); beside each
#: explorer's picture, a polite live region (visually hidden) says the shown frame's alt text, so a screen
#: reader announces what a move changed.
SLIDER_NAMES_JS = """(() => {
  if (window.courseSliderNames) return;
  window.courseSliderNames = true;
  const hidden = 'position:absolute;width:1px;height:1px;overflow:hidden;clip-path:inset(50%);white-space:nowrap';
  const name = () => {
    document.querySelectorAll('.widget-slider').forEach(box => {
      const handle = box.querySelector('.noUi-handle');
      const label = box.querySelector('.widget-label'), readout = box.querySelector('.widget-readout');
      for (const [attribute, from] of [['aria-label', label], ['aria-valuetext', readout]]) {
        const text = from && from.textContent.trim();
        if (handle && text && handle.getAttribute(attribute) !== text) handle.setAttribute(attribute, text);
      }
    });
    document.querySelectorAll('.explorer-picture').forEach(picture => {
      const shown = [...picture.querySelectorAll('img')].filter(img => img.alt && img.offsetParent !== null).pop();
      let said = picture.nextElementSibling;
      if (!said || !said.classList.contains('explorer-said')) {
        said = document.createElement('div');
        said.className = 'explorer-said';
        said.setAttribute('aria-live', 'polite');
        said.style.cssText = hidden;
        picture.after(said);
      }
      const text = shown ? shown.alt : '';
      if (said.textContent !== text) said.textContent = text;
    });
  };
  new MutationObserver(name).observe(document.body, {subtree: true, childList: true, characterData: true,
                                                     attributes: true, attributeFilter: ['aria-valuetext']});
  name();
})();"""


def _drawn_box(artist, renderer):
    """Where ``artist`` draws, 2 pixels out: its tight box and, for an axis, the marks of the ticks that matplotlib
    draws (the tight box leaves them out): those in the view, to 1e-10 of its span on the axis's scale."""
    boxes = [artist.get_tightbbox(renderer)]
    if isinstance(artist, Axis):
        scale = artist.get_transform()
        low, high = sorted(scale.transform(artist.get_view_interval()))
        slack = 1e-10 * (high - low)
        boxes += [tick.tick1line.get_window_extent(renderer) for tick in artist.get_major_ticks()
                  if tick.tick1line.get_visible() and low - slack <= scale.transform(tick.get_loc()) <= high + slack]
    return Bbox.union(boxes).padded(2)


#: The pause between two frames filled in the background: a kernel message that arrives meanwhile goes first.
FILL_PAUSE_S = 0.002


class Explorer(widgets.VBox):
    """Controls above the rendered figure, whose main slider answers in the page, with no kernel round trip.

    Subclasses build a Figure and implement ``compute(**values)`` (numbers only),
    ``draw(state)`` (update artists in place) and ``describe(state)`` (one text
    stating the setting and the results). The first control is the main one, a
    :func:`main_slider`.

    The picture: the frames along the main slider, for the current setting of the
    other controls (a strip), are kept in the page. A backdrop (an HTML widget
    with one ``<img>``: the frame where the strip started) lies under a ``Stack``
    with one HTML widget per slider position, which holds the pixels in which
    that position's frame differs from the backdrop (a PNG, transparent
    elsewhere, with the frame's text as its alt text). ``jslink`` ties the
    slider's index to the Stack's, so a move shows its frame at once, on a
    static page (nbconvert's HTML) too. The kernel still hears every move and
    keeps ``state`` and ``text`` true.

    A change of another control starts a new strip: the frame at the slider's
    position is drawn first (a whole frame, shown at once), the rest follows one
    frame per turn of the kernel's event loop, nearest first, so a message that
    arrives meanwhile waits for one frame at most. A position whose frame is not
    made yet is drawn when the slider reaches it. A displayed explorer makes its
    whole strip before it shows (:meth:`fill_strip`), so a saved notebook holds it.

    Speed: the layout is solved once and then frozen, and everything that a
    control does not change is drawn once into a cached background. A frame
    restores that background and draws only ``dynamic_artists()`` on top. A
    subclass whose static part does change (say, a colour map that depends on a
    choice) returns a different ``background_key(state)`` for it.
    """

    def __init__(self, controls, fig):
        self.controls = dict(controls)
        self.main = next(iter(self.controls))
        main = self.controls[self.main]
        if not isinstance(main, widgets.SelectionSlider):
            raise ValueError(f"controls must start with a main_slider, got {type(main).__name__} first")
        self.fig = fig
        frame = widgets.Layout(grid_area="frame")
        self.backdrop = widgets.HTML(layout=frame)
        self.strip = widgets.Stack([widgets.HTML() for _ in main.options], selected_index=main.index, layout=frame)
        self.picture = widgets.GridBox([self.backdrop, self.strip],
                                       layout=widgets.Layout(grid_template_areas='"frame"'))
        self.picture.add_class("explorer-picture")
        self._link = widgets.jslink((main, "index"), (self.strip, "selected_index"))
        name = main.description.split(" (")[0]  # "η (step)": the η slider
        others = "The other control redraws" if len(self.controls) == 2 else "The other controls redraw"
        self.note = widgets.HTML(
            f"<small>Every position of the {name} slider is drawn ahead and kept in the page, so it answers at once. "
            f"{others} in the Python kernel once this notebook's cells have run; until then, as on a saved HTML "
            f"page, only the {name} slider moves the picture.</small>")
        names = list(self.controls.values())
        rows = [widgets.HBox(names[i : i + 2]) for i in range(0, len(names), 2)]
        super().__init__(children=[*rows, self.picture, self.note])
        self.updates = 0
        self._backgrounds, self._pixels, self._holding = {}, {}, False
        self._setting, self._kept, self._generation = None, {}, 0
        self.draw(self.compute(**self.values()))
        self.fig.canvas.draw()  # solve the layout once ...
        self.fig.set_layout_engine(None)  # ... and freeze it
        self.update(fill_later=False)  # a displayed explorer fills its first strip before it shows
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
        """The legal extreme values of a control: a slider's ends, or all the options of another control."""
        widget = self.controls[name]
        if isinstance(widget, widgets.SelectionSlider):
            return [widget.options[0][1], widget.options[-1][1]]
        if hasattr(widget, "options"):
            return [o[1] if isinstance(o, tuple) else o for o in widget.options]
        return [widget.min, widget.max]

    def random_value(self, name, rng):
        """A random legal value of a control."""
        widget = self.controls[name]
        if hasattr(widget, "options"):
            options = [o[1] if isinstance(o, tuple) else o for o in widget.options]
            return options[rng.integers(len(options))]
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
        """The RGBA pixels of ``state``, drawn (by ``draw``) into the figure: a copy of the canvas."""
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
                self._pixels[pixels_key] = canvas.copy_from_bbox(_drawn_box(artist, canvas.get_renderer()))
        for artist in dynamic:  # in a full draw's order
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return np.array(canvas.buffer_rgba())

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

    def update(self, fill_later=True):
        """Show the current setting: a new strip if a control other than the main one changed, else the
        main slider's frame, drawn now if it is not kept yet."""
        values = self.values()
        index = self.controls[self.main].index
        setting = tuple(value for name, value in values.items() if name != self.main)
        if setting != self._setting:
            self._start_strip(setting, index, fill_later)
        elif index not in self._kept:
            self._keep(index)
        self.state, self.text, self.png = self._kept[index]
        self.updates += 1

    def _frame_values(self, index):
        return {**self.values(), self.main: self.controls[self.main].options[index][1]}

    def _draw_frame(self, index):
        """Draw the frame at ``index`` of the strip; keep its state, text and PNG; return its RGBA pixels."""
        state = self.compute(**self._frame_values(index))
        self.draw(state)
        rgba = self._render(state)
        self._kept[index] = state, self.describe(state), rgba_png(rgba)
        return rgba

    def _start_strip(self, setting, index, fill_later):
        self._setting, self._kept, self._generation = setting, {}, self._generation + 1
        self._base = self._draw_frame(index).view(np.uint32)
        _, text, png = self._kept[index]
        frames = self.strip.children
        frames[index].value = img_html(png, text)  # first: the page shows it at once
        self.backdrop.value = img_html(png, "")  # the frames' alt texts describe the picture
        for k, frame in enumerate(frames):
            if k != index:
                frame.value = ""  # until it is made, the backdrop shows through
        if fill_later:
            self._fill_later()

    def _keep(self, index):
        """Make the frame at ``index`` of the current strip: the pixels in which it differs from the backdrop."""
        rgba = self._draw_frame(index)
        pixels = rgba.view(np.uint32)
        overlay = np.where(pixels != self._base, pixels, 0).view(np.uint8)  # 0: transparent
        self.strip.children[index].value = img_html(rgba_png(overlay), self._kept[index][1])

    def kept_bytes(self):
        """What the kernel keeps for the strip, in bytes: each frame's PNG and the backdrop's pixels."""
        return sum(len(png) for _, _, png in self._kept.values()) + self._base.nbytes

    def _missing(self):
        """The positions of the strip with no frame yet, nearest the slider's first."""
        index = self.controls[self.main].index
        return sorted(set(range(len(self.strip.children))) - set(self._kept), key=lambda k: (abs(k - index), k))

    def _keep_ahead(self, index):
        """Make a frame ahead of the slider; False if the lesson code fails there (the position then shows the
        error when the slider reaches it, as a position not made yet does)."""
        try:
            self._keep(index)
        except Exception:  # noqa: BLE001 - raised again, where a student sees it, when the slider gets there
            return False
        return True

    def fill_strip(self):
        """Make every frame of the current strip that is not made yet (up to one the lesson code fails at)."""
        for index in self._missing():
            if not self._keep_ahead(index):
                return

    def _fill_later(self):
        """Make the strip's missing frames one per turn of the running event loop (a kernel's), nearest first,
        until a newer strip starts; with no event loop running (a script), frames are made when visited."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        generation = self._generation

        def next_frame():
            missing = self._missing() if generation == self._generation else []
            if missing and self._keep_ahead(missing[0]):
                loop.call_later(FILL_PAUSE_S, next_frame)

        loop.call_later(FILL_PAUSE_S, next_frame)

    def full_redraw(self):
        """The current state drawn from scratch, with no cached pixels: the RGB frame that the fast
        path (background, pixel caches, blitting) must reproduce."""
        self.draw(self.state)
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
        """The current figure as an ordinary output (readable where widgets don't render), described by its text
        and by what its panels show."""
        panels = describe(self.fig, title=False)
        return _StaticFigure(self.png, self.text if panels == UNDESCRIBED else f"{self.text}\n{panels}")

    def _ipython_display_(self):
        """In a notebook: the sliders' names (SLIDER_NAMES_JS, an output of its own), then the explorer."""
        from IPython.display import display

        display({"application/javascript": SLIDER_NAMES_JS, "text/plain": ""}, raw=True)
        display(self._repr_mimebundle_(), raw=True)

    def _repr_mimebundle_(self, **kwargs):
        self.fill_strip()  # the whole strip in the page before it shows, and in a saved notebook's widget state
        bundle = dict(super()._repr_mimebundle_(**kwargs))
        bundle["text/plain"] = self.text
        return bundle
