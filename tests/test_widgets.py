"""Widget tests without a browser: drive every explorer's controls, check the figure."""

import warnings

import numpy as np
import pytest

import helpers as h

X0 = h.seeded_start()


def drive(explorer, settings):
    """Apply each setting; after each, the explorer must show a new, consistent figure."""
    for setting in settings:
        before_png, before_updates = explorer.png, explorer.updates
        old_values = explorer.values()
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # any warning fails the test
            if len(setting) == 1:
                (name, value), = setting.items()
                explorer.controls[name].value = value  # as a slider move does
            else:
                explorer.set(**setting)
        if explorer.values() == old_values:
            assert explorer.updates <= before_updates + 1
            continue  # the setting equalled the current one: nothing new to see
        assert explorer.png != before_png, f"figure did not change for {setting}"
        assert explorer.png.startswith(b"\x89PNG")
        (shown,) = explorer.figure_output.outputs
        assert shown["data"]["text/plain"] == explorer.text


@pytest.fixture
def momentum():
    return h.momentum_explorer(X0)


def test_set_rejects_unknown_controls(momentum):
    with pytest.raises(ValueError, match="^values"):
        momentum.set(gamma=0.5)


def test_momentum_default_state(momentum):
    assert momentum.text.startswith("heavy-ball momentum, η = 0.01000, β = 0.900: predicted rate 0.9487")
    assert momentum._repr_mimebundle_()["text/plain"] == momentum.text
    assert momentum.static_figure()._repr_mimebundle_()["text/plain"] == momentum.text


def test_momentum_extremes_and_random_settings(momentum):
    rng = np.random.default_rng(0)
    e = momentum
    eta_min, eta_max = e.choices("eta")
    settings = [
        {"method": "gd", "beta": 0.0, "eta": eta_max},
        {"method": "momentum", "beta": 0.0, "eta": eta_max},
        {"method": "momentum", "beta": 0.999, "eta": eta_max},
        {"method": "nesterov", "beta": 0.999, "eta": eta_min, "steps": e.controls["steps"].max},
        {"method": "gd", "eta": eta_min, "steps": e.controls["steps"].min},
    ]
    for name in e.controls:
        settings += [{name: value} for value in e.choices(name)]
    settings += [{name: e.random_value(name, rng) for name in e.controls} for _ in range(100)]
    settings += [{name: e.random_value(name, rng)} for name in rng.choice(list(e.controls), 100)]
    assert len(settings) >= 200
    drive(momentum, settings)


def test_momentum_title_reports_divergence(momentum):
    momentum.controls["method"].value = "gd"
    momentum.controls["eta"].value = 0.02
    run = momentum.state["run"]
    assert run.diverged
    assert f"diverged at step {run.diverged_at}" in momentum.text
    assert f"diverged at step {run.diverged_at}" in momentum.title.get_text()


def test_momentum_title_states_rates(momentum):
    momentum.controls["eta"].value = 0.005
    s = momentum.state
    assert f"predicted rate {s['predicted']:.4f}" in momentum.text
    assert f"measured {s['measured']:.4f}" in momentum.text
    assert abs(s["measured"] - s["predicted"]) < 0.01


@pytest.mark.parametrize("factory", ["graph", "training", "conv"])
def test_other_explorers_extremes_and_random_settings(factory):
    if factory == "graph":
        rng = np.random.default_rng(1)
        graph = h.course_graph(h.init_params((4, 5, 3, 2), seed=2), rng.normal(size=(4, 1)), rng.normal(size=(2, 1)))
        explorer = h.graph_explorer(graph)
    elif factory == "training":
        explorer = h.training_explorer()
    else:
        explorer = h.conv_explorer()
    rng = np.random.default_rng(0)
    settings = [{name: value} for name in explorer.controls for value in explorer.choices(name)]
    settings += [{name: explorer.random_value(name, rng) for name in explorer.controls} for _ in range(30)]
    settings += [{name: explorer.random_value(name, rng)} for name in rng.choice(list(explorer.controls), 40)]
    drive(explorer, settings)


def test_training_explorer_reports_divergence_in_words():
    explorer = h.training_explorer()
    explorer.controls["lr"].value = 1.0
    run = explorer.state["run"]
    assert run.diverged and f"diverged at epoch {run.diverged_at}" in explorer.text
    assert explorer.diverged_text.get_visible() and not explorer.fit_line.get_visible()
    explorer.controls["lr"].value = 0.05
    assert "training loss 7.022 → 0.0914, test loss 0.1030" in explorer.text
    assert not explorer.diverged_text.get_visible()


def test_conv_explorer_measures_on_the_predicted_curve():
    explorer = h.conv_explorer()
    assert explorer.state["measured"] == explorer.state["predicted"] == 6.0
    for kernel in h.KERNELS:
        for direction in h.STRIPE_DIRECTIONS:
            explorer.set(kernel=kernel, direction=direction, period=4.0)
            s = explorer.state
            assert s["measured"] <= s["predicted"] + 1e-9, (kernel, direction)
    explorer.set(kernel="k1 (second derivative across axis 0)", direction="axis 1", period=2.0)
    assert explorer.state["measured"] < 1e-12 and "max |output| 0.000" in explorer.text


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: h.momentum_explorer(eta=0.5), "eta"),
        (lambda: h.momentum_explorer(beta=1.0), "beta"),
        (lambda: h.momentum_explorer(steps=5), "steps"),
        (lambda: h.momentum_explorer(method="adam"), "method"),
        (lambda: h.training_explorer(lr=5.0), "lr"),
        (lambda: h.training_explorer(hidden=1), "hidden"),
        (lambda: h.conv_explorer(period=1), "period"),
        (lambda: h.conv_explorer(kernel="blur"), "kernel"),
        (lambda: h.graph_explorer("not a graph"), "graph"),
        (lambda: h.graph_explorer(h.Graph()), "graph"),
        (lambda: h.rgba_png(np.zeros((4, 4))), "rgba"),
        (lambda: h.steps_per_decade(-0.5), "rate"),
    ],
)
def test_explorer_factories_check_their_arguments(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()
