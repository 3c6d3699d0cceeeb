"""Notebook 03's lesson code (forward_batch, backward_batch: its #@save cells) and h.fit, its loop made safe."""

import warnings

import numpy as np
import pytest

import helpers as h
from coursekit.lessons.training import backward_batch, forward_batch
from coursekit.training import BLOWUP

DATA = h.toy_regression(seed=0)
# (layer sizes, batch size, seed): batch size 1 included, one and several hidden layers
CASES = [((4, 5, 3, 2), 8, 0), ((4, 5, 3, 2), 1, 1), ((1, 16, 16, 1), 32, 8), ((3, 2), 5, 3), ((2, 7, 1), 1, 4)]


def batch_case(sizes, n, seed):
    rng = np.random.default_rng(seed)
    params = h.to_batched(h.init_params(sizes, seed=seed))
    return params, rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))


def loss(params, X, Y):
    return 0.5 * np.sum((forward_batch(params, X)[1] - Y) ** 2) / len(X)


@pytest.mark.parametrize("sizes,n,seed", CASES)
def test_backward_batch_matches_finite_differences(sizes, n, seed):
    params, X, Y = batch_case(sizes, n, seed)
    acts, _ = forward_batch(params, X)
    zs = [A @ params[f"W{i}"] + params[f"b{i}"] for i, A in enumerate(acts[:-1])]  # hidden pre-activations
    assert min((np.abs(z).min() for z in zs), default=np.inf) > 1e-4, "test point too close to a ReLU kink"
    J, grads = backward_batch(params, X, Y)
    assert J == pytest.approx(loss(params, X, Y), rel=1e-14)
    assert sorted(grads) == sorted(params)
    for name, value in params.items():
        numeric = h.numeric_gradient(lambda: loss(params, X, Y), value)
        assert grads[name].shape == value.shape
        assert h.relative_error(grads[name], numeric) < 1e-7, name


@pytest.mark.parametrize("sizes,n,seed", CASES)
def test_backward_batch_is_the_mean_of_per_sample_graph_gradients(sizes, n, seed):
    params, X, Y = batch_case(sizes, n, seed)
    per_sample = {k: np.ascontiguousarray(v.T if k.startswith("W") else v[:, None]) for k, v in params.items()}
    total = {k: 0.0 for k in params}
    for x, y in zip(X, Y, strict=True):
        grads = h.backward(h.course_graph(per_sample, x[:, None], y[:, None]))
        total = {k: total[k] + grads[k] for k in params}
    expected = h.to_batched({k: v / n for k, v in total.items()})
    for k, g in backward_batch(params, X, Y)[1].items():
        assert h.relative_error(g, expected[k]) < 1e-12, k


def test_to_batched_transposes():
    params = h.init_params((4, 5, 2), seed=0)
    b = h.to_batched(params)
    assert b["W0"].shape == (4, 5) and b["b0"].shape == (5,)
    assert np.array_equal(b["W1"], params["W1"].T)
    with pytest.raises(ValueError, match="^params"):
        h.to_batched({"W0": params["W0"], "c0": params["b0"]})
    with pytest.raises(ValueError, match="^params: W0"):
        h.to_batched({"W0": params["W0"], "b0": params["b1"]})


def test_fit_is_notebook_03s_loop():
    """fit = the bare loop (init, backward, update) plus a stop and the test losses."""
    params = h.to_batched(h.init_params((1, 16, 16, 1), seed=0))
    losses, X, Y, Xt, Yt = [], *DATA
    test_losses = []
    for _ in range(12):
        J, grads = backward_batch(params, X, Y)
        losses.append(J)
        test_losses.append(loss(params, Xt, Yt))
        for name in params:
            params[name] -= 0.05 * grads[name]
    run = h.fit(backward_batch, DATA, lr=0.05, epochs=12)
    assert np.array_equal(run.losses, losses)
    np.testing.assert_allclose(run.test_losses, test_losses, rtol=1e-12)
    assert run.final_loss == backward_batch(params, X, Y)[0] and run.test_loss == backward_batch(params, Xt, Yt)[0]


def test_default_run_meets_the_course_claims():
    run = h.fit(backward_batch, DATA)
    assert not run.diverged
    assert np.all(np.diff(run.losses) < 0)
    assert run.losses[-1] < 0.02 * run.losses[0]
    assert abs(run.test_loss / run.final_loss - 1) < 0.25


