"""The seeded data and initialisation that the notebooks share."""

import math

import numpy as np

from coursekit.checks import integer, number


def init_params(sizes, seed=0):
    """Parameters of the course model for layer sizes (n_in, h1, ..., n_out).

    Per-sample (column-vector) convention: W_l has shape (sizes[l+1], sizes[l]),
    b_l has shape (sizes[l+1], 1). Weights ~ N(0, 2 / fan_in) (He), biases ~ N(0, 0.1^2).
    """
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
        raise ValueError(f"sizes must be a list of at least two layer widths, got {sizes!r}")
    sizes = [integer("sizes", n, low=1) for n in sizes]
    rng = np.random.default_rng(integer("seed", seed, low=0))
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        params[f"W{i}"] = rng.normal(0, math.sqrt(2 / n_in), size=(n_out, n_in))
        params[f"b{i}"] = rng.normal(0, 0.1, size=(n_out, 1))
    return params


def to_batched(params):
    """The same parameters in the batched convention (rows are samples):
    W_l -> W_l transposed, shape (n_in, n_out); b_l -> shape (n_out,)."""
    n = len(params) // 2 if isinstance(params, dict) else 0
    if not n or set(params) != {f"{k}{i}" for i in range(n) for k in "Wb"}:
        raise ValueError(f"params must be a dict W0, b0, ..., W(n-1), b(n-1) of arrays, got {params!r:.80}")
    out = {}
    for i in range(n):
        W, b = np.array(params[f"W{i}"], dtype=np.float64), np.array(params[f"b{i}"], dtype=np.float64)
        if W.ndim != 2 or b.shape != (W.shape[0], 1):
            raise ValueError(f"params: W{i} must be 2-D and b{i} of shape (rows of W{i}, 1); got {W.shape}, {b.shape}")
        out[f"W{i}"], out[f"b{i}"] = W.T.copy(), b.ravel()
    return out


def toy_function(x):
    """The toy regression's true function: a line plus a wiggle."""
    return 2 + 2 * x + np.sin(2 * x)


#: Standard deviation of the toy data's noise: no model beats a loss of TOY_NOISE**2 / 2 on average.
TOY_NOISE = 0.2


def toy_regression(seed=0, n_train=200, n_test=100, noise=TOY_NOISE):
    """Seeded toy data: x ~ U(-2, 2), y = 2 + 2x + sin(2x) + N(0, noise^2).

    Returns (X_train, Y_train, X_test, Y_test), each a column (rows are samples).
    """
    rng = np.random.default_rng(integer("seed", seed, low=0))
    n_train, n_test = integer("n_train", n_train, low=1), integer("n_test", n_test, low=1)
    noise = number("noise", noise, low=0)
    x = rng.uniform(-2, 2, size=(n_train + n_test, 1))
    y = toy_function(x) + noise * rng.normal(size=x.shape)
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


#: Hessian eigenvalues of L(x) = x1^2 + 99 x2^2 = 1/2 (2 x1^2 + 198 x2^2).
LAMBDAS_1_99 = (2.0, 198.0)


def seeded_start(seed=3):
    """The start point of notebook 04: uniform in [-1, 1] x [-0.5, 0.5], seeded."""
    return np.random.default_rng(integer("seed", seed, low=0)).uniform([-1, -0.5], [1, 0.5])
