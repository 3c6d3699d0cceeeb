"""Notebook 04's lesson code (its #@save cells, in coursekit.lessons.momentum) and the safe loop h.optimize."""

import math
import warnings

import numpy as np
import pytest

import helpers as h
from coursekit.lessons.momentum import METHODS, Method, char_poly, convergence_rate, spectral_radius, stability_limit
from coursekit.quadratic import BLOWUP, quadratic_loss

LAM = np.array(h.LAMBDAS_1_99)
X0 = h.seeded_start()


def simulate(method, eta, beta, steps, x0=X0):
    return h.optimize(METHODS[method].rule, x0, eta, beta, steps, LAM)


def theory(method, eta, beta):
    return convergence_rate(method, eta, beta, LAM)


def test_contours_loss_is_the_course_function():
    x = np.array([0.3, -0.7])
    assert quadratic_loss(x, LAM) == pytest.approx(x[0] ** 2 + 99 * x[1] ** 2)


def test_rules_step_as_written():
    def grad(v):
        return LAM * v

    x, x_prev = np.array([0.4, -0.2]), np.array([0.5, 0.1])
    assert np.allclose(METHODS["gd"].rule(x, x_prev, grad, 0.01, 0.9), x - 0.01 * LAM * x)
    assert np.allclose(METHODS["momentum"].rule(x, x_prev, grad, 0.01, 0.9), x - 0.01 * LAM * x + 0.9 * (x - x_prev))
    look = x + 0.9 * (x - x_prev)
    assert np.allclose(METHODS["nesterov"].rule(x, x_prev, grad, 0.01, 0.9), look - 0.01 * LAM * look)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("eta,beta", [(0.001, 0.0), (0.005, 0.3), (0.007, 0.5), (0.004, 0.9)])
def test_predicted_rate_matches_simulation(method, eta, beta):
    run = simulate(method, eta, beta, 800)
    assert not run.diverged
    assert h.measured_rate(run.path) == pytest.approx(theory(method, eta, beta), rel=1e-2)


def companion_matrix(method, eta, beta, lam):
    """The matrix that advances (e_t, e_{t-1}) by one step, read off the method's rule on one curvature: the rule
    is linear, so its first row holds the steps from (e_t, e_{t-1}) = (1, 0) and (0, 1)."""
    def step(e, e_prev):
        return METHODS[method].rule(np.array([e]), np.array([e_prev]), lambda v: lam * v, eta, beta)[0]
    return [[step(1.0, 0.0), step(0.0, 1.0)], [1.0, 0.0]]


def test_rate_formula_matches_companion_matrix():
    """The theory in each record (b, c) against the record's own rule, for every method there is."""
    rng = np.random.default_rng(2)
    for method in METHODS:
        for eta, beta, lam in rng.uniform([1e-4, 0, 0.5], [0.05, 0.999, 250], size=(50, 3)):
            expected = np.abs(np.linalg.eigvals(companion_matrix(method, eta, beta, lam))).max()
            assert spectral_radius(method, eta, beta, lam) == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_an_unknown_method_fails_by_name():
    for theory_of in (lambda m: char_poly(m, 0.01, 0.9, 2.0), lambda m: stability_limit(m, 0.9, 198.0),
                      lambda m: convergence_rate(m, 0.01, 0.9, LAM)):
        with pytest.raises(KeyError, match="adam"):
            theory_of("adam")


def test_a_new_method_is_one_record(monkeypatch):
    """A record added to METHODS reaches the theory, the explorer's menu and its rate map, with nothing else."""
    heavy = METHODS["momentum"]
    monkeypatch.setitem(METHODS, "heavy2", Method("heavy ball again", heavy.rule, heavy.b, heavy.c))
    assert stability_limit("heavy2", 0.9, 198.0) == stability_limit("momentum", 0.9, 198.0)
    explorer = h.momentum_explorer(X0, methods=dict(METHODS), method="heavy2")
    assert ("heavy ball again", "heavy2") in explorer.controls["method"].options
    np.testing.assert_array_equal(explorer.maps["heavy2"], explorer.maps["momentum"])
    assert explorer.text.startswith("heavy ball again, η = 0.01000")
    assert explorer.state["measured"] == h.momentum_explorer(X0, methods=dict(METHODS)).state["measured"]


def test_stability_limits_as_stated():
    """Notebook 04's closed forms, 2, 2 (1 + beta) and 2 (1 + beta) / (1 + 2 beta) over lam_max."""
    betas = np.linspace(0, 0.999, 11)
    np.testing.assert_allclose(stability_limit("gd", betas, 198.0), 2 / 198, rtol=1e-12)
    np.testing.assert_allclose(stability_limit("momentum", betas, 198.0), 2 * (1 + betas) / 198, rtol=1e-12)
    np.testing.assert_allclose(stability_limit("nesterov", betas, 198.0), 2 * (1 + betas) / (1 + 2 * betas) / 198,
                               rtol=1e-12)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("beta", [0.0, 0.3, 0.9, 0.99])
