"""The explorer of notebook 04: eta, beta, steps and method drive the path, the loss and the rate map."""

import math

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.colors import LogNorm

from coursekit.explorer import Explorer, decade_ticks, log_grid, main_slider, new_figure, whole_number_ticks
from coursekit.lessons.momentum import best_heavy_ball, convergence_rate, stability_limit
from coursekit.quadratic import draw_quadratic_contours, measured_rate, optimize, steps_per_decade

#: The loss axis follows the runs, in whole decades, within these bounds.
LOSS_FLOOR, LOSS_CEILING = 1e-30, 1e10

#: The colour of the start ■ and of the current (η, β) ●, which the titles call red: tab:red, whatever the colour
#: cycle.
RED = "#D62728"


def _viridis_with_grey():
    return matplotlib.colormaps["viridis_r"].with_extremes(bad="0.85")  # the divergent region: light grey


class MomentumExplorer(Explorer):
    """Three panels: the path on the loss contours, loss per step, and the rate map."""

    ETA_MAX = 0.04
    @classmethod
    def etas(cls):
        """The η slider's positions: 0.0001 to ETA_MAX, ten per decade (made when asked, not at import, where
        mutmut cannot follow a call)."""
        return log_grid(1e-4, cls.ETA_MAX, 10)

    def __init__(self, methods, x0, lam, eta, beta, steps, method):
        """methods: notebook 04's records (name, rule; the theory is the course's, by the same keys)."""
        self.methods, self.x0, self.lam = methods, x0, lam
        controls = {
            "eta": main_slider(self.etas(), eta, "η (step)"),
            "beta": widgets.FloatSlider(value=beta, min=0, max=0.999, step=0.001, description="β",
                                        readout_format=".3f"),
            "steps": widgets.IntSlider(value=steps, min=10, max=1000, step=10, description="steps"),
            "method": widgets.Dropdown(options=[(record.name, m) for m, record in methods.items()], value=method,
                                       description="method"),
        }
        self._gd_key = self._gd = None
        fig = new_figure((9.2, 3.8), dpi=96)
        self.axes = ax_path, ax_loss, ax_map = fig.subplots(1, 3, width_ratios=[1.15, 1, 1.1])
        span = 1.3 * np.abs(x0).max()
        # Equal axes: the level sets keep their true shape, ellipses sqrt(lam.max() / lam.min()) times as long as
        # wide; the frame, about as tall as the other panels, holds the start and the path's swing past the minimum.
        draw_quadratic_contours(ax_path, lam, xlim=(-span, span), ylim=(-0.8 * span, 0.8 * span))
        ax_path.set_aspect("equal")
        (self.path_line,) = ax_path.plot([], [], "-o", color="C1", markersize=2, linewidth=1, label="path")
        (self.start,) = ax_path.plot(*x0, "s", color=RED, label="start")
        (self.minimum,) = ax_path.plot(0, 0, "*", color="k", markersize=10)  # drawn over the path, every frame
        ax_path.set_title("the path, from the red ■ to the minimum ★", fontsize=10)
        self.diverged_text = ax_path.text(0.5, 0.8, "", transform=ax_path.transAxes, ha="center", va="center",
                                          fontsize=10, color="#D55E00", bbox={"facecolor": "w", "alpha": 0.9})

        (self.loss_line,) = ax_loss.semilogy([], [], color="C1", label="this run")
        (self.gd_line,) = ax_loss.semilogy([], [], color="0.5", linestyle="--", label="GD, same η")
        (self.pred_line,) = ax_loss.semilogy(
            [], [], color="k", linestyle=":", linewidth=1.2,
            label="rate$^{2t}$: predicted slope, through the last point")
        ax_loss.set(xlabel="step t", ylabel="loss $L(x_t)$")
        ax_loss.set_title("the loss at each step", fontsize=10)
        decade_ticks(ax_loss.yaxis, numticks=5)
        whole_number_ticks(ax_loss.xaxis)
        # Below the panels, not on them: runs fall from the top left or rise at the left, GD crosses the middle.
        fig.legend(handles=[self.loss_line, self.gd_line, self.pred_line], loc="outside lower center", ncols=3,
                   fontsize=9, frameon=False, title="middle panel:", title_fontsize=9, alignment="left")

        # The rate map: x is log10(eta), so imshow stays cheap and exact.
        self.log_eta = np.linspace(-4, math.log10(self.ETA_MAX), 160)
        self.betas = np.linspace(0, 0.999, 120)
        eta_grid, beta_grid = 10 ** self.log_eta[None, :], self.betas[:, None]
        self.maps = {m: steps_per_decade(convergence_rate(m, eta_grid, beta_grid, lam)) for m in methods}
        extent = (self.log_eta[0], self.log_eta[-1], self.betas[0], self.betas[-1])
        self.image = ax_map.imshow(
            np.ma.masked_invalid(self.maps["momentum"]), origin="lower", aspect="auto", extent=extent,
            cmap=_viridis_with_grey(), norm=LogNorm(10, 1e4), interpolation="nearest",
        )
        fig.colorbar(self.image, ax=ax_map, label="steps per 10× less error")
        (self.boundary,) = ax_map.plot([], [], color="w", linewidth=1.5, label="stability boundary")
        (self.marker,) = ax_map.plot([], [], "o", color=RED, markeredgecolor="w", label="current (η, β)", zorder=5)
        eta_best, beta_best, _ = best_heavy_ball(lam.min(), lam.max())
        (self.best,) = ax_map.plot([math.log10(eta_best)], [beta_best], "*", color="w", markeredgecolor="k",
                                   markersize=12, label="best heavy ball (η*, β*)")
        self.best_label = ax_map.annotate("η*, β*", (math.log10(eta_best), beta_best), xytext=(-12, -4),
                                          textcoords="offset points", ha="right", va="top", fontsize=9,
                                          bbox={"facecolor": "w", "alpha": 0.8, "pad": 1, "linewidth": 0})
        # Upright, inside the grey strip at every method and β up to about 0.3.
        ax_map.text(-1.55, 0.05, "diverges", color="k", fontsize=9, rotation=90, ha="center", va="bottom")
        ax_map.set_xticks([-4, -3, -2], ["0.0001", "0.001", "0.01"])
        ax_map.set(xlabel="η (log scale)", ylabel="β", xlim=extent[:2], ylim=extent[2:])
        self.map_title = ax_map.set_title(" ", fontsize=10)  # part of the background: it names the ☆ for heavy ball
        self.title = fig.suptitle(" \n ", fontsize=11)  # the layout keeps room for two lines
        super().__init__(controls, fig)

    def compute(self, eta, beta, steps, method):
        run = optimize(self.methods[method].rule, self.x0, eta, beta, steps, self.lam)
        if (eta, steps) != self._gd_key:  # the GD reference ignores beta and method: reuse it
            self._gd_key, self._gd = (eta, steps), optimize(self.methods["gd"].rule, self.x0, eta, 0.0, steps, self.lam)
        gd = self._gd
        predicted = convergence_rate(method, eta, beta, self.lam)
        measured = None if run.diverged else measured_rate(run.path)
        shown = np.concatenate([run.losses, gd.losses if method != "gd" else []])
        low = max(LOSS_FLOOR, 10.0 ** math.floor(math.log10(max(shown.min(), 1e-300)) - 0.3))  # a margin, as above
        high = min(LOSS_CEILING, 10.0 ** math.ceil(math.log10(shown.max()) + 0.3))
        # A diverged run is stopped after a few steps: show those, not the empty rest.
        right = steps if not run.diverged else min(steps, 10 * math.ceil(2 * run.diverged_at / 10))
        return dict(eta=eta, beta=beta, steps=steps, method=method, run=run, gd=gd,
                    predicted=predicted, measured=measured, xlim=(0, right), ylim=(low, high))

    def background_key(self, s):
        return s["method"]  # the rate map and its boundary depend on the method only

    def cached_artists(self, s):
        # The loss axis's ticks depend on the steps and on its decades only.
        return [(self.axes[1].xaxis, s["xlim"]), (self.axes[1].yaxis, s["ylim"])]

    def dynamic_artists(self):
        # Legends stay in the background: each costs about 10 ms to draw.
        # In the order they were created: a full draw draws artists of equal zorder in that order.
        return [self.path_line, self.start, self.minimum, self.loss_line, self.gd_line, self.pred_line, self.marker,
                self.diverged_text, self.title]

    def draw(self, s):
        run = s["run"]
        self.path_line.set_data(run.path[:, 0], run.path[:, 1])
        self.loss_line.set_data(np.arange(len(run.losses)), run.losses)
        self.gd_line.set_data(np.arange(len(s["gd"].losses)), s["gd"].losses)
        self.gd_line.set_visible(s["method"] != "gd")
        # The predicted slope, through the run's last point: a loss that first rises (a transient, a double
        # root's t * rate^t) still meets it there; a wrong rule leaves the run at another slope.
        t, last = np.arange(s["steps"] + 1), len(run.losses) - 1
        log_pred = math.log10(run.losses[-1]) + 2 * (t - last) * math.log10(max(s["predicted"], 1e-300))
        low, high = s["ylim"]
        keep = (log_pred > math.log10(low) - 1) & (log_pred < math.log10(high) + 1)
        self.pred_line.set_data(t[keep], 10.0 ** log_pred[keep])
        self.axes[1].set_xlim(*s["xlim"])
        self.axes[1].set_ylim(low, high)
        self.image.set_data(np.ma.masked_invalid(self.maps[s["method"]]))
        limits = [stability_limit(s["method"], b, self.lam.max()) for b in self.betas]
        self.boundary.set_data(np.log10(limits), self.betas)
        self.marker.set_data([math.log10(s["eta"])], [s["beta"]])
        for artist in (self.best, self.best_label):  # part of the background, which is kept per method
            artist.set_visible(s["method"] == "momentum")
        self.map_title.set_text("rate map: red ● current (η, β)" + (", ☆ best heavy ball" if s["method"] == "momentum"
                                                                     else ""))
        self.diverged_text.set_text(f"diverged at step {run.diverged_at}:\nthe path leaves the frame" if run.diverged
                                    else "")
        self.diverged_text.set_visible(run.diverged)
        self.title.set_text(self.headline(s))

    def headline(self, s):
        """Two lines: the setting, then what the run did."""
        setting = f"{self.methods[s['method']].name}, η = {s['eta']:.5f}"
        if s["method"] != "gd":
            setting += f", β = {s['beta']:.3f}"
        result = f"predicted rate {s['predicted']:.4f}"
        if s["run"].diverged:
            result += f": diverged at step {s['run'].diverged_at}"
        else:
            result += f", measured {s['measured']:.4f}, final loss {s['run'].losses[-1]:.2e}"
        return f"{setting}, {s['steps']} steps\n{result}"

    def describe(self, s):
        return self.headline(s)
