"""Generated from notebooks/03_training_loop.ipynb by tools/export_lessons.py.

Edit the notebook's #@save cells, not this file.
"""

import numpy as np


def forward_batch(params, X):
    """Rows are samples. The activations [A_0 = X, A_1, ...] and the prediction Y_hat."""
    n = len(params) // 2
    acts = [X]
    for i in range(n - 1):
        acts.append(np.maximum(acts[-1] @ params[f"W{i}"] + params[f"b{i}"], 0))
    return acts, acts[-1] @ params[f"W{n - 1}"] + params[f"b{n - 1}"]


def backward_batch(params, X, Y):
    """J = 1/(2N) sum_n ||y_hat_n - y_n||^2 and its gradient for every parameter: (J, grads)."""
    acts, Y_hat = forward_batch(params, X)
    error = Y_hat - Y
    grads = {}
    delta = error / len(X)  # dJ/dY_hat: eq. (2), averaged over the batch
    for i in reversed(range(len(params) // 2)):
        grads[f"W{i}"] = acts[i].T @ delta  # eqs. (3), (5), (7): a sum of outer products
        grads[f"b{i}"] = delta.sum(axis=0)
        if i:  # eqs. (3)+(4), (5)+(6): back through W_i, then the ReLU mask
            delta = (delta @ params[f"W{i}"].T) * (acts[i] > 0)
    return 0.5 * np.sum(error**2) / len(X), grads
