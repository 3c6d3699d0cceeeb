"""Shared code of the course notebooks.

What lives here is used by two or more notebooks, by the tests, or by the
benchmark: input validation, the optimisers and their rate formulas
(notebook 04), and the scaffolding that turns a matplotlib figure into a fast,
testable widget explorer. Notebooks show the source of what they teach with
:func:`show_source` instead of pasting a second copy.
"""

from __future__ import annotations

import base64
import inspect
import io
import math
import struct
import zlib
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator

# --------------------------------------------------------------------------
# Input validation: every public function checks its arguments and raises a
# ValueError that names the argument and says what was expected.
# --------------------------------------------------------------------------


def _number(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a float after checking it is a finite real in range."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (value < low or (low_open and value == low)):
        bound = ">" if low_open else ">="
        raise ValueError(f"{name} must be {bound} {low}, got {value!r}")
    if high is not None and (value > high or (high_open and value == high)):
        bound = "<" if high_open else "<="
        raise ValueError(f"{name} must be {bound} {high}, got {value!r}")
    return value


def _integer(name, value, *, low=None, high=None):
    """Return ``value`` as an int after checking it is an integer in range."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value}")
    return value


def _array(name, value, *, ndim=None, shape=None):
    """Return ``value`` as a finite float64 array with the expected ndim/shape."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of real numbers, got {value!r}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if shape is not None and arr.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers")
    return arr


def _choice(name, value, options):
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, got {value!r}")
    return value


def show_source(*functions):
    """Display the source code of functions as a Markdown code block."""
    from IPython.display import Markdown

    for f in functions:
        if not callable(f):
            raise ValueError(f"functions must be callables, got {f!r}")
    code = "\n\n".join(inspect.getsource(f).rstrip() for f in functions)
    return Markdown(f"```python\n{code}\n```")


def check_answer(label, answer, expected, *, rtol=1e-3, hint=""):
    """Check a student's answer to an exercise and print the verdict.

    ``answer`` left as ``...`` means "not answered yet": the cell says so and
    does not fail. A wrong answer fails with an AssertionError carrying a hint.
    """
    if answer is Ellipsis:
        print(f"{label}: waiting for your answer (replace the ... above and re-run).")
        return
    if isinstance(expected, (int, float, np.integer, np.floating)) and not isinstance(expected, bool):
        ok = isinstance(answer, (int, float, np.integer, np.floating)) and math.isclose(
            float(answer), float(expected), rel_tol=rtol, abs_tol=1e-12
        )
    else:
        ok = answer == expected
    assert ok, f"{label}: {answer!r} is not right. {hint}".strip()
    print(f"{label}: correct.")


# --------------------------------------------------------------------------
# Notebook 04: gradient descent and momentum on a quadratic
# --------------------------------------------------------------------------

#: Hessian eigenvalues of L(x) = x1^2 + 99 x2^2 = 1/2 (2 x1^2 + 198 x2^2).
LAMBDAS_1_99 = (2.0, 198.0)

METHODS = ("gd", "momentum", "nesterov")
METHOD_NAMES = {
    "gd": "gradient descent",
    "momentum": "heavy-ball momentum",
    "nesterov": "Nesterov momentum",
}

#: A run counts as diverged once its loss exceeds this multiple of the start loss.
BLOWUP = 1e6


def _lambdas(lambdas):
    lam = _array("lambdas", lambdas, ndim=1)
    if lam.size == 0 or np.any(lam <= 0):
        raise ValueError("lambdas must be a non-empty list of positive curvatures")
    return lam


def seeded_start(seed=3):
    """The course's start point for notebook 04: uniform in [-1, 1] x [-0.5, 0.5], seeded."""
    seed = _integer("seed", seed, low=0)
    return np.random.default_rng(seed).uniform([-1, -0.5], [1, 0.5])


def quadratic_loss(x, lambdas=LAMBDAS_1_99):
    """L(x) = 1/2 sum_i lambda_i x_i^2 (the last axis of x holds the coordinates)."""
    lam = _lambdas(lambdas)
    x = np.asarray(x, dtype=np.float64)
    if x.shape[-1:] != lam.shape:
        raise ValueError(f"x must end in an axis of length {lam.size}, got shape {x.shape}")
    return 0.5 * np.sum(lam * x**2, axis=-1)


def quadratic_grad(x, lambdas=LAMBDAS_1_99):
    """The gradient of :func:`quadratic_loss`: lambda_i x_i per coordinate."""
    lam = _lambdas(lambdas)
    x = np.asarray(x, dtype=np.float64)
    if x.shape[-1:] != lam.shape:
        raise ValueError(f"x must end in an axis of length {lam.size}, got shape {x.shape}")
    return lam * x


