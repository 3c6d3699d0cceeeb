"""Generated from notebooks/04_gd_vs_momentum.ipynb by tools/export_lessons.py.

Edit the notebook's #@save cells, not this file.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


def gd_step(x, x_prev, grad, eta, beta):
    """Gradient descent: x_{t+1} = x_t - eta grad(x_t)."""
    return x - eta * grad(x)


def heavy_ball_step(x, x_prev, grad, eta, beta):
    """Polyak's heavy ball: x_{t+1} = x_t - eta grad(x_t) + beta (x_t - x_{t-1})."""
    return x - eta * grad(x) + beta * (x - x_prev)


def nesterov_step(x, x_prev, grad, eta, beta):
    """Nesterov: look ahead to y = x_t + beta (x_t - x_{t-1}), then step from y."""
    y = x + beta * (x - x_prev)
    return y - eta * grad(y)


@dataclass(frozen=True)
class Method:
    """One method: its name, its update rule, and its polynomial z^2 - b z + c, b and c from q = eta lam, beta."""
    name: str
    rule: Callable  # rule(x, x_prev, grad, eta, beta) -> the next iterate, as in section 2
    b: Callable  # b(q, beta)
    c: Callable  # c(q, beta)


METHODS = {
    "gd": Method("gradient descent", gd_step, b=lambda q, beta: 1 - q, c=lambda q, beta: np.zeros_like(q)),
    "momentum": Method("heavy-ball momentum", heavy_ball_step,
                       b=lambda q, beta: 1 + beta - q, c=lambda q, beta: beta + np.zeros_like(q)),
    "nesterov": Method("Nesterov momentum", nesterov_step,
                       b=lambda q, beta: (1 + beta) * (1 - q), c=lambda q, beta: beta * (1 - q)),
}


def char_poly(method, eta, beta, lam):
    """(b, c) of z^2 - b z + c, the characteristic polynomial of METHODS[method] along curvature lam (broadcasts)."""
    q = eta * lam
    return METHODS[method].b(q, beta), METHODS[method].c(q, beta)


def spectral_radius(method, eta, beta, lam):
    """The larger |root| of z^2 - b z + c, roots (b ± sqrt(b^2 - 4c)) / 2: the error's factor per step."""
    b, c = char_poly(method, eta, beta, lam)
    root = np.sqrt(b * b - 4 * c + 0j)
    return np.maximum(np.abs(b + root), np.abs(b - root)) / 2


def convergence_rate(method, eta, beta, lambdas):
    """The method's rate per step: the worst spectral radius over the curvatures."""
    return np.max([spectral_radius(method, eta, beta, lam) for lam in lambdas], axis=0)


def stability_limit(method, beta, lam_max):
    """The largest stable eta (exclusive), from Jury's test on z^2 - b z + c: where 1 + b + c reaches 0 at
    q = eta lam_max (the condition that fails first as eta grows, checked at the end of section 5). b and c are
    linear in q, so 1 + b + c is a line in q, through its values at q = 0 and q = 1."""
    at_0, at_1 = (1 + sum(char_poly(method, q, beta, 1.0)) for q in (0.0, 1.0))
    return at_0 / (at_0 - at_1) / lam_max


def best_heavy_ball(lam_min, lam_max):
    """Polyak's best (eta, beta) for curvatures in [lam_min, lam_max], and its rate sqrt(beta)."""
    s, r = np.sqrt(lam_max), np.sqrt(lam_min)
    beta = ((s - r) / (s + r)) ** 2
    return 4 / (s + r) ** 2, beta, np.sqrt(beta)
