"""Running an update rule of notebook 04 on the quadratic, safely, and measuring the run."""

from dataclasses import dataclass

import numpy as np

from coursekit.checks import array, function, integer, number

#: A run counts as diverged once its loss exceeds this multiple of the start loss.
BLOWUP = 1e6


def checked_lambdas(lambdas):
    lam = array("lambdas", lambdas, ndim=1)
    if lam.size == 0 or np.any(lam <= 0):
        raise ValueError("lambdas must be a non-empty list of positive curvatures")
    return lam


def quadratic_loss(x, lambdas):
    """L(x) = 1/2 sum_i lambda_i x_i^2 (the last axis of x holds the coordinates)."""
    lam = checked_lambdas(lambdas)
    x = np.asarray(x, dtype=np.float64)
    if x.shape[-1:] != lam.shape:
        raise ValueError(f"x must end in an axis of length {lam.size}, got shape {x.shape}")
    return 0.5 * np.sum(lam * x**2, axis=-1)


@dataclass
class _Run:
    """The result of :func:`optimize`."""

    path: np.ndarray  # (k + 1, d) iterates x_0 ... x_k
    losses: np.ndarray  # (k + 1,) loss of each iterate
    diverged_at: int | None  # first step whose loss passed BLOWUP * L(x_0), or None

    @property
    def diverged(self):
        return self.diverged_at is not None


def optimize(rule, x0, eta, beta, steps, lambdas):
    """Notebook 04's loop on L(x) = 1/2 sum_i lambda_i x_i^2: ``steps`` updates
    x_{t+1} = rule(x_t, x_{t-1}, grad, eta, beta), starting at rest (x_{-1} = x_0), stopped as soon
    as the loss exceeds BLOWUP times the start loss (so a diverging run never overflows); the
    result's ``diverged_at`` then names that step."""
    function("rule", rule)
    eta = number("eta", eta, low=0, low_open=True)
    beta = number("beta", beta, low=0, high=1, high_open=True)
    steps = integer("steps", steps, low=1)
    lam = checked_lambdas(lambdas)
    x = array("x0", x0, shape=lam.shape)

    def grad(v):
        return lam * v

    limit = BLOWUP * max(0.5 * float(lam @ (x * x)), 1e-300)
    path, x_prev, diverged_at = [x], x, None
    with np.errstate(over="ignore", invalid="ignore"):  # a rule that overflows is reported as diverged
        for t in range(1, steps + 1):
            x, x_prev = np.asarray(rule(x, x_prev, grad, eta, beta), dtype=np.float64), x
            if x.shape != lam.shape:
                raise ValueError(f"rule must return the next iterate, of shape {lam.shape}, got shape {x.shape}")
            path.append(x)
            loss = 0.5 * float(lam @ (x * x))
            if not loss <= limit:  # also true for nan
                diverged_at = t
                break
        path = np.array(path)
        return _Run(path, 0.5 * np.sum(lam * path**2, axis=1), diverged_at)


def measured_rate(path):
    """Rate per step measured from a run: exp of the slope of log ||x_t||.

    The slope is a least-squares fit over the second half of the run, where the
    slowest direction dominates.
    """
    path = array("path", path, ndim=2)
    if len(path) < 4:
        raise ValueError("path must hold at least 4 iterates to measure a rate")
    half = len(path) // 2
    norms = np.linalg.norm(path[half:], axis=1)
    t = np.arange(half, len(path))
    keep = norms > 0
    if keep.sum() < 2:
        return 0.0
    return float(np.exp(np.polyfit(t[keep], np.log(norms[keep]), 1)[0]))


def steps_per_decade(rate):
    """Steps that shrink the error tenfold at a given rate (inf where rate >= 1)."""
    rate = np.asarray(rate, dtype=np.float64)
    if np.any(rate < 0) or np.any(np.isnan(rate)):
        raise ValueError("rate must be >= 0 (a spectral radius)")
    with np.errstate(divide="ignore"):  # log10(1) = 0 only where the result is inf anyway
        out = np.where(rate < 1, -1 / np.log10(np.clip(rate, 1e-300, 1)), np.inf)
    return float(out) if out.ndim == 0 else out


def draw_quadratic_contours(ax, lambdas, xlim=(-1.2, 1.2), ylim=(-0.4, 0.4)):
    """Contour lines of the quadratic loss, log-spaced, with the minimum marked."""
    if not hasattr(ax, "contour"):
        raise ValueError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    x1, x2 = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 120))
    loss = quadratic_loss(np.stack([x1, x2], axis=-1), lambdas)
    ax.contour(x1, x2, loss, levels=np.geomspace(1e-3, loss.max(), 12), cmap="viridis", linewidths=0.8)
    ax.plot(0, 0, marker="*", color="k", markersize=10, linestyle="none", label="minimum", zorder=5)
    ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$")