def test_stability_limit_is_where_rate_reaches_one(method, beta):
    limit = stability_limit(method, beta, LAM.max())
    assert theory(method, limit * 0.999, beta) < 1
    assert theory(method, limit * 1.001, beta) > 1
    assert not simulate(method, limit * 0.99, beta, 5000).diverged
    assert simulate(method, limit * 1.01, beta, 5000).diverged


def test_gd_optimum_is_exactly_point_zero_one():
    grid = np.linspace(0.001, 0.0101, 20001)
    assert grid[np.argmin(theory("gd", grid, 0.0))] == pytest.approx(2 / (2 + 198), abs=1e-6)
    assert theory("gd", 0.01, 0.0) == pytest.approx(0.98, abs=1e-15)


def test_heavy_ball_optimum_beats_every_grid_point():
    s, r = math.sqrt(198), math.sqrt(2)
    eta, beta = 4 / (s + r) ** 2, ((s - r) / (s + r)) ** 2
    assert theory("momentum", eta, beta) == pytest.approx(math.sqrt(beta), rel=1e-6)
    etas, betas = np.meshgrid(np.linspace(0.005, 0.03, 301), np.linspace(0, 0.99, 301))
    assert theory("momentum", etas, betas).min() >= math.sqrt(beta) - 1e-9
    assert h.measured_rate(simulate("momentum", eta, beta, 400).path) == pytest.approx(math.sqrt(beta), rel=1e-2)


def test_momentum_at_eta_002_needs_beta_above_098():
    assert stability_limit("momentum", 0.98, 198) == pytest.approx(0.02)
    assert simulate("momentum", 0.02, 0.975, 20000).diverged
    assert not simulate("momentum", 0.02, 0.985, 20000).diverged
    assert simulate("momentum", 0.02, 0.9, 300).diverged  # the seed's setting


def test_seed_experiment():
    assert simulate("gd", 0.02, 0.0, 300).diverged
    gd, hb = simulate("gd", 0.01, 0.0, 300), simulate("momentum", 0.01, 0.9, 300)
    assert not gd.diverged and not hb.diverged
    assert gd.losses[-1] / hb.losses[-1] > 1e6


def test_divergence_is_detected_without_overflow():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = simulate("momentum", 0.04, 0.999, 100000)
    assert run.diverged and run.diverged_at == len(run.path) - 1
    assert np.all(np.isfinite(run.path))
    assert run.losses[-1] > BLOWUP * run.losses[0] >= run.losses[-2]


def test_a_rule_that_overflows_is_reported_not_warned():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = h.optimize(lambda x, x_prev, grad, eta, beta: x * 1e200, X0, 0.01, 0.0, 10, LAM)
    assert run.diverged_at == 1


def test_steps_per_decade():
    assert h.steps_per_decade(0.1) == pytest.approx(1.0) and isinstance(h.steps_per_decade(0.1), float)
    assert h.steps_per_decade(0.98) == pytest.approx(-1 / math.log10(0.98))
    assert h.steps_per_decade(1.0) == h.steps_per_decade(1.5) == h.steps_per_decade(2.0) == math.inf  # never
    assert h.steps_per_decade(0) == h.steps_per_decade(0.0) == pytest.approx(1 / 300)  # at once (10^-300 a step)
    rates = h.steps_per_decade(np.array([0, 0.1, 1]))  # a map of rates, as the explorer's, stays an array
    assert isinstance(rates, np.ndarray) and rates.tolist() == pytest.approx([1 / 300, 1.0, math.inf])
    for bad in (-0.1, math.nan):
        with pytest.raises(ValueError, match="^rate must be >= 0"):
            h.steps_per_decade(bad)


def test_the_loss_of_integer_points_does_not_overflow_and_a_four_step_path_has_a_rate():
    assert quadratic_loss(np.array([4_000_000_000, 0]), LAM) == pytest.approx(0.5 * LAM[0] * 1.6e19)
    assert h.measured_rate(0.5 ** np.arange(4)[:, None] * np.ones((4, 2))) == pytest.approx(0.5)


