"""Unit tests of notebook 04's formulas in helpers.py: rates, limits, optima."""

import math

import numpy as np
import pytest

import helpers as h

LAM = np.array(h.LAMBDAS_1_99)
X0 = h.seeded_start()


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(1)
    for lam in ([2.0, 198.0], rng.uniform(0.1, 10, size=4)):
        x = rng.normal(size=len(lam))
        eps = 1e-6
        fd = [
            (h.quadratic_loss(x + eps * e, lam) - h.quadratic_loss(x - eps * e, lam)) / (2 * eps)
            for e in np.eye(len(lam))
        ]
        np.testing.assert_allclose(h.quadratic_grad(x, lam), fd, rtol=1e-7)


def test_loss_is_the_course_function():
    x = np.array([0.3, -0.7])
    assert h.quadratic_loss(x) == pytest.approx(x[0] ** 2 + 99 * x[1] ** 2)


@pytest.mark.parametrize("method", h.METHODS)
@pytest.mark.parametrize("eta,beta", [(0.001, 0.0), (0.005, 0.3), (0.007, 0.5), (0.004, 0.9)])
def test_predicted_rate_matches_simulation(method, eta, beta):
    run = h.optimize(method, eta, beta, 800, X0)
    assert not run.diverged
    assert h.measured_rate(run.path) == pytest.approx(h.convergence_rate(method, eta, beta), rel=1e-2)


def test_rate_formula_matches_companion_matrix():
    rng = np.random.default_rng(2)
    for method in h.METHODS:
        for eta, beta, lam in rng.uniform([1e-4, 0, 0.5], [0.05, 0.999, 250], size=(50, 3)):
            if method == "gd":
                matrix = [[1 - eta * lam]]
            elif method == "momentum":
                matrix = [[1 + beta - eta * lam, -beta], [1, 0]]
            else:
                matrix = [[(1 + beta) * (1 - eta * lam), -beta * (1 - eta * lam)], [1, 0]]
            expected = np.abs(np.linalg.eigvals(matrix)).max()
            assert h.spectral_radius(method, eta, beta, lam) == pytest.approx(expected, rel=1e-9, abs=1e-12)


@pytest.mark.parametrize("method", h.METHODS)
@pytest.mark.parametrize("beta", [0.0, 0.3, 0.9, 0.99])
def test_stability_limit_is_where_rate_reaches_one(method, beta):
    limit = h.stability_limit(method, beta, LAM.max())
    assert h.convergence_rate(method, limit * 0.999, beta) < 1
    assert h.convergence_rate(method, limit * 1.001, beta) > 1
    assert not h.optimize(method, limit * 0.99, beta, 5000, X0).diverged
    assert h.optimize(method, limit * 1.01, beta, 5000, X0).diverged


def test_gd_optimum_is_exactly_point_zero_one():
    eta, rate = h.best_gd(2, 198)
    assert eta == pytest.approx(0.01, abs=1e-15)
    assert rate == pytest.approx(0.98, abs=1e-15)
    grid = np.linspace(0.001, 0.0101, 20001)
    assert grid[np.argmin(h.convergence_rate("gd", grid, 0.0))] == pytest.approx(0.01, abs=1e-6)


def test_heavy_ball_optimum():
    eta, beta, rate = h.best_heavy_ball(2, 198)
    assert (round(eta, 4), round(beta, 3), round(rate, 3)) == (0.0167, 0.668, 0.817)
    assert h.convergence_rate("momentum", eta, beta) == pytest.approx(rate, rel=1e-6)
    etas, betas = np.meshgrid(np.linspace(0.005, 0.03, 301), np.linspace(0, 0.99, 301))
    assert h.convergence_rate("momentum", etas, betas).min() >= rate - 1e-9
    run = h.optimize("momentum", eta, beta, 400, X0)
    assert h.measured_rate(run.path) == pytest.approx(rate, rel=1e-2)


def test_momentum_at_eta_002_needs_beta_above_098():
    assert h.stability_limit("momentum", 0.98, 198) == pytest.approx(0.02)
    assert h.optimize("momentum", 0.02, 0.975, 20000, X0).diverged
    assert not h.optimize("momentum", 0.02, 0.985, 20000, X0).diverged
    assert h.optimize("momentum", 0.02, 0.9, 300, X0).diverged  # the seed's setting


def test_seed_experiment():
    assert h.optimize("gd", 0.02, 0.0, 300, X0).diverged
    gd = h.optimize("gd", 0.01, 0.0, 300, X0)
    hb = h.optimize("momentum", 0.01, 0.9, 300, X0)
    assert not gd.diverged and not hb.diverged
    assert gd.losses[-1] / hb.losses[-1] > 1e6


def test_divergence_is_detected_without_overflow():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = h.optimize("momentum", 0.04, 0.999, 100000, X0)
    assert run.diverged and run.diverged_at == len(run.path) - 1
    assert np.all(np.isfinite(run.path))
    assert run.losses[-1] > h.BLOWUP * run.losses[0] >= run.losses[-2]


def test_steps_per_decade():
    assert h.steps_per_decade(0.1) == pytest.approx(1.0)
    assert h.steps_per_decade(0.98) == pytest.approx(-1 / math.log10(0.98))
    assert np.isinf(h.steps_per_decade(1.0)) and np.isinf(h.steps_per_decade(2.0))


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: h.optimize("adam", 0.01, 0.9, 10, X0), "method"),
        (lambda: h.optimize("gd", 0.0, 0.9, 10, X0), "eta"),
        (lambda: h.optimize("gd", -0.1, 0.9, 10, X0), "eta"),
        (lambda: h.optimize("gd", float("nan"), 0.9, 10, X0), "eta"),
        (lambda: h.optimize("momentum", 0.01, 1.0, 10, X0), "beta"),
        (lambda: h.optimize("momentum", 0.01, -0.1, 10, X0), "beta"),
        (lambda: h.optimize("gd", 0.01, 0.0, 0, X0), "steps"),
        (lambda: h.optimize("gd", 0.01, 0.0, 2.5, X0), "steps"),
        (lambda: h.optimize("gd", 0.01, 0.0, 10, [1.0, 2.0, 3.0]), "x0"),
        (lambda: h.optimize("gd", 0.01, 0.0, 10, X0, lambdas=[2.0, -1.0]), "lambdas"),
        (lambda: h.spectral_radius("gd", 0.0, 0.5, 2.0), "eta"),
        (lambda: h.spectral_radius("momentum", 0.01, 1.5, 2.0), "beta"),
        (lambda: h.stability_limit("momentum", 1.0, 198), "beta"),
        (lambda: h.stability_limit("momentum", 0.5, 0), "lam_max"),
        (lambda: h.best_gd(0, 198), "lam_min"),
        (lambda: h.best_heavy_ball(2, 1), "lam_max"),
        (lambda: h.measured_rate(np.zeros(5)), "path"),
        (lambda: h.quadratic_loss(np.zeros(3)), "x"),
        (lambda: h.momentum_explorer([1.0, 2.0, 3.0]), "x0"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()


def test_check_answer():
    h.check_answer("ex", ..., 1.0)  # not answered: no failure
    h.check_answer("ex", 0.0417, 2 / 48)
    with pytest.raises(AssertionError, match="hint text"):
        h.check_answer("ex", 0.05, 2 / 48, hint="hint text")
    with pytest.raises(AssertionError):
        h.check_answer("ex", "0.0417", 2 / 48)
