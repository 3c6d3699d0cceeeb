"""The explorer of notebook 04: eta, beta, steps and method drive the path, the loss and the rate map."""

import math

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import LogLocator, NullLocator

from coursekit.explorer import Explorer, new_figure
from coursekit.lessons.momentum import convergence_rate, stability_limit
from coursekit.quadratic import draw_quadratic_contours, measured_rate, optimize, steps_per_decade

METHODS = ("gd", "momentum", "nesterov")
METHOD_NAMES = {"gd": "gradient descent", "momentum": "heavy-ball momentum", "nesterov": "Nesterov momentum"}

#: Fixed loss axis of the explorer, so that curves can be compared while dragging.
LOSS_YLIM = (1e-24, 1e8)


def _viridis_with_grey():
    cmap = matplotlib.colormaps["viridis_r"].copy()
    cmap.set_bad("0.85")  # the divergent region: light grey
    return cmap


class MomentumExplorer(Explorer):
    """Three panels: the path on the loss contours, loss per step, and the rate map."""

    ETA_MAX = 0.04

    def __init__(self, rules, x0, lam, eta, beta, steps, method):
        self.rules, self.x0, self.lam = rules, x0, lam
        controls = {
            "eta": widgets.FloatLogSlider(
                value=eta, base=10, min=-4, max=math.log10(self.ETA_MAX), step=0.01,
                description="η (step)", readout_format=".5f",
            ),
            "beta": widgets.FloatSlider(value=beta, min=0, max=0.999, step=0.001, description="β",
                                        readout_format=".3f"),
            "steps": widgets.IntSlider(value=steps, min=10, max=1000, step=10, description="steps"),
            "method": widgets.Dropdown(options=[(METHOD_NAMES[m], m) for m in METHODS], value=method,
                                       description="method"),
        }
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
        run = optimize(self.rules[method], self.x0, eta, beta, steps, self.lam)
        if (eta, steps) != self._gd_key:  # the GD reference ignores beta and method: reuse it
            self._gd_key, self._gd = (eta, steps), optimize(self.rules["gd"], self.x0, eta, 0.0, steps, self.lam)
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
