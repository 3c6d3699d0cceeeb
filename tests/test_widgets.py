"""Widget tests without a browser: drive every explorer's controls, check the figure."""

import asyncio
import time
import warnings
from types import SimpleNamespace

import ipywidgets as widgets
import numpy as np
import pytest
from matplotlib.transforms import Bbox
from page import decoded, img, shown

import helpers as h
from coursekit.explorer import FILL_PAUSE_S, SLIDER_NAMES_JS, Explorer, _drawn_box, decade_label, new_figure
from coursekit.figures import img_html
from coursekit.lessons.conv import conv2d
from coursekit.lessons.momentum import METHODS, Method
from coursekit.lessons.training import backward_batch, forward_batch
from coursekit.png import rgba_png

X0 = h.seeded_start()
ENTRIES = {entry.notebook: entry for entry in h.EXPLORERS}


def with_rule(key, rule):
    """Notebook 04's records, with one method's rule replaced (as a student's edit of section 2 does)."""
    course = METHODS[key]
    return {**METHODS, key: Method(course.name, rule, course.b, course.c)}


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
        if explorer.png == before_png:  # a change too small to see (β under GD, by less than a pixel of the map):
            redrawn = explorer.full_redraw()  # the picture must still be the new setting's
            assert np.any(decoded(explorer.png) != redrawn, axis=2).mean() <= 0.0003, f"stale for {setting}"
            assert setting.keys() == {"beta"} and explorer.state["method"] == "gd", f"no change for {setting}"
        assert explorer.png.startswith(b"\x89PNG")
        picture, *rest = shown(explorer)
        assert np.array_equal(picture, decoded(explorer.png))
        assert rest == [*explorer.fig.canvas.get_width_height(), explorer.text]


@pytest.fixture
def momentum():
    return ENTRIES["04_gd_vs_momentum"].build()


def test_set_rejects_unknown_controls(momentum):
    with pytest.raises(ValueError, match="^values"):
        momentum.set(gamma=0.5)


def test_momentum_default_state(momentum):
    assert momentum.text.startswith("heavy-ball momentum, η = 0.01000, β = 0.900, 300 steps\npredicted rate 0.9487")
    assert momentum._repr_mimebundle_()["text/plain"] == momentum.text
    static = momentum.static_figure()._repr_mimebundle_()
    said = momentum.text + "\nFigure: the path, from the red ■ to the minimum ★ (x: x₁; y: x₂). the loss at each step"
    assert static["text/plain"].startswith(said) and static["text/html"] == img_html(momentum.png, static["text/plain"])
    graph = ENTRIES["01_computing_graph"].build()
    assert graph.static_figure().text == graph.text  # no titles or labels: its text alone says it


def test_an_explorer_names_its_sliders_in_the_page_before_it_shows(momentum, monkeypatch):
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda obj, raw=False: shown.append((obj, raw)))
    momentum._ipython_display_()
    (script, raw_script), (bundle, raw_bundle) = shown
    assert raw_script and raw_bundle and script == {"application/javascript": SLIDER_NAMES_JS, "text/plain": ""}
    assert bundle == momentum._repr_mimebundle_() and "application/vnd.jupyter.widget-view+json" in bundle
    for said in ("'aria-label', label", "'aria-valuetext', readout", "new MutationObserver(name)",
                 "setAttribute('aria-live', 'polite')", "said.textContent = text"):
        assert said in SLIDER_NAMES_JS


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
    drive(momentum, settings)
    assert e.state["method"] == e.controls["method"].value and e.text == e.describe(e.state)


def test_momentum_title_reports_divergence(momentum):
    momentum.controls["method"].value = "gd"
    momentum.controls["eta"].value = 0.02
    run = momentum.state["run"]
    assert run.diverged and momentum.state["measured"] is None  # no rate is read off a path that blew up
    assert f"diverged at step {run.diverged_at}" in momentum.text
    assert f"diverged at step {run.diverged_at}" in momentum.title.get_text()


def test_momentum_title_states_rates(momentum):
    momentum.controls["eta"].value = 0.005
    s = momentum.state
    assert f"predicted rate {s['predicted']:.4f}" in momentum.text
    assert f"measured {s['measured']:.4f}" in momentum.text
    assert abs(s["measured"] - s["predicted"]) < 0.01


def test_momentum_path_shows_the_valley_in_its_true_shape(momentum):
    """Equal axes: one unit of x1 and of x2 span as many pixels, so the level sets of x1^2 + 99 x2^2 are drawn
    as ellipses about 10 times as long as wide; the frame still holds the start."""
    ax = momentum.axes[0]
    assert ax.get_aspect() == 1.0
    (x0, y0), (x1, y1) = ax.transData.transform([(0, 0), (1, 1)])
    assert x1 - x0 == pytest.approx(y1 - y0, rel=1e-6)
    (left, right), (bottom, top) = ax.get_xlim(), ax.get_ylim()
    assert left < X0[0] < right and bottom < X0[1] < top
    box = ax.get_window_extent()
    assert box.height > 0.8 * momentum.axes[1].get_window_extent().height  # not a thin strip