@pytest.mark.parametrize("hidden,seed", [(8, 1), (32, 2), (16, 3)])
def test_loss_decreases_on_seeded_problems(hidden, seed):
    run = h.fit(backward_batch, h.toy_regression(seed=seed), hidden=hidden, lr=0.02, epochs=60, seed=seed)
    assert not run.diverged and np.all(np.diff(run.losses) < 0) and run.final_loss < run.losses[0] / 5


@pytest.mark.parametrize("lr", [0.6, 1.0, 5.0, 1e3])
def test_divergence_is_detected_and_reported_without_warnings(lr):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = h.fit(backward_batch, DATA, lr=lr)
    assert run.diverged and run.diverged_at == len(run.losses)
    assert np.isnan(run.final_loss) and np.isnan(run.test_loss)
    assert np.all(run.losses < BLOWUP * run.losses[0])


def test_fit_uses_the_backward_pass_it_is_given():
    def doubled(params, X, Y):  # a wrong backward pass: every gradient twice too large
        J, grads = backward_batch(params, X, Y)
        return J, {k: 2 * g for k, g in grads.items()}

    right, wrong = h.fit(backward_batch, DATA, epochs=20), h.fit(doubled, DATA, epochs=20)
    assert right.losses[0] == wrong.losses[0] and right.losses[-1] != wrong.losses[-1]
    assert np.array_equal(wrong.losses, h.fit(backward_batch, DATA, lr=0.1, epochs=20).losses)


def test_toy_regression_is_seeded():
    a, b, c = h.toy_regression(seed=0), h.toy_regression(seed=0), h.toy_regression(seed=1)
    assert all(np.array_equal(u, v) for u, v in zip(a, b, strict=True))
    assert not np.array_equal(a[0], c[0])
    assert [d.shape for d in a] == [(200, 1), (200, 1), (100, 1), (100, 1)]


