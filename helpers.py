"""What the course notebooks share, and the entry points of their explorers.

The notebooks import this one module (``import helpers as h``); the machinery
behind it lives in the ``coursekit`` package beside it. In order:

- what two or more notebooks share: the seeded data, the lesson code a later
  notebook reuses (generated from the ``#@save`` cells of the notebook that
  teaches it), the checkers every exercise uses (``check_function``,
  ``check_answer``; ``check_slips``, ``answered`` and ``passed`` for grading), finite differences;
- the explorers' entry points: each checks its arguments and runs the lesson
  functions the notebook passes in (a student's edit shows on the sliders);
- ``EXPLORERS``: the one list of the bundle's explorers, read by the widget
  tests, ``make bench`` and ``make e2e``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from IPython import get_ipython

from coursekit.checks import array, choice, function, integer, number, on_grid
from coursekit.conv_explorer import KERNELS, STRIPE_DIRECTIONS, ConvExplorer, stripes
from coursekit.data import LAMBDAS_1_99, TOY_NOISE, init_params, seeded_start, to_batched, toy_function, toy_regression
from coursekit.exercises import answered, check_answer, check_function, check_slips, numeric_gradient, passed
from coursekit.figures import show_described
from coursekit.graph_drawing import checked_graph, draw_graph, formula, gradient_rule, graph_figsize, node_named
from coursekit.graph_explorer import GraphExplorer
from coursekit.lessons.conv import conv2d
from coursekit.lessons.graph import backward, course_graph
from coursekit.lessons.momentum import METHODS
from coursekit.lessons.training import backward_batch, forward_batch
from coursekit.momentum_explorer import MomentumExplorer
from coursekit.quadratic import checked_lambdas, draw_quadratic_contours, measured_rate, optimize, steps_per_decade
from coursekit.sealing import Sealed
from coursekit.training import checked_data, fit
from coursekit.training_explorer import TrainingExplorer

__all__ = [  # what the notebooks use, from here and from the package
    "KERNELS", "LAMBDAS_1_99", "METHODS", "STRIPE_DIRECTIONS", "TOY_NOISE", "answered", "backward",
    "check_answer", "check_function", "check_slips", "conv_explorer", "course_graph", "draw_graph",
    "draw_quadratic_contours", "fit", "formula", "gradient_rule", "graph_explorer", "graph_figsize", "init_params",
    "measured_rate", "momentum_explorer", "numeric_gradient", "optimize", "passed", "relative_error", "sealed",
    "seeded_start", "steps_per_decade", "stripes", "to_batched", "toy_function", "toy_regression",
    "training_explorer",
]

# Every figure a notebook shows carries its description as alt text (JupyterLab's bare PNG output has none).
if get_ipython() is not None:
    show_described(get_ipython())

# --------------------------------------------------------------------------
# Answers and gradients
# --------------------------------------------------------------------------


def sealed(token):
    """An expected answer that ``make student`` sealed, so that the student edition's check cell does
    not show how it is computed (which would give the answer away)."""
    return Sealed(token)


def relative_error(a, b):
    """||a - b|| / max(||a||, ||b||): 0 for equal arrays, 1 for unrelated ones."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


# --------------------------------------------------------------------------
# The explorers' entry points
# --------------------------------------------------------------------------


def graph_explorer(graph, backward, direction="forward", equations=None):
    """Step through the forward or backward pass of a computing graph, one operator at a time.

    ``backward(graph)`` returns dJ/d(node) for every node name (notebook 01's
    sweep). ``equations`` optionally maps node names to the label of the
    equation that gives their gradient (notebook 02 numbers its derivation).
    """
    checked_graph("graph", graph)
    if not any(node.kind == "op" for node in graph.nodes):
        raise ValueError("graph must have an operator to step through, got only data and parameters")
    function("backward", backward)
    choice("direction", direction, ("forward", "backward"))
    if equations is not None and not isinstance(equations, dict):
        raise ValueError(f"equations must map node names to equation labels, got {equations!r:.60}")
    equations = dict(equations or {})
    for name in equations:
        node_named(graph, name)
    grads = backward(graph)
    if not isinstance(grads, dict) or any(node.name not in grads for node in graph.nodes):
        raise ValueError("backward must return a dict with dJ/d(node) for every node name of the graph")
    return GraphExplorer(graph, grads, direction, equations)