def test_momentum_panels_are_titled_and_the_start_is_the_red_square_they_name(momentum):
    from matplotlib.colors import to_rgb

    path, loss, rate_map = momentum.axes
    assert "loss" in loss.get_title() and "step" in loss.get_title()
    assert "red ■" in path.get_title() and momentum.start.get_marker() == "s"
    assert "red ●" in rate_map.get_title() and momentum.marker.get_marker() == "o"
    for marker in (momentum.start, momentum.marker):
        red, green, blue = to_rgb(marker.get_color())
        assert red > 0.75 and green < 0.25 and blue < 0.25, marker.get_color()


def test_the_kernel_list_is_wide_enough_for_its_longest_name():
    conv = ENTRIES["05_conv_kernels"].build()
    assert conv.controls["kernel"].layout.width == "380px"  # "Sobel (first derivative along axis 1)", whole


@pytest.mark.parametrize("entry", h.EXPLORERS, ids=lambda e: e.notebook)
def test_every_control_label_is_shown_whole(entry):
    """A widget's label box is 80 px by default, about 12 characters of JupyterLab's 13 px font, and a longer label
    is cut with an ellipsis: a control with a longer label asks for a box its own width."""
    for name, widget in entry.build().controls.items():
        if len(widget.description) > 12:
            assert widget.style.description_width == "initial", (name, widget.description)


def test_conv_response_is_drawn_against_the_period_the_slider_sets():
    """The response panel's x axis is the stripes' period, over the slider's range, and the measured point sits
    at the slider's value; the image panels name their axes (row, column) and the colours have a key."""
    explorer = ENTRIES["05_conv_kernels"].build()
    (low, high), (ax_in, ax_k, ax_out, ax_resp) = explorer.choices("period"), explorer.axes
    assert "period" in ax_resp.get_xlabel() and ax_resp.get_xlim() == (low, high) == (2, 12)
    for period in (low, 5.0, high):
        explorer.controls["period"].value = period
        x, y = explorer.curve.get_data()
        assert (x[0], x[-1]) == (low, high) and np.all(np.diff(x) > 0)
        assert explorer.point.get_data()[0][0] == period
        assert np.interp(period, x, y) == pytest.approx(explorer.state["predicted"], abs=0.02)
    for ax in (ax_in, ax_k, ax_out):
        assert "row" in ax.get_ylabel() and "column" in ax.get_xlabel()
    assert explorer.input_image.colorbar is not None and explorer.output_image.colorbar is not None
    assert all(text.get_text() for text in explorer.kernel_text)  # the kernel's weights are written: its key


def under_legend(ax, points):
    """The (x, y) data points that the legend of ``ax`` covers."""
    box = ax.get_legend().get_window_extent(ax.figure.canvas.get_renderer())
    x, y = ax.transData.transform(points).T
    return points[(box.x0 <= x) & (x <= box.x1) & (box.y0 <= y) & (y <= box.y1)]


def test_the_response_legend_covers_no_data():
    """For every kernel and direction, the predicted curve and the measured point at every period stay out of the
    legend's box (so the legend sits in the upper right, the first place matplotlib would pick)."""
    explorer = ENTRIES["05_conv_kernels"].build()
    periods = [value for _, value in explorer.controls["period"].options]
    for kernel in h.KERNELS:
        for direction in h.STRIPE_DIRECTIONS:
            explorer.set(kernel=kernel, direction=direction)
            measured = [explorer.compute(period=p, direction=direction, kernel=kernel)["measured"] for p in periods]
            curve = np.column_stack([explorer.periods, explorer.state["curve"]])
            covered = under_legend(explorer.axes[3], np.vstack([curve, np.column_stack([periods, measured])]))
            assert not len(covered), (kernel, direction, covered[:3])


def test_the_fit_legend_covers_no_data():
    """The training and test data, the true function and the network's fit at the default setting stay out of
    the fit panel's legend, in its upper left (the upper right holds data)."""
    explorer = ENTRIES["03_training_loop"].build()
    ax = explorer.axes[1]
    points = np.vstack([line.get_xydata() for line in ax.get_lines()])
    assert not len(under_legend(ax, points))
    assert len(points) > 400 and len(explorer.fit_line.get_xydata()) == 200


@pytest.mark.parametrize("entry", h.EXPLORERS, ids=lambda e: e.notebook)
def test_registered_explorers(entry):
    """The one list: each entry builds, names a real main control, and its test value moves it."""
    explorer = entry.build()
    assert list(explorer.controls)[0] == entry.main, "make e2e moves the first slider: the main control comes first"
    assert entry.test_value != explorer.controls[entry.main].value
    before = explorer.png
    explorer.controls[entry.main].value = entry.test_value
    assert explorer.controls[entry.main].value == entry.test_value and explorer.png != before


@pytest.mark.parametrize("entry", [e for e in h.EXPLORERS if e.notebook != "04_gd_vs_momentum"],
                         ids=lambda e: e.notebook)
def test_other_explorers_extremes_and_random_settings(entry):
    explorer = entry.build()
    rng = np.random.default_rng(0)
    settings = [{name: value} for name in explorer.controls for value in explorer.choices(name)]
    settings += [{name: explorer.random_value(name, rng) for name in explorer.controls} for _ in range(30)]
    settings += [{name: explorer.random_value(name, rng)} for name in rng.choice(list(explorer.controls), 40)]
    drive(explorer, settings)