def gd_step(x, x_prev, grad, eta, beta):
    """Plain gradient descent: x_{t+1} = x_t - eta grad(x_t) (beta is unused)."""
    return x - eta * grad(x)


def heavy_ball_step(x, x_prev, grad, eta, beta):
    """Polyak's heavy ball: x_{t+1} = x_t - eta grad(x_t) + beta (x_t - x_{t-1})."""
    return x - eta * grad(x) + beta * (x - x_prev)


def nesterov_step(x, x_prev, grad, eta, beta):
    """Nesterov: look ahead to y = x_t + beta (x_t - x_{t-1}), then step from y."""
    y = x + beta * (x - x_prev)
    return y - eta * grad(y)


STEPS = {"gd": gd_step, "momentum": heavy_ball_step, "nesterov": nesterov_step}


@dataclass
class Run:
    """The result of :func:`optimize`."""

    path: np.ndarray  # (k + 1, d) iterates x_0 ... x_k
    losses: np.ndarray  # (k + 1,) loss of each iterate
    diverged_at: int | None  # first step whose loss passed BLOWUP * L(x_0), or None

    @property
    def diverged(self):
        return self.diverged_at is not None


def optimize(method, eta, beta, steps, x0, lambdas=LAMBDAS_1_99):
    """Run ``steps`` updates of ``method`` on the quadratic from ``x0``.

    The run stops as soon as the loss exceeds BLOWUP times the start loss, so a
    diverging run never overflows; ``Run.diverged_at`` then names that step.
    """
    _choice("method", method, METHODS)
    eta = _number("eta", eta, low=0, low_open=True)
    beta = _number("beta", beta, low=0, high=1, high_open=True)
    steps = _integer("steps", steps, low=1)
    lam = _lambdas(lambdas)
    x = _array("x0", x0, shape=lam.shape)
    step = STEPS[method]

    def grad(v):
        return lam * v

    limit = BLOWUP * max(0.5 * float(lam @ (x * x)), 1e-300)
    path = [x]
    x_prev = x
    diverged_at = None
    for t in range(1, steps + 1):
        x, x_prev = step(x, x_prev, grad, eta, beta), x
        path.append(x)
        if 0.5 * float(lam @ (x * x)) > limit:
            diverged_at = t
            break
    path = np.array(path)
    return Run(path, 0.5 * np.sum(lam * path**2, axis=1), diverged_at)


def _char_coefficients(method, eta, beta, lam):
    """(b, c) of the per-direction characteristic polynomial z^2 - b z + c."""
    h = eta * lam
    if method == "gd":
        return 1 - h, np.zeros_like(h)
    if method == "momentum":
        return 1 + beta - h, beta + np.zeros_like(h)
    return (1 + beta) * (1 - h), beta * (1 - h)


def spectral_radius(method, eta, beta, lam):
    """Largest root modulus of z^2 - b z + c for one curvature ``lam``.

    Broadcasts over arrays of eta, beta and lam. The error along an eigen-
    direction of curvature lam shrinks by this factor per step (asymptotically).
    """
    _choice("method", method, METHODS)
    eta, beta, lam = (np.asarray(v, dtype=np.float64) for v in (eta, beta, lam))
    if np.any(eta <= 0):
        raise ValueError("eta must be > 0")
    if np.any(beta < 0) or np.any(beta >= 1):
        raise ValueError("beta must be in [0, 1)")
    if np.any(lam <= 0):
        raise ValueError("lam must be > 0")
    b, c = _char_coefficients(method, eta, beta, lam)
    root = np.sqrt((b * b - 4 * c).astype(np.complex128))
    return np.maximum(np.abs(b + root), np.abs(b - root)) / 2


def convergence_rate(method, eta, beta, lambdas=LAMBDAS_1_99):
    """Worst spectral radius over all curvatures: the method's rate per step."""
    lam = _lambdas(lambdas)
    eta, beta = np.broadcast_arrays(np.asarray(eta, float), np.asarray(beta, float))
    rates = [spectral_radius(method, eta, beta, v) for v in lam]
    rate = np.max(rates, axis=0)
    return float(rate) if rate.ndim == 0 else rate


