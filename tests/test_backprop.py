"""The course's own per-sample model and backward pass (notebook 02's #@save cells, coursekit.lessons.backprop):
the version a student's cells fall back to, checked against finite differences."""

import numpy as np
import pytest

import helpers as h
from coursekit.lessons.backprop import backward_sample, forward_sample, relu_prime


def network(seed, sizes=(4, 5, 3, 2)):
    rng = np.random.default_rng(seed)
    return h.init_params(sizes, seed=seed), rng.normal(size=(sizes[0], 1)), rng.normal(size=(sizes[-1], 1))


def test_relu_prime_is_one_above_zero_and_zero_at_and_below_it():
    z = np.array([[-2.0], [-1e-300], [0.0], [1e-300], [3.0]])
    assert relu_prime(z).dtype == float and relu_prime(z).ravel().tolist() == [0, 0, 0, 1, 1]


def test_forward_sample_computes_each_layer():
    params, x, y = network(0)
    z1, a1, z2, a2, f, J = forward_sample(params, x, y)
    assert np.allclose(z1, params["W0"] @ x + params["b0"]) and np.array_equal(a1, np.where(z1 > 0, z1, 0))
    assert np.allclose(z2, params["W1"] @ a1 + params["b1"]) and np.array_equal(a2, np.where(z2 > 0, z2, 0))
    assert np.allclose(f, params["W2"] @ a2 + params["b2"])
    assert J == pytest.approx(0.5 * sum((fi - yi) ** 2 for fi, yi in zip(f.ravel(), y.ravel(), strict=True)))


@pytest.mark.parametrize("seed", [0, 1, 2, 4])  # networks with no dead layer: every gradient is nonzero
def test_backward_sample_matches_finite_differences(seed):
    params, x, y = network(seed, sizes=(3, 6, 4, 2))
    grads = backward_sample(params, x, y)
    values = {**params, "x": x, "y": y}
    assert sorted(grads) == sorted(values)
    for name, value in values.items():
        numeric = h.numeric_gradient(lambda: forward_sample(params, x, y)[-1], value)
        assert grads[name].shape == value.shape
        assert h.relative_error(grads[name], numeric) < 1e-7, name
        assert np.abs(grads[name]).max() > 0, f"{name}: a zero gradient would prove nothing"
