"""The training loop of notebook 03."""

import warnings

import numpy as np
import pytest

import helpers as h

DATA = h.toy_regression(seed=0)


def test_default_run_meets_the_course_claims():
    run = h.train(*DATA)
    assert not run.diverged
    assert np.all(np.diff(run.losses) < 0)
    assert run.losses[-1] < 0.02 * run.losses[0]
    assert abs(run.test_loss / run.final_loss - 1) < 0.25


@pytest.mark.parametrize("hidden,seed", [(8, 1), (32, 2), (16, 3)])
def test_loss_decreases_on_seeded_problems(hidden, seed):
    run = h.train(*h.toy_regression(seed=seed), hidden=hidden, lr=0.02, epochs=60, seed=seed)
    assert not run.diverged and np.all(np.diff(run.losses) < 0) and run.final_loss < run.losses[0] / 5


def test_training_is_deterministic():
    a, b = h.train(*DATA, epochs=20), h.train(*DATA, epochs=20)
    assert np.array_equal(a.losses, b.losses) and a.test_loss == b.test_loss


@pytest.mark.parametrize("lr", [0.6, 1.0, 5.0, 1e3])
def test_divergence_is_detected_and_reported_without_warnings(lr):
    lines = []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = h.train(*DATA, lr=lr, log=lines.append)
    assert run.diverged and run.diverged_at == len(run.losses)
    assert np.isnan(run.final_loss) and np.isnan(run.test_loss)
    assert lines[-1] == f"Diverged at epoch {run.diverged_at}: stopped."


def test_log_format():
    lines = []
    run = h.train(*DATA, epochs=3, log=lines.append)
    assert lines[:3] == [f"{i}: loss is {run.losses[i]:.6f}" for i in range(3)]
    assert lines[3] == f"Test loss is {run.test_loss:.6f}"


def test_toy_regression_is_seeded():
    a, b, c = h.toy_regression(seed=0), h.toy_regression(seed=0), h.toy_regression(seed=1)
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])
    assert [d.shape for d in a] == [(200, 1), (200, 1), (100, 1), (100, 1)]


def test_predict_matches_forward():
    run = h.train(*DATA, epochs=5)
    np.testing.assert_array_equal(h.predict(run.params, DATA[0]), h.forward_batch(run.params, DATA[0])[1])


@pytest.mark.parametrize(
    "kwargs,name",
    [
        ({"lr": 0.0}, "lr"),
        ({"lr": -0.1}, "lr"),
        ({"hidden": 0}, "hidden"),
        ({"hidden": 2.5}, "hidden"),
        ({"epochs": 0}, "epochs"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        h.train(*DATA, **kwargs)


def test_bad_data():
    X, Y, Xt, Yt = DATA
    with pytest.raises(ValueError, match="^x and y must have the same number of rows"):
        h.train(X, Y[:150], Xt, Yt)
    with pytest.raises(ValueError, match="^x_test and y_test must have the same number of rows"):
        h.train(X, Y, Xt, Yt[:5])
    with pytest.raises(ValueError, match="^x must have 2 dimension"):
        h.train(X[:, 0], Y, Xt, Yt)
    with pytest.raises(ValueError, match="^x_test and y_test must have as many columns"):
        h.train(X, Y, np.hstack([Xt, Xt]), Yt)
    with pytest.raises(ValueError, match="^n_train"):
        h.toy_regression(n_train=0)
    with pytest.raises(ValueError, match="^data"):
        h.training_explorer(data=(X, Y))


def test_test_losses_match_a_forward_pass_per_epoch():
    X, Y, Xt, Yt = DATA
    lr, epochs = 0.05, 12
    run = h.train(*DATA, lr=lr, epochs=epochs)
    params = h.to_batched(h.init_params((1, 16, 16, 1), seed=0))
    for epoch in range(epochs):
        assert run.test_losses[epoch] == pytest.approx(h.loss_batch(params, Xt, Yt), rel=1e-12)
        assert run.losses[epoch] == pytest.approx(h.loss_batch(params, X, Y), rel=1e-12)
        for name, grad in h.backward_batch(params, X, Y).items():
            params[name] -= lr * grad