def test_the_contours_mark_the_minimum_and_frame_what_they_are_asked():
    from matplotlib.figure import Figure

    with pytest.raises(ValueError) as error:
        h.draw_quadratic_contours("axes", LAM)
    assert str(error.value) == "ax must be a matplotlib Axes, got str"
    ax = Figure().add_subplot()
    h.draw_quadratic_contours(ax, LAM, xlim=(-2, 3), ylim=(-1, 0.5))
    assert ax.get_xlim() == (-2, 3) and ax.get_ylim() == (-1, 0.5)
    assert ax.collections[0].get_cmap().name == "viridis"
    (star,) = ax.lines
    assert star.get_label() == "minimum" and star.get_marker() == "*" and star.get_linestyle() == "None"
    assert star.get_xydata().tolist() == [[0, 0]] and star.get_zorder() == 5


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: h.optimize("adam", X0, 0.01, 0.9, 10, LAM), "rule"),
        (lambda: simulate("gd", 0.0, 0.9, 10), "eta"),
        (lambda: simulate("gd", -0.1, 0.9, 10), "eta"),
        (lambda: simulate("gd", float("nan"), 0.9, 10), "eta"),
        (lambda: simulate("momentum", 0.01, 1.0, 10), "beta"),
        (lambda: simulate("momentum", 0.01, -0.1, 10), "beta"),
        (lambda: simulate("gd", 0.01, 0.0, 0), "steps"),
        (lambda: simulate("gd", 0.01, 0.0, 2.5), "steps"),
        (lambda: simulate("gd", 0.01, 0.0, 10, [1.0, 2.0, 3.0]), "x0"),
        (lambda: h.optimize(METHODS["gd"].rule, X0, 0.01, 0.0, 10, [2.0, -1.0]), "lambdas"),
        (lambda: h.measured_rate(np.zeros(5)), "path"),
        (lambda: quadratic_loss(np.zeros(3), LAM), "x"),
        (lambda: h.steps_per_decade(-0.5), "rate"),
        (lambda: h.draw_quadratic_contours("not an axes", LAM), "ax"),
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
    with pytest.raises(ValueError, match="^rtol"):
        h.check_answer("ex", 0.0417, 2 / 48, rtol="loose")


def test_measured_rate_fits_the_tail():
    """A run that first falls fast (factor 0.5 per step) and then slowly (0.9): the rate is the tail's."""
    t = np.arange(200)
    norms = np.where(t < 60, 0.5**t, 0.5**60 * 0.9 ** (t - 60))
    path = np.column_stack([norms, np.zeros_like(norms)])
    assert h.measured_rate(path) == pytest.approx(0.9, rel=1e-9)


@pytest.mark.parametrize("method", ["gd", "momentum", "nesterov"])
def test_char_poly_broadcasts_over_curvatures_as_float_arrays(method):
    from coursekit.lessons.momentum import char_poly

    lam = np.array([[2.0, 50.0, 198.0]])
    b, c = char_poly(method, 0.01, 0.9, lam)
    assert b.shape == c.shape == lam.shape and b.dtype == c.dtype == np.float64


def plain_gd(x, x_prev, grad, eta, beta):
    return x - eta * grad(x)


@pytest.mark.parametrize(("lambdas", "message"), [
    ([[1.0, 99.0]], "lambdas must have 1 dimension(s), got shape (1, 2)"),
    ([0.0, 99.0], "lambdas must be a non-empty list of positive curvatures"),
    ([], "lambdas must be a non-empty list of positive curvatures"),
])
def test_curvatures_are_one_axis_of_positive_numbers(lambdas, message):
    with pytest.raises(ValueError) as error:
        quadratic_loss(np.zeros(2), lambdas)
    assert str(error.value) == message


def test_one_curvature_and_one_step_are_enough():
    assert quadratic_loss([2.0], [3.0]) == 6.0
    run = h.optimize(plain_gd, [1.0], 0.1, 0.0, 1, [3.0])
    assert run.path.tolist() == [[1.0], [0.7]] and not run.diverged


def test_a_run_diverges_relative_to_its_own_small_start_and_a_rule_that_makes_nan_warns_nothing():
    """The limit is BLOWUP times the start's loss however small it is; a rule whose arithmetic overflows and
    then subtracts infinities (nan) is a diverged run, not a warning."""
    tiny = h.optimize(lambda x, x_prev, grad, eta, beta: 10 * x, [1e-6, 1e-6], 0.01, 0.0, 20, LAM)
    assert tiny.diverged_at == 4  # its loss 1e-2 at step 4 is the first past BLOWUP = 1e6 times 1e-10
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nan = h.optimize(lambda x, x_prev, grad, eta, beta: x * 1e308 * 10 - x * 1e308 * 10, X0, 0.01, 0.0, 5, LAM)
    assert nan.diverged and nan.diverged_at == 1


def test_a_rate_needs_four_iterates_and_is_zero_once_the_run_reaches_the_minimum():
    with pytest.raises(ValueError) as error:
        h.measured_rate(np.ones((3, 2)))
    assert str(error.value) == "path must hold at least 4 iterates to measure a rate"
    assert h.measured_rate([[1.0, 1.0], [0.5, 0.5], [0.0, 0.0], [0.0, 0.0]]) == 0.0
    assert h.measured_rate([[1.0, 1.0], [1.0, 1.0], [0.5, 0.5], [0.0, 0.0]]) == 0.0