def stability_limit(method, beta, lam_max):
    """Largest stable eta (exclusive) for curvature ``lam_max``.

    GD: eta lam < 2. Heavy ball: eta lam < 2 (1 + beta).
    Nesterov: eta lam < 2 (1 + beta) / (1 + 2 beta). (Jury's test on z^2 - b z + c.)
    """
    _choice("method", method, METHODS)
    beta = _number("beta", beta, low=0, high=1, high_open=True)
    lam_max = _number("lam_max", lam_max, low=0, low_open=True)
    if method == "gd":
        return 2 / lam_max
    if method == "momentum":
        return 2 * (1 + beta) / lam_max
    return 2 * (1 + beta) / ((1 + 2 * beta) * lam_max)


def best_gd(lam_min, lam_max):
    """Best fixed GD step and its rate: eta = 2/(m + L), rate = (L - m)/(L + m)."""
    m = _number("lam_min", lam_min, low=0, low_open=True)
    big = _number("lam_max", lam_max, low=m)
    return 2 / (m + big), (big - m) / (big + m)


def best_heavy_ball(lam_min, lam_max):
    """Polyak's optimal (eta, beta, rate) for curvatures in [m, L].

    eta = 4 / (sqrt L + sqrt m)^2, beta = ((sqrt L - sqrt m)/(sqrt L + sqrt m))^2,
    rate = sqrt(beta).
    """
    m = _number("lam_min", lam_min, low=0, low_open=True)
    big = _number("lam_max", lam_max, low=m)
    s, r = math.sqrt(big), math.sqrt(m)
    beta = ((s - r) / (s + r)) ** 2
    return 4 / (s + r) ** 2, beta, math.sqrt(beta)


