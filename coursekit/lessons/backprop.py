"""Generated from notebooks/02_backprop.ipynb by tools/export_lessons.py.

Edit the notebook's #@save cells, not this file.
"""

import numpy as np


def forward_sample(params, x, y):
    """The course model on one sample (column vectors): z1, a1, z2, a2, f and J."""
    W0, b0, W1, b1, W2, b2 = (params[k] for k in ("W0", "b0", "W1", "b1", "W2", "b2"))
    z1 = W0 @ x + b0
    a1 = np.maximum(z1, 0)
    z2 = W1 @ a1 + b1
    a2 = np.maximum(z2, 0)
    f = W2 @ a2 + b2
    return z1, a1, z2, a2, f, 0.5 * np.sum((f - y) ** 2)


def relu_prime(z):
    return (z > 0).astype(float)  # (1), taking ReLU'(0) = 0


def backward_sample(params, x, y):
    """Equations (1)-(7) for one sample (column vectors): dJ/dv for every parameter v, and for x and y."""
    z1, a1, z2, a2, f, J = forward_sample(params, x, y)
    W0, W1, W2 = params["W0"], params["W1"], params["W2"]
    df = f - y                    # (2)
    dy = -df                      # (2), not a parameter
    db2, dW2 = df, df @ a2.T      # (3)
    da2 = W2.T @ df               # (3)
    dz2 = relu_prime(z2) * da2    # (4)
    db1, dW1 = dz2, dz2 @ a1.T    # (5)
    da1 = W1.T @ dz2              # (5)
    dz1 = relu_prime(z1) * da1    # (6)
    db0, dW0 = dz1, dz1 @ x.T     # (7)
    dx = W0.T @ dz1               # (7)
    return {"W0": dW0, "b0": db0, "W1": dW1, "b1": db1, "W2": dW2, "b2": db2, "x": dx, "y": dy}