@pytest.mark.parametrize(
    "kwargs,name",
    [({"lr": 0.0}, "lr"), ({"lr": -0.1}, "lr"), ({"hidden": 0}, "hidden"), ({"hidden": 2.5}, "hidden"),
     ({"epochs": 0}, "epochs"), ({"seed": -1}, "seed")],
)
def test_bad_arguments(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        h.fit(backward_batch, DATA, **kwargs)


def test_bad_data():
    X, Y, Xt, Yt = DATA
    for data in [(X, Y[:150], Xt, Yt), (X, Y, Xt, Yt[:5]), (X, Y, np.hstack([Xt, Xt]), Yt), (X, Y)]:
        with pytest.raises(ValueError, match="^data"):
            h.fit(backward_batch, data)
    with pytest.raises(ValueError, match="^x must have 2 dimension"):
        h.fit(backward_batch, (X[:, 0], Y, Xt, Yt))
    with pytest.raises(ValueError, match="^backward"):
        h.fit("backward_batch", DATA)
    with pytest.raises(ValueError, match="^n_train"):
        h.toy_regression(n_train=0)
    with pytest.raises(ValueError, match="^sizes"):
        h.init_params((4,))


def test_relative_error():
    assert h.relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert h.relative_error([0.0], [0.0]) == 0.0
    assert h.relative_error([1.0, 0.0], [0.0, 1.0]) == pytest.approx(np.sqrt(2))
    with pytest.raises(ValueError, match="^a and b must have the same shape"):
        h.relative_error([1.0], [1.0, 2.0])


def test_numeric_gradient_restores_its_input():
    x = np.array([1.0, -2.0, 3.0])
    g = h.numeric_gradient(lambda: float(np.sum(x**3)), x)
    assert np.array_equal(x, [1.0, -2.0, 3.0])
    np.testing.assert_allclose(g, 3 * x**2, rtol=1e-8)
    with pytest.raises(ValueError, match="^x must be a float64"):
        h.numeric_gradient(lambda: 0.0, np.ones(3, dtype=np.float32))
    with pytest.raises(ValueError, match="^eps"):
        h.numeric_gradient(lambda: 0.0, x, eps=0)


def test_toy_regression_takes_its_smallest_legal_arguments_and_names_a_bad_one():
    assert [d.shape for d in h.toy_regression(seed=0, n_train=1, n_test=1, noise=0)] == [(1, 1)] * 4
    X, Y, _, _ = h.toy_regression(n_train=5, noise=0)
    assert np.array_equal(Y, h.toy_function(X))  # no noise: the function itself
    for kwargs, name in [({"seed": -1}, "seed"), ({"n_test": 0}, "n_test"), ({"noise": -0.1}, "noise"),
                         ({"seed": 1.5}, "seed"), ({"n_test": 2.5}, "n_test"), ({"noise": "a"}, "noise")]:
        with pytest.raises(ValueError, match=rf"^{name}\b"):
            h.toy_regression(**kwargs)


def test_fit_takes_its_extreme_sizes_and_runs_100_epochs_by_default():
    assert len(h.fit(backward_batch, DATA).losses) == 100
    assert len(h.fit(backward_batch, DATA, hidden=1, epochs=1).losses) == 1
    assert h.fit(backward_batch, DATA, hidden=4096, epochs=1).params["W1"].shape == (4096, 4096)
    with pytest.raises(ValueError, match=r"^hidden\b"):
        h.fit(backward_batch, DATA, hidden=4097)


@pytest.mark.parametrize("result", [(1.0,), [1.0, {}], (np.ones(2), {}), (1.0, [])])
def test_fit_says_what_backward_must_return(result):
    with pytest.raises(ValueError) as error:
        h.fit(lambda params, X, Y: result, DATA, hidden=2)
    assert str(error.value) == ("backward must return (J, grads): the loss and a dict with a gradient of each "
                                "parameter's shape, W0 (1, 2), b0 (2,), W1 (2, 2), b1 (2,), W2 (2, 1), b2 (1,)")


def test_fit_refuses_a_loss_that_is_not_one_number():
    with pytest.raises(ValueError, match="^backward must return"):
        h.fit(lambda params, X, Y: (np.ones(2), backward_batch(params, X, Y)[1]), DATA, hidden=2)


@pytest.mark.parametrize("change", ["extra", "shape"])
def test_fit_refuses_gradients_of_other_names_or_shapes(change):
    """Each parameter's gradient, of its shape, and nothing else: an extra name, or a gradient of another shape
    with the right names, is refused by name, not broadcast into the weights."""
    def wrong(params, X, Y):
        loss, grads = backward_batch(params, X, Y)
        if change == "extra":
            return loss, {**grads, "W3": np.zeros((2, 2))}
        return loss, {**grads, "b0": grads["b0"][None, :]}

    with pytest.raises(ValueError, match="^backward must return"):
        h.fit(wrong, DATA, hidden=2)


def test_a_run_diverges_relative_to_its_own_first_loss_however_small():
    """The limit is BLOWUP times the first loss: a first loss of 1e-3 that grows to 1e4 (still far below BLOWUP
    itself) has diverged."""
    losses = iter([1e-3, 1e-3, 1e4, 1e4])

    def growing(params, X, Y):
        return next(losses), {name: np.zeros_like(value) for name, value in params.items()}

    run = h.fit(growing, DATA, hidden=2, epochs=3)
    assert run.diverged and run.diverged_at == 2 and run.losses.tolist() == [1e-3, 1e-3]


def test_init_params_and_to_batched_edges():
    sizes = (3, 4, 2)
    assert all(np.array_equal(a, b) for a, b in zip(h.init_params(sizes).values(),
                                                    h.init_params(sizes, seed=0).values(), strict=True))
    with pytest.raises(ValueError, match=r"^sizes\b"):
        h.init_params((3, 0))
    batched = h.to_batched({"W0": [[1, 2]], "b0": [[3]]})  # whole numbers in: float64 out
    assert batched["W0"].dtype == batched["b0"].dtype == np.float64 and batched["W0"].tolist() == [[1.0], [2.0]]
    for wrong in (["W0", "b0"], ("W0", "b0"), "W0b0"):
        with pytest.raises(ValueError, match=r"^params must be a dict"):
            h.to_batched(wrong)


def test_bad_data_is_named_part_by_part():
    X, Y, Xt, Yt = DATA
    with pytest.raises(ValueError) as error:
        h.fit(backward_batch, [X, Y, Xt, Yt])
    assert str(error.value) == "data must be (X_train, Y_train, X_test, Y_test), as toy_regression returns"
    for k, name in enumerate(("x", "y", "x_test", "y_test")):
        parts = [X, Y, Xt, Yt]
        parts[k] = parts[k][:, 0]  # one dimension short
        with pytest.raises(ValueError, match=rf"^{name} must have 2 dimension"):
            h.fit(backward_batch, tuple(parts))
    with pytest.raises(ValueError, match="^data must hold as many targets"):
        h.fit(backward_batch, (X[:0], Y[:0], Xt, Yt))  # no training sample, a test set


def test_seeded_start_takes_seed_0_and_names_a_negative_one():
    start = h.seeded_start(seed=0)
    assert start.shape == (2,) and abs(start[0]) <= 1 and abs(start[1]) <= 0.5
    with pytest.raises(ValueError, match=r"^seed\b"):
        h.seeded_start(seed=-1)