def measured_rate(path):
    """Rate per step measured from a run: exp of the slope of log ||x_t||.

    The slope is a least-squares fit over the second half of the run, where the
    slowest direction dominates.
    """
    path = _array("path", path, ndim=2)
    if len(path) < 4:
        raise ValueError("path must hold at least 4 iterates to measure a rate")
    norms = np.linalg.norm(path, axis=1)
    t = np.arange(len(path))[len(path) // 2 :]
    tail = norms[len(path) // 2 :]
    keep = tail > 0
    if keep.sum() < 2:
        return 0.0
    slope = np.polyfit(t[keep], np.log(tail[keep]), 1)[0]
    return float(np.exp(slope))


# --------------------------------------------------------------------------
# Figures and explorers
# --------------------------------------------------------------------------


def figure_png(fig, dpi=None):
    """Render a Figure to PNG bytes (no tight bbox: one draw only)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi or fig.dpi, pil_kwargs={"compress_level": 1})
    return buf.getvalue()


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def rgba_png(rgba):
    """Encode an RGBA buffer (height, width, 4) as an RGB PNG, fast.

    A plain writer (no per-row filter search, zlib level 1) takes about half the
    time of Pillow's on this machine, with files of the same size for plots.
    """
    rgb = np.asarray(rgba)[..., :3]
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # each row: filter type 0, then pixels
    rows[:, 1:] = rgb.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(
        b"IDAT", zlib.compress(rows.tobytes(), 1)
    ) + _png_chunk(b"IEND", b"")


def new_figure(figsize, dpi=90, **subplot_kw):
    """A Figure outside pyplot (never auto-displayed), with a constrained layout."""
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


class StaticFigure:
    """A PNG plus a text that states what it shows; displays as both."""

    def __init__(self, png, text):
        self.png, self.text = png, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.text}


class Explorer(widgets.VBox):
    """Controls above an Output widget holding the rendered figure.

    Subclasses build a Figure and implement ``compute(**values)`` (numbers only),
    ``draw(state)`` (update artists in place) and ``describe(state)`` (one text
    stating the setting and the results). Each control change recomputes,
    redraws and assigns the PNG to the Output widget's ``outputs`` trait: no
    ``with out:`` capture is needed, so the explorer works without a kernel (in
    tests) and strict nbval compares its text.

    Speed: the layout is solved once and then frozen, and everything that a
    control does not change is drawn once into a cached background. An update
    restores that background and draws only ``dynamic_artists()`` on top. A
    subclass whose static part does change (say, a colour map that depends on a
    choice) returns a different ``background_key(state)`` for it.
    """

    def __init__(self, controls, fig):
        self.controls = dict(controls)
        self.fig = fig
        self.figure_output = widgets.Output()
        names = list(self.controls.values())
        rows = [widgets.HBox(names[i : i + 2]) for i in range(0, len(names), 2)]
        super().__init__(children=[*rows, self.figure_output])
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

    def _on_change(self, change):
        if not self._holding:
            self.update()

    def _render(self, state):
        canvas, dynamic = self.fig.canvas, self.dynamic_artists()
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
        for artist in dynamic:
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
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.text}
        self.figure_output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)

    def static_figure(self):
        """The current figure as an ordinary output (readable where widgets don't render)."""
        return StaticFigure(self.png, self.text)

    def _repr_mimebundle_(self, **kwargs):
        bundle = dict(super()._repr_mimebundle_(**kwargs))
        bundle["text/plain"] = self.text
        return bundle


def draw_quadratic_contours(ax, lambdas=LAMBDAS_1_99, xlim=(-1.2, 1.2), ylim=(-0.4, 0.4)):
    """Contour lines of the quadratic loss, log-spaced, with the minimum marked."""
    x1, x2 = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 120))
    loss = quadratic_loss(np.stack([x1, x2], axis=-1), lambdas)
    ax.contour(x1, x2, loss, levels=np.geomspace(1e-3, loss.max(), 12), cmap="viridis", linewidths=0.8)
    ax.plot(0, 0, marker="*", color="k", markersize=10, linestyle="none", label="minimum")
    ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$")


def steps_per_decade(rate):
    """Steps that shrink the error tenfold at a given rate (inf where rate >= 1)."""
    rate = np.asarray(rate, dtype=np.float64)
    with np.errstate(divide="ignore"):  # log10(1) = 0 only where the result is inf anyway
        out = np.where(rate < 1, -1 / np.log10(np.clip(rate, 1e-300, 1)), np.inf)
    return float(out) if out.ndim == 0 else out


#: Fixed loss axis of the explorer, so that curves can be compared while dragging.
LOSS_YLIM = (1e-24, 1e8)


def momentum_explorer(x0=None, lambdas=LAMBDAS_1_99, eta=0.01, beta=0.9, steps=300, method="momentum"):
    """The notebook 04 explorer: eta, beta, steps and method drive three panels."""
    lam = _lambdas(lambdas)
    x0 = _array("x0", seeded_start() if x0 is None else x0, shape=(2,))
    if lam.size != 2:
        raise ValueError("lambdas must hold two curvatures: the explorer draws a plane")
    controls = {
        "eta": widgets.FloatLogSlider(
            value=eta, base=10, min=-4, max=math.log10(MomentumExplorer.ETA_MAX), step=0.01,
            description="η (step)", readout_format=".5f",
        ),
        "beta": widgets.FloatSlider(value=beta, min=0, max=0.999, step=0.001, description="β", readout_format=".3f"),
        "steps": widgets.IntSlider(value=steps, min=10, max=1000, step=10, description="steps"),
        "method": widgets.Dropdown(options=[(METHOD_NAMES[m], m) for m in METHODS], value=method, description="method"),
    }
    return MomentumExplorer(controls, x0, lam)


def _viridis_with_grey():
    cmap = matplotlib.colormaps["viridis_r"].copy()
    cmap.set_bad("0.85")  # the divergent region: light grey
    return cmap


class MomentumExplorer(Explorer):
    """Three panels: the path on the loss contours, loss per step, and the rate map."""

    ETA_MAX = 0.04

    def __init__(self, controls, x0, lam):
        self.x0, self.lam = x0, lam
        self._gd_key = self._gd = None
        fig = new_figure((11.0, 3.6), dpi=80)
        self.axes = ax_path, ax_loss, ax_map = fig.subplots(1, 3, width_ratios=[1.15, 1, 1.1])
        span = 1.3 * np.abs(x0).max()
        draw_quadratic_contours(ax_path, lam, xlim=(-span, span), ylim=(-0.5 * span, 0.5 * span))
        (self.path_line,) = ax_path.plot([], [], "-o", color="C1", markersize=2, linewidth=1, label="path")
        ax_path.plot(*x0, "s", color="C3", label="start")
        ax_path.legend(loc="upper left", fontsize=7, ncols=3, framealpha=0.8)

        (self.loss_line,) = ax_loss.semilogy([], [], color="C1", label="this run")
        (self.gd_line,) = ax_loss.semilogy([], [], color="0.5", linestyle="--", label="GD, same η")
        (self.pred_line,) = ax_loss.semilogy(
            [], [], color="k", linestyle=":", linewidth=1.2, label="$L_0\\,$rate$^{2t}$ (predicted)"
        )
        ax_loss.set(xlabel="step t", ylabel="loss $L(x_t)$", ylim=LOSS_YLIM)
        ax_loss.yaxis.set_major_locator(LogLocator(numticks=5))
        ax_loss.yaxis.set_minor_locator(NullLocator())  # decades of minor ticks cost a lot to draw
        ax_loss.legend(loc="upper right", fontsize=7)

        # The rate map: x is log10(eta), so imshow stays cheap and exact.
        self.log_eta = np.linspace(-4, math.log10(self.ETA_MAX), 160)
        self.betas = np.linspace(0, 0.999, 120)
        eta_grid, beta_grid = 10 ** self.log_eta[None, :], self.betas[:, None]
        self.maps = {m: steps_per_decade(convergence_rate(m, eta_grid, beta_grid, lam)) for m in METHODS}
        extent = (self.log_eta[0], self.log_eta[-1], self.betas[0], self.betas[-1])
        self.image = ax_map.imshow(
            np.ma.masked_invalid(self.maps["momentum"]), origin="lower", aspect="auto", extent=extent,
            cmap=_viridis_with_grey(), norm=LogNorm(1, 1e4), interpolation="nearest",
        )
        fig.colorbar(self.image, ax=ax_map, label="steps per 10× less error")
        (self.boundary,) = ax_map.plot([], [], color="w", linewidth=1.5, label="stability boundary")
        (self.marker,) = ax_map.plot([], [], "o", color="C3", markeredgecolor="w", label="current (η, β)")
        ax_map.text(-1.55, 0.06, "diverges", color="k", fontsize=8, ha="center")
        ax_map.set_xticks([-4, -3, -2, math.log10(0.02)], ["1e-4", "1e-3", "0.01", "0.02"])
        ax_map.set(xlabel="η (log scale)", ylabel="β", xlim=extent[:2], ylim=extent[2:])
        ax_map.legend(loc="upper left", fontsize=7, framealpha=0.7)
        self.title = fig.suptitle(" ", fontsize=10)
        super().__init__(controls, fig)

    def compute(self, eta, beta, steps, method):
        run = optimize(method, eta, beta, steps, self.x0, self.lam)
        if (eta, steps) != self._gd_key:  # the GD reference ignores beta and method: reuse it
            self._gd_key, self._gd = (eta, steps), optimize("gd", eta, 0.0, steps, self.x0, self.lam)
        gd = self._gd
        predicted = convergence_rate(method, eta, beta, self.lam)
        measured = None if run.diverged else measured_rate(run.path)
        return dict(eta=eta, beta=beta, steps=steps, method=method, run=run, gd=gd,
                    predicted=predicted, measured=measured)

    def background_key(self, s):
        return s["method"]  # the rate map and its boundary depend on the method only

    def cached_artists(self, s):
        return [(self.axes[1].xaxis, s["steps"])]  # its ticks depend on the steps only

    def dynamic_artists(self):
        # Legends stay in the background: each costs about 10 ms to draw.
        return [self.path_line, self.gd_line, self.loss_line, self.pred_line, self.marker, self.title]

    def draw(self, s):
        run = s["run"]
        self.path_line.set_data(run.path[:, 0], run.path[:, 1])
        self.loss_line.set_data(np.arange(len(run.losses)), run.losses)
        self.gd_line.set_data(np.arange(len(s["gd"].losses)), s["gd"].losses)
        self.gd_line.set_visible(s["method"] != "gd")
        t = np.arange(s["steps"] + 1)
        log_pred = math.log10(run.losses[0]) + 2 * t * math.log10(max(s["predicted"], 1e-300))
        keep = (log_pred > math.log10(LOSS_YLIM[0]) - 1) & (log_pred < math.log10(LOSS_YLIM[1]) + 1)
        self.pred_line.set_data(t[keep], 10.0 ** log_pred[keep])
        self.axes[1].set_xlim(0, s["steps"])
        self.image.set_data(np.ma.masked_invalid(self.maps[s["method"]]))
        limits = [stability_limit(s["method"], b, self.lam.max()) for b in self.betas]
        self.boundary.set_data(np.log10(limits), self.betas)
        self.marker.set_data([math.log10(s["eta"])], [s["beta"]])
        self.title.set_text(self.headline(s))

    @staticmethod
    def headline(s):
        head = f"{METHOD_NAMES[s['method']]}, η = {s['eta']:.5f}"
        if s["method"] != "gd":
            head += f", β = {s['beta']:.3f}"
        head += f": predicted rate {s['predicted']:.4f}"
        if s["run"].diverged:
            return head + f", diverged at step {s['run'].diverged_at}"
        return head + f", measured {s['measured']:.4f}, final loss {s['run'].losses[-1]:.2e}"

    def describe(self, s):
        return f"{self.headline(s)} ({s['steps']} steps)"
