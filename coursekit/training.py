"""Notebook 03's training loop as the explorer and the learning-rate scans run it:
the student's backward pass, plus a stop when the loss blows up and the test loss
at every epoch."""

import math
from dataclasses import dataclass

import numpy as np

from coursekit.checks import array, function, integer, number
from coursekit.data import init_params, to_batched

#: A run counts as diverged once its loss exceeds this multiple of its first loss.
BLOWUP = 1e6


@dataclass
class _Training:
    """The result of :func:`fit`."""

    params: dict  # batched parameters after the last update
    losses: np.ndarray  # training loss at the start of each epoch (before its update)
    test_losses: np.ndarray  # test loss at the same moments
    final_loss: float  # training loss after the last update (nan if diverged)
    test_loss: float  # test loss after the last update (nan if diverged)
    diverged_at: int | None  # epoch whose loss passed BLOWUP times the first, or None

    @property
    def diverged(self):
        return self.diverged_at is not None


def checked_data(data):
    """``data`` as four float arrays (X, Y, X_test, Y_test), rows matching, after checking it."""
    if not isinstance(data, tuple) or len(data) != 4:
        raise ValueError("data must be (X_train, Y_train, X_test, Y_test), as toy_regression returns")
    X, Y, X_test, Y_test = (array(name, v, ndim=2) for name, v in zip(("x", "y", "x_test", "y_test"), data,
                                                                       strict=True))
    if len(X) != len(Y) or len(X_test) != len(Y_test) or not len(X) or not len(X_test):
        raise ValueError("data must hold as many targets as inputs, in both sets, and at least one of each")
    if X_test.shape[1] != X.shape[1] or Y_test.shape[1] != Y.shape[1]:
        raise ValueError("data: the test set must have as many columns as the training set")
    return X, Y, X_test, Y_test


def fit(backward, data, hidden=16, lr=0.05, epochs=100, seed=0):
    """Full-batch gradient descent on the course model with two hidden ReLU layers of ``hidden`` units.

    ``backward(params, X, Y)`` returns (J, gradients), as notebook 03's backward_batch
    does. Each epoch: one backward pass, then W <- W - lr dJ/dW for every parameter,
    exactly as notebook 03's loop; a run whose loss passes BLOWUP times its first
    value, or stops being finite, is stopped and reported as diverged.
    """
    function("backward", backward)
    X, Y, X_test, Y_test = checked_data(data)
    lr = number("lr", lr, low=0, low_open=True)
    hidden = integer("hidden", hidden, low=1, high=4096)
    epochs = integer("epochs", epochs, low=1)
    params = to_batched(init_params((X.shape[1], hidden, hidden, Y.shape[1]), seed=seed))
    losses, diverged_at, limit = [], None, math.inf
    # Every epoch's parameters, stacked (epoch first): the test loss along the run is computed after it.
    history = {name: np.empty((epochs, *value.shape)) for name, value in params.items()}
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is detected below, not warned about
        for epoch in range(epochs):
            result = backward(params, X, Y)
            loss, grads = _checked_result(result, params) if epoch == 0 else result
            loss = float(loss)
            if not math.isfinite(loss) or loss > limit:
                diverged_at = epoch
                break
            limit = BLOWUP * max(loss, 1e-300) if epoch == 0 else limit
            losses.append(loss)
            for name, value in params.items():
                history[name][epoch] = value
                value -= lr * grads[name]
        final = math.nan if diverged_at is not None else float(backward(params, X, Y)[0])
        test = math.nan if diverged_at is not None else float(backward(params, X_test, Y_test)[0])
    history = {name: stack[: len(losses)] for name, stack in history.items()}
    return _Training(params, np.array(losses), _losses_along(history, X_test, Y_test), final, test, diverged_at)


def _checked_result(result, params):
    """What backward returned, after checking it is (J, a gradient of each parameter's shape)."""
    ok = isinstance(result, tuple) and len(result) == 2 and np.size(result[0]) == 1 and isinstance(result[1], dict)
    if not ok or set(result[1]) != set(params) or any(np.shape(result[1][k]) != params[k].shape for k in params):
        raise ValueError("backward must return (J, grads): the loss and a dict with a gradient of each parameter's "
                         f"shape, {', '.join(f'{k} {v.shape}' for k, v in params.items())}")
    return result


def _losses_along(history, X, Y, chunk=25):
    """The loss on (X, Y) of every parameter set in ``history`` (name -> stack, one per epoch), by a
    forward pass over ``chunk`` epochs at a time: small arrays, reused in place, are several times
    faster here than one pass over all epochs (large fresh arrays cost a page fault per page)."""
    n = len(history) // 2
    losses = np.empty(len(history["W0"]))
    for start in range(0, len(losses), chunk):
        a = X[None]  # (1, N, d), broadcast over the chunk's parameter sets
        for i in range(n):
            a = a @ history[f"W{i}"][start : start + chunk]  # (E, n_in, n_out)
            a += history[f"b{i}"][start : start + chunk, None, :]  # (E, 1, n_out)
            if i < n - 1:
                np.maximum(a, 0, out=a)
        losses[start : start + chunk] = 0.5 * np.sum((a - Y[None]) ** 2, axis=(1, 2)) / len(X)
    return losses