def training_explorer(data=None, *, backward, forward, lr=0.05, hidden=16, epochs=100, seed=0):
    """Notebook 03's explorer: learning rate, width, epochs and init seed; retrains on every move.

    ``backward(params, X, Y)`` returns (J, gradients) and ``forward(params, X)``
    returns (activations, Y_hat), as notebook 03's backward_batch and forward_batch.
    """
    data = checked_data(toy_regression() if data is None else data)
    if data[0].shape[1] != 1 or data[1].shape[1] != 1:
        raise ValueError("data must have one input and one output column: the explorer plots y against x")
    return TrainingExplorer(
        data, function("backward", backward), function("forward", forward), toy_function, TOY_NOISE,
        on_grid("lr", lr, TrainingExplorer.learning_rates()), integer("hidden", hidden, low=2, high=64),
        integer("epochs", epochs, low=10, high=400), integer("seed", seed, low=0, high=9),
    )


def momentum_explorer(x0=None, *, methods, lambdas=LAMBDAS_1_99, eta=0.01, beta=0.9, steps=300, method="momentum"):
    """Notebook 04's explorer: eta, beta, steps and method drive the path, the loss and the rate map.

    ``methods`` holds notebook 04's records, by the keys of ``METHODS``: each has a ``name`` and an update
    ``rule(x, x_prev, grad, eta, beta) -> next x``; the rate map is the theory of the course's records.
    """
    if not isinstance(methods, dict) or set(methods) != set(METHODS):
        raise ValueError(f"methods must map each of {', '.join(METHODS)} to a method's record (notebook 04's "
                         f"METHODS), got {methods!r:.80}")
    for key, record in methods.items():
        if not isinstance(getattr(record, "name", None), str):
            raise ValueError(f"methods[{key!r}] must be a record with a name (a str), got {record!r:.80}")
        function(f"methods[{key!r}].rule", getattr(record, "rule", None))
    lam = checked_lambdas(lambdas)
    if lam.size != 2:
        raise ValueError("lambdas must hold two curvatures: the explorer draws a plane")
    x0 = array("x0", seeded_start() if x0 is None else x0, shape=(2,))
    if not np.any(x0):
        raise ValueError("x0 must not be the minimum (0, 0): a run from there never moves")
    return MomentumExplorer(
        dict(methods), x0, lam, on_grid("eta", eta, MomentumExplorer.etas()),
        number("beta", beta, low=0, high=0.999), integer("steps", steps, low=10, high=1000),
        choice("method", method, METHODS),
    )


def conv_explorer(*, conv, period=2, direction="axis 1", kernel="k2 (second derivative along axis 1)", size=24):
    """Notebook 05's explorer: stripes of any period and direction through a 3x3 kernel, with ``conv(image, kernel)``
    the notebook's valid cross-correlation (conv2d)."""
    return ConvExplorer(
        function("conv", conv), integer("size", size, low=4), on_grid("period", period, ConvExplorer.PERIODS),
        choice("direction", direction, STRIPE_DIRECTIONS), choice("kernel", kernel, tuple(KERNELS)),
    )


# --------------------------------------------------------------------------
# The one list of the bundle's explorers
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    notebook: str  # the notebook that shows it
    build: Callable[[], Any]  # a fresh explorer at its default setting, with the library's lesson code
    main: str  # its main control
    test_value: Any  # a legal value of the main control, not its default


def course_model_graph():
    """The graph of notebooks 01 and 02: sizes (4, 5, 3, 2), seed 2, one sample from default_rng(1)."""
    rng = np.random.default_rng(1)
    return course_graph(init_params((4, 5, 3, 2), seed=2), rng.normal(size=(4, 1)), rng.normal(size=(2, 1)))


EXPLORERS = (
    _Entry("01_computing_graph", lambda: graph_explorer(course_model_graph(), backward), "step", 7),
    _Entry("02_backprop", lambda: graph_explorer(course_model_graph(), backward, direction="backward"),
                  "step", 7),
    _Entry("03_training_loop", lambda: training_explorer(backward=backward_batch, forward=forward_batch),
                  "lr", 0.02),
    _Entry("04_gd_vs_momentum", lambda: momentum_explorer(methods=METHODS), "eta", 0.005),
    _Entry("05_conv_kernels", lambda: conv_explorer(conv=conv2d), "period", 4.0),
)