def test_training_explorer_reports_divergence_in_words():
    explorer = ENTRIES["03_training_loop"].build()
    explorer.controls["lr"].value = 1.0
    run = explorer.state["run"]
    assert run.diverged and f"diverged at epoch {run.diverged_at}" in explorer.text
    assert explorer.diverged_text.get_visible() and not explorer.fit_line.get_visible()
    explorer.controls["lr"].value = 0.05  # its frame was kept: the figure still shows the last one drawn
    assert explorer.diverged_text.get_visible()
    explorer.draw(explorer.state)
    assert "training loss 7.022 → 0.0914 in 100 epochs, test loss 0.1030" in explorer.text
    assert not explorer.diverged_text.get_visible()
    # The curves end at the headline's numbers: the losses after the last update, at epoch 100.
    assert explorer.train_line.get_xdata()[-1] == 100
    assert explorer.train_line.get_ydata()[-1] == pytest.approx(0.0914, abs=5e-5)
    assert explorer.test_line.get_ydata()[-1] == pytest.approx(0.1030, abs=5e-5)


def test_conv_explorer_measures_on_the_predicted_curve():
    explorer = ENTRIES["05_conv_kernels"].build()
    assert explorer.state["measured"] == explorer.state["predicted"] == 6.0
    for kernel in h.KERNELS:
        for direction in h.STRIPE_DIRECTIONS:
            explorer.set(kernel=kernel, direction=direction, period=4.0)
            s = explorer.state
            assert s["measured"] <= s["predicted"] + 1e-9, (kernel, direction)
    explorer.set(kernel="k1 (second derivative along axis 0)", direction="axis 1", period=2.0)
    assert explorer.state["measured"] < 1e-12 and "max |output| 0.000" in explorer.text


# A student's edit of a lesson cell must show on the sliders: each explorer runs the functions it is given.


def test_momentum_explorer_runs_the_rules_it_is_given():
    def no_momentum(x, x_prev, grad, eta, beta):  # a wrong heavy ball: forgets beta (x_t - x_{t-1})
        return x - eta * grad(x)

    right = h.momentum_explorer(X0, methods=METHODS)
    wrong = h.momentum_explorer(X0, methods=with_rule("momentum", no_momentum))
    assert right.state["predicted"] == wrong.state["predicted"]  # the theory is the same
    assert abs(wrong.state["measured"] - 0.98) < 1e-3 and abs(right.state["measured"] - 0.9487) < 1e-3
    assert wrong.text != right.text and wrong.png != right.png


def test_training_explorer_runs_the_backward_pass_it_is_given():
    def halved(params, X, Y):  # a wrong backward pass: every gradient half as large
        J, grads = backward_batch(params, X, Y)
        return J, {k: g / 2 for k, g in grads.items()}

    right = h.training_explorer(backward=backward_batch, forward=forward_batch)
    wrong = h.training_explorer(backward=halved, forward=forward_batch)
    assert right.state["run"].losses[0] == wrong.state["run"].losses[0]
    assert wrong.state["run"].final_loss > right.state["run"].final_loss
    assert wrong.text != right.text and wrong.png != right.png


def test_training_explorer_draws_the_forward_pass_it_is_given():
    def shifted(params, X):  # a wrong forward pass: predictions off by one
        acts, Y_hat = forward_batch(params, X)
        return acts, Y_hat + 1

    right = h.training_explorer(backward=backward_batch, forward=forward_batch)
    wrong = h.training_explorer(backward=backward_batch, forward=shifted)
    np.testing.assert_allclose(wrong.state["fit"], right.state["fit"] + 1)
    assert wrong.png != right.png


def test_what_a_lesson_function_returns_is_checked():
    with pytest.raises(ValueError, match="^rule must return the next iterate"):
        h.momentum_explorer(methods=with_rule("momentum", lambda x, x_prev, grad, eta, beta: 0.0))
    with pytest.raises(ValueError, match="^conv must return the valid cross-correlation"):
        h.conv_explorer(conv=lambda x, w: conv2d(x, w, padding=1))
    with pytest.raises(ValueError, match="^backward must return"):
        h.training_explorer(backward=lambda params, X, Y: backward_batch(params, X, Y)[1], forward=forward_batch)
    wrong_forwards = (lambda params, X: forward_batch(params, X)[1],  # Y_hat alone
                      lambda params, X: list(forward_batch(params, X)),  # a list, not a tuple
                      lambda params, X: (*forward_batch(params, X), None),  # three things
                      lambda params, X: (forward_batch(params, X)[0], forward_batch(params, X)[1][:-1]))  # short
    for forward in wrong_forwards:
        with pytest.raises(ValueError, match="^forward must return"):
            h.training_explorer(backward=backward_batch, forward=forward)


def test_conv_explorer_runs_the_conv_it_is_given():
    flipped = h.conv_explorer(conv=lambda x, w: conv2d(x, -w))  # a wrong conv2d: the kernel negated
    right = h.conv_explorer(conv=conv2d)
    assert np.array_equal(flipped.state["out"], -right.state["out"])
    assert flipped.png != right.png


