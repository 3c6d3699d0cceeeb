"""The batched backward pass of notebook 02 (train.py's blank) and the gradient checker."""

import numpy as np
import pytest

import helpers as h

# (layer sizes, batch size, seed): batch size 1 included, one and several hidden layers
CASES = [((4, 5, 3, 2), 8, 0), ((4, 5, 3, 2), 1, 1), ((1, 16, 16, 1), 32, 8), ((3, 2), 5, 3), ((2, 7, 1), 1, 4)]


def batch_case(sizes, n, seed):
    rng = np.random.default_rng(seed)
    params = h.to_batched(h.init_params(sizes, seed=seed))
    return params, rng.normal(size=(n, sizes[0])), rng.normal(size=(n, sizes[-1]))


@pytest.mark.parametrize("sizes,n,seed", CASES)
def test_backward_batch_matches_finite_differences(sizes, n, seed):
    params, X, Y = batch_case(sizes, n, seed)
    assert h.kink_margin(params, X) > 1e-4, "test point too close to a ReLU kink"
    grads = h.backward_batch(params, X, Y)
    assert list(grads) == list(params)
    for name, value in params.items():
        numeric = h.numeric_gradient(lambda: h.loss_batch(params, X, Y), value)
        assert grads[name].shape == value.shape
        assert h.relative_error(grads[name], numeric) < 1e-7, name


@pytest.mark.parametrize("sizes,n,seed", CASES)
def test_backward_batch_is_the_mean_of_per_sample_graph_gradients(sizes, n, seed):
    params, X, Y = batch_case(sizes, n, seed)
    per_sample = {k: v.T if k.startswith("W") else v[None, :].T for k, v in params.items()}
    per_sample = {k: np.ascontiguousarray(v) for k, v in per_sample.items()}
    total = {k: 0.0 for k in params}
    for x, y in zip(X, Y, strict=True):
        graph = h.course_graph(per_sample, x[:, None], y[:, None])
        for k in params:
            total[k] = total[k] + graph.gradient(k)
    expected = h.to_batched({k: v / n for k, v in total.items()})
    for k, g in h.backward_batch(params, X, Y).items():
        assert h.relative_error(g, expected[k]) < 1e-12, k


def test_loss_batch_matches_per_sample_average():
    params, X, Y = batch_case((4, 5, 3, 2), 6, 5)
    column = {k: (v.T if k.startswith("W") else v[:, None]) for k, v in params.items()}
    mean = np.mean([h.forward_sample(column, x[:, None], y[:, None])["J"] for x, y in zip(X, Y, strict=True)])
    assert h.loss_batch(params, X, Y) == pytest.approx(mean, rel=1e-13)


def test_to_batched_transposes():
    params = h.init_params((4, 5, 2), seed=0)
    b = h.to_batched(params)
    assert b["W0"].shape == (4, 5) and b["b0"].shape == (5,)
    assert np.array_equal(b["W1"], params["W1"].T)


def test_batched_bad_input():
    params, X, Y = batch_case((4, 5, 3, 2), 8, 0)
    with pytest.raises(ValueError, match="^y must have shape"):
        h.backward_batch(params, X, Y[:5])
    with pytest.raises(ValueError, match="^x must have 4 columns"):
        h.backward_batch(params, X[:, :3], Y)
    with pytest.raises(ValueError, match="^x must have 2 dimension"):
        h.loss_batch(params, X[0], Y)
    with pytest.raises(ValueError, match="^x must hold at least one sample"):
        h.forward_batch(params, X[:0])
    with pytest.raises(ValueError, match="^params: W1 has 5 rows but layer 0 has 6"):
        h.backward_batch({**params, "W0": np.ones((4, 6)), "b0": np.ones(6)}, X, Y)
    with pytest.raises(ValueError, match="^params must hold"):
        h.backward_batch({"W0": params["W0"], "c0": params["b0"]}, X, Y)
    with pytest.raises(ValueError, match="^x must contain only finite"):
        h.backward_batch(params, np.full_like(X, np.nan), Y)


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


def test_kink_margin():
    params = h.to_batched(h.init_params((2, 3, 1), seed=0))
    X = np.array([[0.5, -1.0], [2.0, 0.3]])
    z = X @ params["W0"] + params["b0"]
    assert h.kink_margin(params, X) == pytest.approx(np.abs(z).min())
    assert h.kink_margin(h.to_batched(h.init_params((2, 1))), X) == np.inf  # no hidden layer, no kink