def test_graph_explorer_shows_the_gradients_backward_returns():
    graph = h.course_model_graph()
    doubled = h.graph_explorer(graph, lambda g: {k: 2 * v for k, v in h.backward(g).items()}, direction="backward")
    right = h.graph_explorer(graph, h.backward, direction="backward")
    doubled.set(step=6)
    right.set(step=6)
    assert doubled.text != right.text and doubled.png != right.png


def test_the_graph_explorers_rings_lie_over_the_graph():
    """The rings are drawn over every part of the graph (edges, nodes, labels) in a full redraw (the static
    figure) as in a live frame, where they are drawn last."""
    explorer = ENTRIES["01_computing_graph"].build()
    rings = [explorer.ring, *explorer.input_rings]
    graph = [artist for artist in explorer.fig.axes[0].get_children() if artist not in rings]
    assert min(ring.get_zorder() for ring in rings) > max(artist.get_zorder() for artist in graph)


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: h.momentum_explorer(eta=0.5, methods=METHODS), "eta"),
        (lambda: h.momentum_explorer(beta=1.0, methods=METHODS), "beta"),
        (lambda: h.momentum_explorer(steps=5, methods=METHODS), "steps"),
        (lambda: h.momentum_explorer(method="adam", methods=METHODS), "method"),
        (lambda: h.momentum_explorer([1.0, 2.0, 3.0], methods=METHODS), "x0"),
        (lambda: h.momentum_explorer(methods={"gd": METHODS["gd"]}), "methods"),
        (lambda: h.momentum_explorer(methods=with_rule("gd", "x - eta * grad(x)")), "methods"),
        (lambda: h.momentum_explorer(methods=METHODS, lambdas=[1.0, 2.0, 3.0]), "lambdas"),
        (lambda: h.training_explorer(lr=5.0, backward=backward_batch, forward=forward_batch), "lr"),
        (lambda: h.training_explorer(hidden=1, backward=backward_batch, forward=forward_batch), "hidden"),
        (lambda: h.training_explorer(data=(1, 2), backward=backward_batch, forward=forward_batch), "data"),
        (lambda: h.training_explorer(backward=None, forward=forward_batch), "backward"),
        (lambda: h.training_explorer(data=h.toy_regression() * 1, backward=backward_batch, forward=None), "forward"),
        (lambda: h.momentum_explorer([0.0, 0.0], methods=METHODS), "x0"),
        (lambda: h.training_explorer(data=tuple(np.hstack([d, d]) for d in h.toy_regression()),
                                     backward=backward_batch, forward=forward_batch), "data"),
        (lambda: h.graph_explorer(h.course_model_graph(), h.backward, equations="J"), "equations"),
        (lambda: h.conv_explorer(period=1, conv=conv2d), "period"),
        (lambda: h.conv_explorer(kernel="blur", conv=conv2d), "kernel"),
        (lambda: h.conv_explorer(conv=3), "conv"),
        (lambda: rgba_png(np.zeros((4, 4))), "rgba"),
    ],
)
def test_explorer_factories_check_their_arguments(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()


def test_every_momentum_control_reaches_the_run(momentum):
    """The run shown is the run of the controls' values (a control that the run ignored would still move the
    picture: its headline changes)."""
    for name, value in (("beta", 0.5), ("eta", 0.005), ("steps", 100), ("method", "nesterov"), ("method", "gd")):
        momentum.controls[name].value = value
        s = momentum.state
        assert s[name] == value
        want = h.optimize(METHODS[s["method"]].rule, X0, s["eta"], s["beta"], s["steps"], h.LAMBDAS_1_99)
        assert np.array_equal(s["run"].path, want.path), name


def test_training_loss_axis_leaves_a_margin_in_whole_decades():
    """The loss axis spans whole decades, with the curves and the noise floor at least a fifth of a decade
    inside it: nothing runs along the frame."""
    explorer = ENTRIES["03_training_loop"].build()
    rng = np.random.default_rng(1)
    for _ in range(12):
        explorer.set(**{name: explorer.random_value(name, rng) for name in explorer.controls})
        s = explorer.state
        shown = np.log10(np.concatenate([s["train"], s["test"], [explorer.noise_floor]]))
        low, high = np.log10(s["ylim"])
        assert low == np.floor(low) and high == np.ceil(high)
        assert low <= shown.min() - 0.2 and high >= shown.max() + 0.2
        assert low > shown.min() - 1.2 and high < shown.max() + 1.2  # the nearest such decades


def test_decade_labels_are_plain_text_powers_of_ten():
    assert [decade_label(v) for v in (1e-3, 1.0, 100.0, 0.002, 0.0)] == ["10⁻³", "10⁰", "10²", "0.002", "0"]


@pytest.mark.parametrize("notebook", ["03_training_loop", "04_gd_vs_momentum"])
@pytest.mark.parametrize("labelled", [True, False])
def test_a_cached_axis_is_cached_with_the_tick_marks_matplotlib_draws(notebook, labelled):
    """The pixels kept for an axis whose limits a control sets: its tight box and the marks of the ticks that
    matplotlib draws (which the tight box leaves out; a frame without them would miss a few pixels of each), 2 px
    out, and not the marks of the ticks outside the view, which are not drawn (they would reach over the next
    panel). Without tick labels, the tight box no longer covers the marks at the ends of the view, such as a
    decade tick at 9.999999999999999e-06 on an axis from 1e-05."""
    explorer, rng, outside = ENTRIES[notebook].build(), np.random.default_rng(3), {"x": 0, "y": 0}
    renderer = explorer.fig.canvas.get_renderer()
    for axis, _ in explorer.cached_artists(explorer.state):
        axis.set_tick_params(labelbottom=labelled, labelleft=labelled)
    for _ in range(12):
        explorer.set(**{name: explorer.random_value(name, rng) for name in explorer.controls})
        for axis, _ in explorer.cached_artists(explorer.state):
            box, drawn = _drawn_box(axis, renderer), axis._update_ticks()  # what Axis.draw draws
            marks = [tick.tick1line.get_window_extent(renderer) for tick in drawn]
            assert np.allclose(box.extents, Bbox.union([axis.get_tightbbox(renderer), *marks]).padded(2).extents)
            outside[axis.axis_name] += len(axis.get_major_ticks()) - len(marks)
    assert all(outside.values()), f"an axis with no tick outside the view, to be left out: {outside}"


def test_setting_several_controls_draws_once():
    explorer = ENTRIES["04_gd_vs_momentum"].build()
    assert explorer.updates == 1  # built: its first setting shown
    explorer.set(beta=0.5, steps=100, method="nesterov")
    assert explorer.updates == 2 and explorer.state["beta"] == 0.5


def test_a_diverged_runs_loss_axis_spans_twice_its_epochs_to_divergence():
    """Rounded up to ten epochs, and no more than the run's epochs: the few epochs before a blow-up stay readable."""
    calls = [0]

    def blowing_up(params, X, Y):  # the loss multiplied by 10^12 from the 12th call on
        calls[0] += 1
        J, grads = backward_batch(params, X, Y)
        return (J * 1e12 if calls[0] > 11 else J), grads

    explorer = h.training_explorer(backward=blowing_up, forward=forward_batch)
    for epochs, right in ((100, 30), (25, 25)):
        calls[0] = 0
        s = explorer.compute(lr=0.05, hidden=16, epochs=epochs, seed=0)
        assert s["run"].diverged_at == 11 and s["xlim"] == (0, right)


def test_the_loss_axis_shows_a_loss_just_above_a_decade():
    """A training loss of 10^-2.1 (under the noise floor) is drawn on an axis from 10^-3, 0.2 decades or more
    below it, not from 10^-2, above it."""
    def flat(params, X, Y):  # that loss, and no gradient: the run stays where it starts
        _, grads = backward_batch(params, X, Y)
        return 10**-2.1, {k: 0 * g for k, g in grads.items()}

    s = h.training_explorer(backward=flat, forward=forward_batch).state
    assert s["train"].min() == 10**-2.1 and np.log10(s["ylim"][0]) == -3


def test_every_training_control_reaches_the_run():
    explorer = ENTRIES["03_training_loop"].build()
    for name, value in (("seed", 3), ("hidden", 8), ("lr", 0.02), ("epochs", 50)):
        explorer.controls[name].value = value
        s = explorer.state
        assert s[name] == value
        want = h.fit(backward_batch, h.toy_regression(), hidden=s["hidden"], lr=s["lr"], epochs=s["epochs"],
                     seed=s["seed"])
        assert np.array_equal(s["run"].losses, want.losses), name


@pytest.mark.parametrize("make,setting", [
    (lambda **s: h.training_explorer(backward=backward_batch, forward=forward_batch, **s),
     {"lr": 0.02, "hidden": 8, "epochs": 50, "seed": 3}),
    (lambda **s: h.momentum_explorer(X0, methods=METHODS, **s), {"eta": 0.01, "beta": 0.5, "steps": 40,
                                                                  "method": "nesterov"}),
    (lambda **s: h.conv_explorer(conv=conv2d, **s), {"period": 5.0, "direction": "diagonal",
                                                     "kernel": "k1 (second derivative along axis 0)"}),
    (lambda **s: h.graph_explorer(h.course_model_graph(), h.backward, **s), {"direction": "backward"}),
], ids=["training", "momentum", "conv", "graph"])
def test_an_explorer_starts_at_the_setting_it_is_given(make, setting):
    explorer = make(**setting)
    assert {name: explorer.values()[name] for name in setting} == setting
    assert all(explorer.state[name] == value for name, value in setting.items() if name in explorer.state)


def widened(inputs):
    """The toy data with two input columns (or two output columns)."""
    X, Y, X_test, Y_test = h.toy_regression()
    return (np.hstack([X, X]), Y, np.hstack([X_test, X_test]), Y_test) if inputs else (
        X, np.hstack([Y, Y]), X_test, np.hstack([Y_test, Y_test]))


@pytest.mark.parametrize("call,message", [
    (lambda: h.momentum_explorer(eta=5e-5, methods=METHODS), "eta must be one of the slider's positions, 0.0001 to "
     "0.04 (the nearest to 5e-05 is 0.0001), got 5e-05"),
    (lambda: h.momentum_explorer(eta=0.041, methods=METHODS), "eta must be one of the slider's positions, 0.0001 to "
     "0.04 (the nearest to 0.041 is 0.04)"),
    (lambda: h.momentum_explorer(beta=-0.1, methods=METHODS), "beta must be >= 0, got -0.1"),
    (lambda: h.momentum_explorer(beta=1.0, methods=METHODS), "beta must be <= 0.999, got 1.0"),
    (lambda: h.momentum_explorer(steps=9, methods=METHODS), "steps must be an integer in [10, 1000], got 9"),
    (lambda: h.momentum_explorer(steps=1001, methods=METHODS), "steps must be an integer in [10, 1000], got 1001"),
    (lambda: h.momentum_explorer(method="adam", methods=METHODS),
     "method must be one of 'gd', 'momentum', 'nesterov', got 'adam'"),
    (lambda: h.momentum_explorer(methods={"gd": METHODS["gd"]}),
     "methods must map each of gd, momentum, nesterov to a method's record (notebook 04's METHODS), got {'gd': "),
    (lambda: h.momentum_explorer(methods=with_rule("gd", 1)), "methods['gd'].rule must be a function, got 1"),
    (lambda: h.momentum_explorer(methods={**METHODS, "gd": SimpleNamespace(name="gradient descent")}),
     "methods['gd'].rule must be a function, got None"),
    (lambda: h.momentum_explorer(methods={**METHODS, "gd": METHODS["gd"].rule}),
     "methods['gd'] must be a record with a name (a str), got <function gd_step"),
    (lambda: h.momentum_explorer([0.0, 0.0], methods=METHODS),
     "x0 must not be the minimum (0, 0): a run from there never moves"),
    (lambda: h.momentum_explorer([1.0, 2.0, 3.0], methods=METHODS), "x0 must have shape (2,), got (3,)"),
    (lambda: h.momentum_explorer(methods=METHODS, lambdas=[1.0, 2.0, 3.0]), "lambdas must hold two curvatures: the "
     "explorer draws a plane"),
    (lambda: h.training_explorer(lr=5e-4, backward=backward_batch, forward=forward_batch), "lr must be one of the "
     "slider's positions, 0.001 to 1 (the nearest to 0.0005 is 0.001), got 0.0005"),
    (lambda: h.training_explorer(lr=1.5, backward=backward_batch, forward=forward_batch), "lr must be one of the "
     "slider's positions, 0.001 to 1 (the nearest to 1.5 is 1)"),
    (lambda: h.training_explorer(hidden=1, backward=backward_batch, forward=forward_batch),
     "hidden must be an integer in [2, 64], got 1"),
    (lambda: h.training_explorer(hidden=65, backward=backward_batch, forward=forward_batch),
     "hidden must be an integer in [2, 64], got 65"),
    (lambda: h.training_explorer(epochs=9, backward=backward_batch, forward=forward_batch),
     "epochs must be an integer in [10, 400], got 9"),
    (lambda: h.training_explorer(epochs=401, backward=backward_batch, forward=forward_batch),
     "epochs must be an integer in [10, 400], got 401"),
    (lambda: h.training_explorer(seed=10, backward=backward_batch, forward=forward_batch),
     "seed must be an integer in [0, 9], got 10"),
    (lambda: h.training_explorer(seed=-1, backward=backward_batch, forward=forward_batch),
     "seed must be an integer in [0, 9], got -1"),
    (lambda: h.training_explorer(backward=3, forward=forward_batch), "backward must be a function, got 3"),
    (lambda: h.training_explorer(backward=backward_batch, forward=3), "forward must be a function, got 3"),
    (lambda: h.training_explorer(data=tuple(np.hstack([d, d]) for d in h.toy_regression()),
                                 backward=backward_batch, forward=forward_batch),
     "data must have one input and one output column: the explorer plots y against x"),
    (lambda: h.training_explorer(data=widened(inputs=True), backward=backward_batch, forward=forward_batch),
     "data must have one input and one output column: the explorer plots y against x"),
    (lambda: h.training_explorer(data=widened(inputs=False), backward=backward_batch, forward=forward_batch),
     "data must have one input and one output column: the explorer plots y against x"),
    (lambda: h.graph_explorer(h.course_model_graph(), h.backward, equations={"nope": "(1)"}), "name"),
    (lambda: h.conv_explorer(conv=conv2d, size=3), "size must be an integer >= 4, got 3"),
    (lambda: h.conv_explorer(conv=conv2d, period=1.5), "period must be one of the slider's positions, 2 to 12 (the "
     "nearest to 1.5 is 2), got 1.5"),
    (lambda: h.conv_explorer(conv=conv2d, period=12.5), "period must be one of the slider's positions, 2 to 12 "
     "(the nearest to 12.5 is 12), got 12.5"),
    (lambda: h.conv_explorer(conv=conv2d, direction="up"), "direction must be one of 'axis 0', 'axis 1', 'diagonal', "
     "got 'up'"),
    (lambda: h.conv_explorer(conv=conv2d, kernel="blur"), "kernel must be one of"),
    (lambda: h.conv_explorer(conv=3), "conv must be a function, got 3"),
    (lambda: h.graph_explorer(h.course_model_graph(), 3), "backward must be a function, got 3"),
    (lambda: h.graph_explorer(h.course_model_graph(), h.backward, direction="up"),
     "direction must be one of 'forward', 'backward', got 'up'"),
    (lambda: h.graph_explorer(h.course_model_graph(), h.backward, equations="J"),
     "equations must map node names to equation labels, got 'J'"),
    (lambda: h.graph_explorer(h.course_model_graph(), lambda g: {"J": 1.0}),
     "backward must return a dict with dJ/d(node) for every node name of the graph"),
    (lambda: h.graph_explorer(h.course_model_graph(), lambda g: [1.0]),
     "backward must return a dict with dJ/d(node) for every node name of the graph"),
    (lambda: h.relative_error([1.0, 2.0], [1.0]), "a and b must have the same shape, got (2,) and (1,)"),
])
def test_entry_points_say_which_argument_is_wrong_and_why(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert str(error.value).startswith(message), str(error.value)


def test_entry_points_take_their_bounds():
    for explorer in (h.conv_explorer(conv=conv2d, size=4, period=12, direction="axis 0"),
                     h.conv_explorer(conv=conv2d, period=2, direction="diagonal"),
                     h.momentum_explorer(X0, methods=METHODS, eta=0.04, beta=0.999, steps=10, method="gd"),
                     h.momentum_explorer(X0, methods=METHODS, eta=1e-4, beta=0, steps=1000),
                     h.graph_explorer(h.course_model_graph(), h.backward, equations={"J": "(start)"})):
        assert explorer.png.startswith(b"\x89PNG")
    assert h.conv_explorer(conv=conv2d, size=4).size == 4 and h.conv_explorer(conv=conv2d).size == 24
    assert h.relative_error([3.0, 4.0], [0.0, 0.0]) == 1.0 and h.relative_error([0.0], [0.0]) == 0.0
    assert h.relative_error([1.0, 1.0], [1.0, 2.0]) == pytest.approx(1 / np.sqrt(5))


# --------------------------------------------------------------------------
# The strip: the main slider's frames, kept in the page
# --------------------------------------------------------------------------


def made(explorer):
    """The positions of the main slider whose frame the page holds."""
    return [k for k, frame in enumerate(explorer.strip.children) if frame.value]


@pytest.mark.parametrize("entry", h.EXPLORERS, ids=lambda e: e.notebook)
def test_a_displayed_explorer_holds_every_frame_of_its_main_slider(entry):
    """Displayed, an explorer makes its whole strip first; each position then shows, over the backdrop, its
    frame as drawn (the fast path's pixels, which the picture tests hold to a full redraw) with the text that
    moving the slider there gives (and the kernel's state and text follow the slider)."""
    explorer = entry.build()
    main = explorer.controls[entry.main]
    assert made(explorer) == [main.index]  # built, not displayed: the frame at the slider only
    assert explorer._repr_mimebundle_()["text/plain"] == explorer.text
    assert made(explorer) == list(range(len(main.options)))
    updates, moves, fresh = explorer.updates, 0, entry.build()
    for _, value in main.options:
        moves += value != main.value
        main.value = fresh.controls[entry.main].value = value
        picture, *_, alt = shown(explorer)
        assert np.array_equal(picture, decoded(explorer.png)) and alt == fresh.text == explorer.text
        assert np.any(picture != decoded(fresh.png), axis=2).mean() <= 0.0003  # as test_pictures' ALLOWED
    assert explorer.state[entry.main] == main.value and explorer.updates == updates + moves


@pytest.mark.parametrize("entry", h.EXPLORERS, ids=lambda e: e.notebook)
def test_the_strip_shows_the_sliders_frame_over_the_backdrop(entry):
    """The widget state alone (a saved page, before any link runs) shows the frame at the slider's position,
    in the one grid cell that the backdrop fills too, so a frame not made yet lets the backdrop show through."""
    explorer = entry.build()
    (area,) = explorer.picture.layout.grid_template_areas.strip('"').split()
    assert [child.layout.grid_area for child in explorer.picture.children] == [area, area]
    assert [explorer.backdrop, explorer.strip] == list(explorer.picture.children)  # the strip on top
    assert explorer.strip.selected_index == explorer.controls[entry.main].index
    link = explorer._link  # the page moves the strip with the slider, with no kernel
    assert (link.source, link.target) == ((explorer.controls[entry.main], "index"), (explorer.strip, "selected_index"))
    (picture,) = explorer.picture._dom_classes
    assert f"querySelectorAll('.{picture}')" in SLIDER_NAMES_JS  # the script that says what the picture shows


@pytest.mark.parametrize("notebook,slider,others", [("01_computing_graph", "step", "The other control redraws"),
                                                    ("03_training_loop", "learning rate", "The other controls redraw"),
                                                    ("04_gd_vs_momentum", "η", "The other controls redraw")])
def test_an_explorer_says_which_slider_answers_in_the_page(notebook, slider, others):
    note = ENTRIES[notebook].build().note.value
    assert (f"Every position of the {slider} slider is drawn ahead and kept in the page, so it answers at once. "
            f"{others} in the Python kernel once this notebook's cells have run") in note
    assert note.endswith(f"only the {slider} slider moves the picture.</small>")


@pytest.mark.parametrize("entry", h.EXPLORERS, ids=lambda e: e.notebook)
def test_an_explorers_controls_stand_two_to_a_row_above_its_picture_and_note(entry):
    explorer = entry.build()
    *rows, picture, note = explorer.children
    controls = list(explorer.controls.values())
    assert (picture, note) == (explorer.picture, explorer.note)
    assert [len(row.children) for row in rows] == [2] * (len(controls) // 2) + [1] * (len(controls) % 2)
    assert [control for row in rows for control in row.children] == controls


def test_an_explorers_first_control_must_be_its_main_slider():
    with pytest.raises(ValueError, match="^controls must start with a main_slider, got IntSlider first$"):
        Explorer({"n": widgets.IntSlider()}, new_figure((2, 2), dpi=72))


def test_another_control_starts_a_new_strip_that_forgets_the_old_frames(momentum):
    momentum._repr_mimebundle_()
    momentum.controls["beta"].value = 0.5  # no event loop here: no frame is made ahead
    index = momentum.controls["eta"].index
    assert made(momentum) == [index]
    assert img(momentum.backdrop.value)[0] == momentum.png  # the strip starts from this frame, whole
    momentum.controls["eta"].value = 0.002  # a position not made yet: made when the slider gets there
    assert made(momentum) == sorted([index, momentum.controls["eta"].index])
    assert "β = 0.500" in shown(momentum)[3]


def test_an_explorer_built_in_a_kernel_makes_one_frame_until_it_shows():
    """Built in a kernel (a running event loop), an explorer draws the frame at its slider only: it makes the rest
    of its strip when it is displayed, not in the background of a kernel that may never show it."""

    async def build():
        explorer = ENTRIES["04_gd_vs_momentum"].build()
        await asyncio.sleep(0.2)  # room for several frames
        return explorer

    explorer = asyncio.run(build())
    assert made(explorer) == [explorer.controls["eta"].index]


def test_the_strip_fills_in_the_event_loop_one_frame_per_turn_nearest_first(momentum):
    """In a kernel (a running event loop) a new strip fills itself between messages: a slider move that arrives
    meanwhile waits for one frame at most; a newer strip stops the older one's filling, so one filling runs
    and pauses between its frames."""

    order, moves, times = [], [], []
    keep = momentum._keep

    def logged(index):
        order.append(index)
        times.append(time.monotonic())
        keep(index)
        times.append(time.monotonic())

    momentum._keep = logged

    async def session():
        momentum.controls["beta"].value = 0.5  # as a kernel message does: inside the loop
        start = momentum.controls["eta"].index
        await asyncio.sleep(0)
        asyncio.get_running_loop().call_soon(lambda: moves.append(len(order)))  # a message, queued now
        while len(made(momentum)) < 6:
            await asyncio.sleep(0.001)
        momentum.controls["steps"].value = 100  # a newer strip
        now = len(order)
        while len(made(momentum)) < len(momentum.strip.children):
            await asyncio.sleep(0.001)
        return start, now

    start, now = asyncio.run(asyncio.wait_for(session(), timeout=30))  # a strip that never fills fails, not hangs
    assert moves and moves[0] <= 1, "the queued message waited for more than one frame"
    first = order[:now]
    assert [abs(k - start) for k in first] == sorted(abs(k - start) for k in first), "nearest first"
    assert len(set(order[now:])) == len(order[now:]) == len(momentum.strip.children) - 1
    pauses = np.subtract(times[2::2], times[1:-1:2])
    assert pauses.min() >= FILL_PAUSE_S - 1e-6, "two fillings ran at once"
    assert shown(momentum)[3] == momentum.text
    height, width = momentum.fig.canvas.get_width_height()[::-1]
    frames = sum(len(png) for _, _, png in momentum._kept.values())
    assert momentum.kept_bytes() == frames + height * width * 4  # the PNGs and the backdrop's RGBA pixels


def test_a_lesson_function_that_fails_at_one_position_fails_there_when_the_slider_gets_there():
    """Drawing ahead never hides a student's error: the strip stops at the position where their rule fails,
    the explorer still shows, and moving the slider there raises their error, as it did before frames were kept."""
    def picky(x, x_prev, grad, eta, beta):
        if eta == 0.032:  # this position only: the strip must not go on past it
            raise RuntimeError("my bug")
        return METHODS["momentum"].rule(x, x_prev, grad, eta, beta)

    explorer = h.momentum_explorer(methods=with_rule("momentum", picky))
    assert explorer._repr_mimebundle_()["text/plain"] == explorer.text
    etas = [eta for _, eta in explorer.controls["eta"].options]
    assert etas[max(made(explorer)) + 1] == 0.032 and all(eta < 0.03 for eta in np.take(etas, made(explorer)))
    with pytest.raises(RuntimeError, match="my bug"):
        explorer.controls["eta"].value = 0.032
