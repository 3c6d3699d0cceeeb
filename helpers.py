"""Shared code of the course notebooks.

What lives here is used by two or more notebooks, by the tests, or by the
benchmark. Notebooks show the source of what they teach with
:func:`show_source` instead of pasting a second copy. In order:

- input validation, ``show_source`` and ``check_answer`` (every notebook);
- the course model, per sample and batched, its backward pass, the gradient
  checker and the computing-graph engine (notebooks 01 to 03);
- the training loop and its toy data (notebook 03);
- the optimisers on a quadratic and their rate formulas (notebook 04);
- ``Explorer``: a matplotlib figure behind widgets, redrawn fast and testable
  without a browser, and one explorer per notebook;
- convolution (notebook 05).
"""

from __future__ import annotations

import base64
import inspect
import math
import re
import struct
import zlib
from dataclasses import dataclass

import ipywidgets as widgets
import matplotlib
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure
from matplotlib.ticker import LogLocator, NullLocator

# --------------------------------------------------------------------------
# Input validation: every public function checks its arguments and raises a
# ValueError that names the argument and says what was expected.
# --------------------------------------------------------------------------


def _number(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """Return ``value`` as a float after checking it is a finite real in range."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (value < low or (low_open and value == low)):
        bound = ">" if low_open else ">="
        raise ValueError(f"{name} must be {bound} {low}, got {value!r}")
    if high is not None and (value > high or (high_open and value == high)):
        bound = "<" if high_open else "<="
        raise ValueError(f"{name} must be {bound} {high}, got {value!r}")
    return value


def _integer(name, value, *, low=None, high=None):
    """Return ``value`` as an int after checking it is an integer in range."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        raise ValueError(f"{name} must be an integer in [{low}, {high}], got {value}")
    return value


def _array(name, value, *, ndim=None, shape=None):
    """Return ``value`` as a finite float64 array with the expected ndim/shape."""
    try:
        arr = np.asarray(value, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be an array of real numbers, got {value!r}") from None
    if ndim is not None and arr.ndim != ndim:
        raise ValueError(f"{name} must have {ndim} dimension(s), got shape {arr.shape}")
    if shape is not None and arr.shape != tuple(shape):
        raise ValueError(f"{name} must have shape {tuple(shape)}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite numbers")
    return arr


def _choice(name, value, options):
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, got {value!r}")
    return value


def show_source(*functions):
    """Display the source code of functions as a Markdown code block."""
    from IPython.display import Markdown

    for f in functions:
        if not callable(f):
            raise ValueError(f"functions must be callables, got {f!r}")
    code = "\n\n".join(inspect.getsource(f).rstrip() for f in functions)
    return Markdown(f"```python\n{code}\n```")


def check_answer(label, answer, expected, *, rtol=1e-3, hint=""):
    """Check a student's answer to an exercise and print the verdict.

    ``answer`` left as ``...`` means "not answered yet": the cell says so and
    does not fail. A wrong answer fails with an AssertionError carrying a hint.
    """
    if answer is Ellipsis:
        print(f"{label}: waiting for your answer (replace the ... above and re-run).")
        return
    if isinstance(expected, (int, float, np.integer, np.floating)) and not isinstance(expected, bool):
        ok = isinstance(answer, (int, float, np.integer, np.floating)) and math.isclose(
            float(answer), float(expected), rel_tol=rtol, abs_tol=1e-12
        )
    elif isinstance(expected, np.ndarray):
        answer_arr = np.asarray(answer) if isinstance(answer, (np.ndarray, list, tuple)) else None
        ok = answer_arr is not None and answer_arr.shape == expected.shape and np.allclose(
            answer_arr, expected, rtol=rtol, atol=1e-12
        )
    else:
        ok = answer == expected
    assert ok, f"{label}: {answer!r} is not right. {hint}".strip()
    print(f"{label}: correct.")


# --------------------------------------------------------------------------
# Notebooks 01-03: the course model, the gradient checker, the computing graph
# --------------------------------------------------------------------------


def init_params(sizes, seed=0):
    """Parameters of the course model for layer sizes (n_in, h1, ..., n_out).

    Per-sample (column-vector) convention: W_l has shape (sizes[l+1], sizes[l]),
    b_l has shape (sizes[l+1], 1). Weights ~ N(0, 2 / fan_in) (He), biases ~ N(0, 0.1^2).
    """
    if not isinstance(sizes, (list, tuple)) or len(sizes) < 2:
        raise ValueError(f"sizes must be a list of at least two layer widths, got {sizes!r}")
    sizes = [_integer("sizes", n, low=1) for n in sizes]
    rng = np.random.default_rng(_integer("seed", seed, low=0))
    params = {}
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
        params[f"W{i}"] = rng.normal(0, math.sqrt(2 / n_in), size=(n_out, n_in))
        params[f"b{i}"] = rng.normal(0, 0.1, size=(n_out, 1))
    return params


def _layers(params):
    """The number of layers, after checking the parameter names and shapes chain."""
    if not isinstance(params, dict) or not params:
        raise ValueError("params must be a dict W0, b0, W1, b1, ... of arrays")
    n = len(params) // 2
    if set(params) != {f"{k}{i}" for i in range(n) for k in "Wb"}:
        raise ValueError(f"params must hold W0, b0, ..., W{n - 1}, b{n - 1}, got {sorted(params)}")
    for i in range(n):
        W, b = np.shape(params[f"W{i}"]), np.shape(params[f"b{i}"])
        if len(W) != 2 or b != (W[0], 1):
            raise ValueError(f"params: W{i} must be 2-D and b{i} of shape (rows of W{i}, 1); got {W} and {b}")
        previous = np.shape(params[f"W{i - 1}"])[0] if i else W[1]
        if W[1] != previous:
            raise ValueError(f"params: W{i} has {W[1]} columns but layer {i - 1} has {previous} units")
    return n


def forward_sample(params, x, y):
    """The course model on one sample (column vectors): every intermediate and J.

    z1 = W0 x + b0, a1 = ReLU(z1), ..., f = W_L a_L + b_L, J = 1/2 ||f - y||^2.
    """
    n = _layers(params)
    x = _array("x", x, ndim=2)
    y = _array("y", y, ndim=2)
    if x.shape != (params["W0"].shape[1], 1):
        raise ValueError(f"x must have shape ({params['W0'].shape[1]}, 1), got {x.shape}")
    if y.shape != (params[f"W{n - 1}"].shape[0], 1):
        raise ValueError(f"y must have shape ({params[f'W{n - 1}'].shape[0]}, 1), got {y.shape}")
    values, a = {}, x
    for i in range(n - 1):
        values[f"z{i + 1}"] = params[f"W{i}"] @ a + params[f"b{i}"]
        a = values[f"a{i + 1}"] = np.maximum(values[f"z{i + 1}"], 0)
    values["f"] = params[f"W{n - 1}"] @ a + params[f"b{n - 1}"]
    values["J"] = 0.5 * float(np.sum((values["f"] - y) ** 2))
    return values


def to_batched(params):
    """The same parameters in the batched convention (rows are samples):
    W_l -> W_l transposed, shape (n_in, n_out); b_l -> shape (n_out,)."""
    n = _layers(params)
    out = {}
    for i in range(n):
        out[f"W{i}"] = np.array(params[f"W{i}"], dtype=np.float64).T.copy()
        out[f"b{i}"] = np.array(params[f"b{i}"], dtype=np.float64).ravel()
    return out


def _batched_layers(params, X, Y=None):
    """Check batched parameters and data; return the number of layers, X and Y."""
    if not isinstance(params, dict) or not params or len(params) % 2:
        raise ValueError("params must be a dict W0, b0, W1, b1, ... of arrays (batched convention)")
    n = len(params) // 2
    if set(params) != {f"{k}{i}" for i in range(n) for k in "Wb"}:
        raise ValueError(f"params must hold W0, b0, ..., W{n - 1}, b{n - 1}, got {sorted(params)}")
    width = None
    for i in range(n):
        W, b = np.shape(params[f"W{i}"]), np.shape(params[f"b{i}"])
        if len(W) != 2 or b != (W[1],):
            raise ValueError(f"params: W{i} must be (n_in, n_out) and b{i} of shape (n_out,); got {W} and {b}")
        if width is not None and W[0] != width:
            raise ValueError(f"params: W{i} has {W[0]} rows but layer {i - 1} has {width} units")
        width = W[1]
    X = _array("x", X, ndim=2)
    if X.shape[1] != np.shape(params["W0"])[0]:
        raise ValueError(f"x must have {np.shape(params['W0'])[0]} columns (features), got shape {X.shape}")
    if X.shape[0] == 0:
        raise ValueError("x must hold at least one sample (row)")
    if Y is not None:
        Y = _array("y", Y, ndim=2)
        if Y.shape != (X.shape[0], width):
            raise ValueError(f"y must have shape ({X.shape[0]}, {width}) to match x's {X.shape[0]} rows, got {Y.shape}")
    return n, X, Y


def forward_batch(params, X):
    """Batched forward pass (rows are samples): the list of activations and y_hat.

    a_0 = X, z_{l+1} = a_l W_l + b_l, a_{l+1} = ReLU(z_{l+1}); y_hat = a_L W_L + b_L.
    """
    n, X, _ = _batched_layers(params, X)
    return _forward_batch(params, X, n)


def _forward_batch(params, X, n):
    acts = [X]
    for i in range(n - 1):
        acts.append(np.maximum(acts[-1] @ params[f"W{i}"] + params[f"b{i}"], 0))
    return acts, acts[-1] @ params[f"W{n - 1}"] + params[f"b{n - 1}"]


def loss_batch(params, X, Y):
    """J = 1/(2N) sum_n ||y_hat_n - y_n||^2."""
    n, X, Y = _batched_layers(params, X, Y)
    return _loss(params, X, Y, n)


def _loss(params, X, Y, n):
    error = _forward_batch(params, X, n)[1] - Y
    return 0.5 * float(np.sum(error * error)) / len(X)


def backward_batch(params, X, Y, *, with_loss=False, check=True):
    """Gradients of J = 1/(2N) sum ||y_hat_n - y_n||^2 for a batch (train.py's blank).

    Equations (2)-(7) of notebook 02 with rows as samples: each per-sample
    outer product becomes a matrix product that sums over the batch, and the
    1/N of the averaged loss enters once, at dJ/dy_hat. With ``with_loss``,
    returns (J, gradients) from the same forward pass. ``check=False`` skips
    the input checks (for a loop that checked its data once).
    """
    n, X, Y = _batched_layers(params, X, Y) if check else (len(params) // 2, X, Y)
    acts, y_hat = _forward_batch(params, X, n)
    error = y_hat - Y
    grads = {}
    delta = error / len(X)  # dJ/dy_hat, (N, n_out): eq. (2), averaged
    for i in reversed(range(n)):
        grads[f"W{i}"] = acts[i].T @ delta  # eqs. (3), (5), (7): sum over samples of outer products
        grads[f"b{i}"] = delta.sum(axis=0)
        if i:
            # eqs. (3)+(4), (5)+(6): back through W_i, then the ReLU mask (a > 0 exactly when z > 0)
            delta = (delta @ params[f"W{i}"].T) * (acts[i] > 0)
    grads = {name: grads[name] for name in params}
    return (0.5 * float(np.sum(error * error)) / len(X), grads) if with_loss else grads


def kink_margin(params, X):
    """Smallest |z| over every hidden pre-activation of a batch (batched parameters).

    A central finite difference with step eps is only valid if no z lies within
    (about) eps of ReLU's kink at 0: check that this margin is much larger.
    """
    n, X, _ = _batched_layers(params, X)
    acts, _ = _forward_batch(params, X, n)
    margins = [np.abs(a @ params[f"W{i}"] + params[f"b{i}"]).min() for i, a in enumerate(acts[:-1])]
    return float(min(margins, default=np.inf))


def numeric_gradient(f, x, eps=1e-6):
    """Central finite differences of a scalar function f at the float64 array x.

    Each coordinate is moved by +-eps in turn (x is restored afterwards), so the
    truncation error is O(eps^2) and the rounding error O(1e-16 / eps).
    """
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError("x must be a float64 numpy array (it is perturbed in place)")
    eps = _number("eps", eps, low=0, low_open=True)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        up = f()
        x[i] = saved - eps
        down = f()
        x[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad


def relative_error(a, b):
    """||a - b|| / max(||a||, ||b||): 0 for equal arrays, 1 for unrelated ones."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    scale = max(np.linalg.norm(a), np.linalg.norm(b))
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)


class Node:
    """One node of a computing graph: data, a parameter, or an operator's result."""

    def __init__(self, name, kind, op=None, inputs=(), value=None, const=None):
        self.name, self.kind, self.op, self.inputs = name, kind, op, tuple(inputs)
        self.value, self.const = value, const

    def __repr__(self):
        shape = "x".join(map(str, np.shape(self.value))) or "scalar"
        return f"Node({self.name!r}, {self.kind}{', ' + self.op if self.op else ''}, {shape})"


def _unbroadcast(grad, shape):
    """Sum a gradient over the axes that broadcasting added or stretched."""
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, n in enumerate(shape):
        if n == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad


# op: (symbol drawn in the circle, how the result is written, how each input's gradient is written)
OP_TEXT = {
    "matmul": ("@", "{0} {1}", ("∂J/∂{u} · {1}ᵀ", "{0}ᵀ · ∂J/∂{u}")),
    "add": ("+", "{0} + {1}", ("∂J/∂{u}", "∂J/∂{u}")),
    "sub": ("−", "{0} − {1}", ("∂J/∂{u}", "−∂J/∂{u}")),
    "relu": ("ReLU", "ReLU({0})", ("ReLU′({0}) ⊙ ∂J/∂{u}",)),
    "sqnorm": ("‖·‖²", "‖{0}‖²", ("2 {0} · ∂J/∂{u}",)),
    "scale": ("×{c}", "{c} · {0}", ("{c} · ∂J/∂{u}",)),
}


class Graph:
    """A computing graph recorded while the forward pass runs.

    Leaves are data (``data``) and parameters (``param``); every operator call
    (``matmul``, ``add``, ``sub``, ``relu``, ``sqnorm``, ``scale``) computes its
    value at once and records a node, so ``nodes`` is in topological order.
    ``evaluate`` re-runs the forward pass with new leaf values; ``backward``
    runs it in reverse and returns dJ/d(node) for every node.
    """

    def __init__(self):
        self.nodes, self._by_name, self._grads = [], {}, None

    # -- building ----------------------------------------------------------
    def _add(self, node):
        if not isinstance(node.name, str) or not node.name:
            raise ValueError(f"name must be a non-empty string, got {node.name!r}")
        if node.name in self._by_name:
            raise ValueError(f"name {node.name!r} is already a node of this graph")
        self.nodes.append(node)
        self._by_name[node.name] = node
        self._grads = None
        return node

    def data(self, name, value):
        return self._add(Node(name, "data", value=_array(name, value).copy()))

    def param(self, name, value):
        return self._add(Node(name, "param", value=_array(name, value).copy()))

    def _op(self, op, inputs, name, const=None):
        for node in inputs:
            if not isinstance(node, Node) or self._by_name.get(node.name) is not node:
                raise ValueError(f"inputs of {op} must be nodes of this graph, got {node!r}")
        name = name or f"t{len(self.nodes)}"
        node = Node(name, "op", op, inputs, const=const)
        node.value = self._compute(node)
        return self._add(node)

    def matmul(self, a, b, name=None):
        return self._op("matmul", (a, b), name)

    def add(self, a, b, name=None):
        return self._op("add", (a, b), name)

    def sub(self, a, b, name=None):
        return self._op("sub", (a, b), name)

    def relu(self, a, name=None):
        return self._op("relu", (a,), name)

    def sqnorm(self, a, name=None):
        return self._op("sqnorm", (a,), name)

    def scale(self, c, a, name=None):
        return self._op("scale", (a,), name, const=_number("c", c))

    # -- forward -------------------------------------------------------------
    @staticmethod
    def _compute(node):
        v = [i.value for i in node.inputs]
        names = " and ".join(f"{i.name} {np.shape(i.value)}" for i in node.inputs)
        if node.op == "matmul":
            if np.ndim(v[0]) != 2 or np.ndim(v[1]) != 2 or v[0].shape[1] != v[1].shape[0]:
                product = f"{node.inputs[0].name} @ {node.inputs[1].name}"
                raise ValueError(f"shapes do not match for {node.name} = {product}: {names}")
            return v[0] @ v[1]
        if node.op in ("add", "sub"):
            try:
                out_shape = np.broadcast_shapes(np.shape(v[0]), np.shape(v[1]))
            except ValueError:
                raise ValueError(f"shapes do not match for {node.name} ({node.op}): {names}") from None
            if out_shape != np.shape(v[0]):
                raise ValueError(f"shapes do not match for {node.name} ({node.op}): {names}")
            return v[0] + v[1] if node.op == "add" else v[0] - v[1]
        if node.op == "relu":
            return np.maximum(v[0], 0)
        if node.op == "sqnorm":
            return float(np.sum(np.square(v[0])))
        return node.const * v[0]

    def node(self, name):
        if name not in self._by_name:
            raise ValueError(f"name must be a node of this graph ({', '.join(self._by_name)}), got {name!r}")
        return self._by_name[name]

    @property
    def output(self):
        return self.nodes[-1]

    def evaluate(self, **leaves):
        """Run the forward pass again, with new values for some leaves; return the output."""
        for name, value in leaves.items():
            node = self.node(name)
            if node.kind == "op":
                raise ValueError(f"{name} is an operator's result; only data and parameters can be set")
            value = _array(name, value)
            if value.shape != np.shape(node.value):
                raise ValueError(f"{name} must keep its shape {np.shape(node.value)}, got {value.shape}")
            node.value = value
        for node in self.nodes:
            if node.kind == "op":
                node.value = self._compute(node)
        self._grads = None
        return self.output.value

    # -- backward ------------------------------------------------------------
    def backward(self):
        """dJ/d(node) for every node, J being the graph's (scalar) output.

        Reverse topological order; each operator passes its upstream gradient
        to its inputs through its local derivative, and a node used twice
        accumulates both contributions.
        """
        if np.ndim(self.output.value) != 0:
            raise ValueError(f"the output {self.output.name} must be a scalar to run backward")
        grads = {node.name: np.zeros_like(np.asarray(node.value, dtype=np.float64)) for node in self.nodes}
        grads[self.output.name] = np.float64(1.0)
        for node in reversed(self.nodes):
            if node.kind != "op":
                continue
            g = grads[node.name]
            v = [i.value for i in node.inputs]
            if node.op == "matmul":
                parts = (g @ v[1].T, v[0].T @ g)
            elif node.op == "add":
                parts = (g, g)
            elif node.op == "sub":
                parts = (g, -g)
            elif node.op == "relu":
                parts = ((v[0] > 0) * g,)  # ReLU'(0) taken as 0
            elif node.op == "sqnorm":
                parts = (2 * v[0] * g,)
            else:
                parts = (node.const * g,)
            for inp, part in zip(node.inputs, parts, strict=True):
                grads[inp.name] = grads[inp.name] + _unbroadcast(np.asarray(part), np.shape(inp.value))
        self._grads = grads
        return grads

    def gradient(self, name):
        """dJ/d(name), running backward first if needed."""
        self.node(name)
        if self._grads is None:
            self.backward()
        return self._grads[name]

    # -- words ---------------------------------------------------------------
    def formula(self, name):
        """How a node's value is computed, in words: 'z1 = W0 x + b0'."""
        node = self.node(name)
        if node.kind != "op":
            return f"{name}: {'parameter' if node.kind == 'param' else 'input data'}"
        unary = len(node.inputs) == 1 and node.op != "scale"  # ReLU(...) and ‖...‖² need no parentheses
        names = [i.name if unary else _paren(i.name) for i in node.inputs]
        text = OP_TEXT[node.op][1].format(*names, c=_fmt_const(node.const))
        return f"{name}  ({node.op})" if text == name else f"{name} = {text}"

    def gradient_rule(self, name):
        """How dJ/d(name) is computed from the gradients of the nodes that use it."""
        node = self.node(name)
        if node is self.output:
            return f"∂J/∂{_paren(name)} = 1"
        terms = []
        for user in self.nodes:
            for k, inp in enumerate(user.inputs):
                if inp is node:
                    rule = OP_TEXT[user.op][2][k]
                    names = [_paren(i.name) for i in user.inputs]
                    terms.append(rule.format(*names, u=_paren(user.name), c=_fmt_const(user.const)))
        if not terms:
            return f"∂J/∂{_paren(name)} = 0 ({name} does not reach J)"
        return f"∂J/∂{_paren(name)} = " + " + ".join(terms)

    def consumers(self, name):
        node = self.node(name)
        return [user for user in self.nodes if node in user.inputs]


def _paren(name):
    """A compound node name in parentheses, so that rules read unambiguously."""
    bracketed = name.startswith("‖") and name.endswith("‖²")
    return name if bracketed or re.fullmatch(r"[A-Za-z]\w*", name) else f"({name})"


def _fmt_const(c):
    return None if c is None else f"{c:g}"


def course_graph(params, x, y):
    """Record the computing graph of J(theta, x) for the course model.

    Hidden layers: z = W a + b, a = ReLU(z); the last layer is linear (f);
    then J = 1/2 ||f - y||^2. Works for any number of layers.
    """
    n = _layers(params)
    g = Graph()
    a = g.data("x", x)
    y_node = g.data("y", y)
    for i in range(n):
        W, b = g.param(f"W{i}", params[f"W{i}"]), g.param(f"b{i}", params[f"b{i}"])
        a_name = "x" if i == 0 else f"a{i}"
        product = g.matmul(W, a, name=f"W{i} {a_name}")
        if i < n - 1:
            z = g.add(product, b, name=f"z{i + 1}")
            a = g.relu(z, name=f"a{i + 1}")
        else:
            f = g.add(product, b, name="f")
    d = g.sub(f, y_node, name="f − y")
    s = g.sqnorm(d, name="‖f − y‖²")
    g.scale(0.5, s, name="J")
    return g


# --------------------------------------------------------------------------
# Notebook 03: the training loop on a toy regression
# --------------------------------------------------------------------------


def toy_function(x):
    """The toy regression's true function: a line plus a wiggle."""
    return 2 + 2 * x + np.sin(2 * x)


#: Standard deviation of the toy data's noise: no model beats a loss of TOY_NOISE**2 / 2 on average.
TOY_NOISE = 0.2


def toy_regression(seed=0, n_train=200, n_test=100, noise=TOY_NOISE):
    """Seeded toy data: x ~ U(-2, 2), y = 2 + 2x + sin(2x) + N(0, noise^2).

    Returns (X_train, Y_train, X_test, Y_test), each a column (rows are samples).
    """
    rng = np.random.default_rng(_integer("seed", seed, low=0))
    n_train = _integer("n_train", n_train, low=1)
    n_test = _integer("n_test", n_test, low=1)
    noise = _number("noise", noise, low=0)
    x = rng.uniform(-2, 2, size=(n_train + n_test, 1))
    y = toy_function(x) + noise * rng.normal(size=x.shape)
    return x[:n_train], y[:n_train], x[n_train:], y[n_train:]


@dataclass
class Training:
    """The result of :func:`train`."""

    params: dict  # batched parameters after the last update
    losses: np.ndarray  # training loss at the start of each epoch (before its update)
    test_losses: np.ndarray  # test loss at the same moments
    final_loss: float  # training loss after the last update (nan if diverged)
    test_loss: float  # test loss after the last update (nan if diverged)
    diverged_at: int | None  # epoch whose loss passed BLOWUP times the first, or None

    @property
    def diverged(self):
        return self.diverged_at is not None


def train(X, Y, X_test, Y_test, hidden=16, lr=0.05, epochs=100, seed=0, log=None):
    """Full-batch gradient descent on the course model with two hidden ReLU layers.

    Each epoch: one forward and backward pass over the whole training set
    (h.backward_batch's equations), then W <- W - lr dJ/dW for every parameter.
    ``log`` (say, ``print``) receives "epoch: loss is ..." lines and the test loss,
    in the worked solution's format. A run whose loss passes BLOWUP times its
    first value, or stops being finite, is stopped and reported as diverged.
    """
    lr = _number("lr", lr, low=0, low_open=True)
    hidden = _integer("hidden", hidden, low=1, high=4096)
    epochs = _integer("epochs", epochs, low=1)
    X, Y = _array("x", X, ndim=2), _array("y", Y, ndim=2)
    X_test, Y_test = _array("x_test", X_test, ndim=2), _array("y_test", Y_test, ndim=2)
    if len(X) != len(Y) or len(X) == 0:
        raise ValueError(f"x and y must have the same number of rows (samples), got {len(X)} and {len(Y)}")
    if len(X_test) != len(Y_test) or len(X_test) == 0:
        raise ValueError(f"x_test and y_test must have the same number of rows, got {len(X_test)} and {len(Y_test)}")
    if X_test.shape[1] != X.shape[1] or Y_test.shape[1] != Y.shape[1]:
        raise ValueError("x_test and y_test must have as many columns as x and y")
    params = to_batched(init_params((X.shape[1], hidden, hidden, Y.shape[1]), seed=seed))
    _batched_layers(params, X, Y)
    _batched_layers(params, X_test, Y_test)
    losses, history, diverged_at, limit = [], [], None, math.inf
    with np.errstate(over="ignore", invalid="ignore"):  # a diverging run is detected below, not warned about
        for epoch in range(epochs):
            loss, grads = backward_batch(params, X, Y, with_loss=True, check=False)
            if not math.isfinite(loss) or loss > limit:
                diverged_at = epoch
                break
            limit = BLOWUP * max(loss, 1e-300) if epoch == 0 else limit
            losses.append(loss)
            history.append({name: value.copy() for name, value in params.items()})
            if log is not None:
                log(f"{epoch}: loss is {loss:.6f}")
            for name, grad in grads.items():
                params[name] -= lr * grad
        test_losses = _losses_along(history, X_test, Y_test)
        final = math.nan if diverged_at is not None else _loss(params, X, Y, 3)
        test = math.nan if diverged_at is not None else _loss(params, X_test, Y_test, 3)
    if log is not None:
        log(f"Diverged at epoch {diverged_at}: stopped." if diverged_at is not None else f"Test loss is {test:.6f}")
    return Training(params, np.array(losses), test_losses, final, test, diverged_at)


def _losses_along(history, X, Y):
    """The loss of every parameter set in ``history`` on (X, Y), in one stacked forward pass."""
    if not history:
        return np.zeros(0)
    n = len(history[0]) // 2
    a = X[None]  # (1, N, d), broadcast over the E parameter sets
    for i in range(n):
        W = np.stack([p[f"W{i}"] for p in history])  # (E, n_in, n_out)
        b = np.stack([p[f"b{i}"] for p in history])[:, None, :]  # (E, 1, n_out)
        a = a @ W + b if i == n - 1 else np.maximum(a @ W + b, 0)
    return 0.5 * np.sum((a - Y[None]) ** 2, axis=(1, 2)) / len(X)


def predict(params, X):
    """The network's output for the rows of X (batched parameters)."""
    n, X, _ = _batched_layers(params, X)
    return _forward_batch(params, X, n)[1]


# --------------------------------------------------------------------------
# Notebook 04: gradient descent and momentum on a quadratic
# --------------------------------------------------------------------------

#: Hessian eigenvalues of L(x) = x1^2 + 99 x2^2 = 1/2 (2 x1^2 + 198 x2^2).
LAMBDAS_1_99 = (2.0, 198.0)

METHODS = ("gd", "momentum", "nesterov")
METHOD_NAMES = {
    "gd": "gradient descent",
    "momentum": "heavy-ball momentum",
    "nesterov": "Nesterov momentum",
}

#: A run counts as diverged once its loss exceeds this multiple of the start loss.
BLOWUP = 1e6


def _lambdas(lambdas):
    lam = _array("lambdas", lambdas, ndim=1)
    if lam.size == 0 or np.any(lam <= 0):
        raise ValueError("lambdas must be a non-empty list of positive curvatures")
    return lam


def seeded_start(seed=3):
    """The course's start point for notebook 04: uniform in [-1, 1] x [-0.5, 0.5], seeded."""
    seed = _integer("seed", seed, low=0)
    return np.random.default_rng(seed).uniform([-1, -0.5], [1, 0.5])


def quadratic_loss(x, lambdas=LAMBDAS_1_99):
    """L(x) = 1/2 sum_i lambda_i x_i^2 (the last axis of x holds the coordinates)."""
    lam = _lambdas(lambdas)
    x = np.asarray(x, dtype=np.float64)
    if x.shape[-1:] != lam.shape:
        raise ValueError(f"x must end in an axis of length {lam.size}, got shape {x.shape}")
    return 0.5 * np.sum(lam * x**2, axis=-1)


def quadratic_grad(x, lambdas=LAMBDAS_1_99):
    """The gradient of :func:`quadratic_loss`: lambda_i x_i per coordinate."""
    lam = _lambdas(lambdas)
    x = np.asarray(x, dtype=np.float64)
    if x.shape[-1:] != lam.shape:
        raise ValueError(f"x must end in an axis of length {lam.size}, got shape {x.shape}")
    return lam * x


def gd_step(x, x_prev, grad, eta, beta):
    """Plain gradient descent: x_{t+1} = x_t - eta grad(x_t) (beta is unused)."""
    return x - eta * grad(x)


def heavy_ball_step(x, x_prev, grad, eta, beta):
    """Polyak's heavy ball: x_{t+1} = x_t - eta grad(x_t) + beta (x_t - x_{t-1})."""
    return x - eta * grad(x) + beta * (x - x_prev)


def nesterov_step(x, x_prev, grad, eta, beta):
    """Nesterov: look ahead to y = x_t + beta (x_t - x_{t-1}), then step from y."""
    y = x + beta * (x - x_prev)
    return y - eta * grad(y)


STEPS = {"gd": gd_step, "momentum": heavy_ball_step, "nesterov": nesterov_step}


@dataclass
class Run:
    """The result of :func:`optimize`."""

    path: np.ndarray  # (k + 1, d) iterates x_0 ... x_k
    losses: np.ndarray  # (k + 1,) loss of each iterate
    diverged_at: int | None  # first step whose loss passed BLOWUP * L(x_0), or None

    @property
    def diverged(self):
        return self.diverged_at is not None


def optimize(method, eta, beta, steps, x0, lambdas=LAMBDAS_1_99):
    """Run ``steps`` updates of ``method`` on the quadratic from ``x0``.

    The run stops as soon as the loss exceeds BLOWUP times the start loss, so a
    diverging run never overflows; ``Run.diverged_at`` then names that step.
    """
    _choice("method", method, METHODS)
    eta = _number("eta", eta, low=0, low_open=True)
    beta = _number("beta", beta, low=0, high=1, high_open=True)
    steps = _integer("steps", steps, low=1)
    lam = _lambdas(lambdas)
    x = _array("x0", x0, shape=lam.shape)
    step = STEPS[method]

    def grad(v):
        return lam * v

    limit = BLOWUP * max(0.5 * float(lam @ (x * x)), 1e-300)
    path = [x]
    x_prev = x
    diverged_at = None
    for t in range(1, steps + 1):
        x, x_prev = step(x, x_prev, grad, eta, beta), x
        path.append(x)
        if 0.5 * float(lam @ (x * x)) > limit:
            diverged_at = t
            break
    path = np.array(path)
    return Run(path, 0.5 * np.sum(lam * path**2, axis=1), diverged_at)


def _char_coefficients(method, eta, beta, lam):
    """(b, c) of the per-direction characteristic polynomial z^2 - b z + c."""
    h = eta * lam
    if method == "gd":
        return 1 - h, np.zeros_like(h)
    if method == "momentum":
        return 1 + beta - h, beta + np.zeros_like(h)
    return (1 + beta) * (1 - h), beta * (1 - h)


def spectral_radius(method, eta, beta, lam):
    """Largest root modulus of z^2 - b z + c for one curvature ``lam``.

    Broadcasts over arrays of eta, beta and lam. The error along an eigen-
    direction of curvature lam shrinks by this factor per step (asymptotically).
    """
    _choice("method", method, METHODS)
    eta, beta, lam = (np.asarray(v, dtype=np.float64) for v in (eta, beta, lam))
    if np.any(eta <= 0):
        raise ValueError("eta must be > 0")
    if np.any(beta < 0) or np.any(beta >= 1):
        raise ValueError("beta must be in [0, 1)")
    if np.any(lam <= 0):
        raise ValueError("lam must be > 0")
    b, c = _char_coefficients(method, eta, beta, lam)
    root = np.sqrt((b * b - 4 * c).astype(np.complex128))
    return np.maximum(np.abs(b + root), np.abs(b - root)) / 2


def convergence_rate(method, eta, beta, lambdas=LAMBDAS_1_99):
    """Worst spectral radius over all curvatures: the method's rate per step."""
    lam = _lambdas(lambdas)
    eta, beta = np.broadcast_arrays(np.asarray(eta, float), np.asarray(beta, float))
    rates = [spectral_radius(method, eta, beta, v) for v in lam]
    rate = np.max(rates, axis=0)
    return float(rate) if rate.ndim == 0 else rate


def stability_limit(method, beta, lam_max):
    """Largest stable eta (exclusive) for curvature ``lam_max``.

    GD: eta lam < 2. Heavy ball: eta lam < 2 (1 + beta).
    Nesterov: eta lam < 2 (1 + beta) / (1 + 2 beta). (Jury's test on z^2 - b z + c.)
    """
    _choice("method", method, METHODS)
    beta = _number("beta", beta, low=0, high=1, high_open=True)
    lam_max = _number("lam_max", lam_max, low=0, low_open=True)
    if method == "gd":
        return 2 / lam_max
    if method == "momentum":
        return 2 * (1 + beta) / lam_max
    return 2 * (1 + beta) / ((1 + 2 * beta) * lam_max)


def best_gd(lam_min, lam_max):
    """Best fixed GD step and its rate: eta = 2/(m + L), rate = (L - m)/(L + m)."""
    m = _number("lam_min", lam_min, low=0, low_open=True)
    big = _number("lam_max", lam_max, low=m)
    return 2 / (m + big), (big - m) / (big + m)


def best_heavy_ball(lam_min, lam_max):
    """Polyak's optimal (eta, beta, rate) for curvatures in [m, L].

    eta = 4 / (sqrt L + sqrt m)^2, beta = ((sqrt L - sqrt m)/(sqrt L + sqrt m))^2,
    rate = sqrt(beta).
    """
    m = _number("lam_min", lam_min, low=0, low_open=True)
    big = _number("lam_max", lam_max, low=m)
    s, r = math.sqrt(big), math.sqrt(m)
    beta = ((s - r) / (s + r)) ** 2
    return 4 / (s + r) ** 2, beta, math.sqrt(beta)


def measured_rate(path):
    """Rate per step measured from a run: exp of the slope of log ||x_t||.

    The slope is a least-squares fit over the second half of the run, where the
    slowest direction dominates.
    """
    path = _array("path", path, ndim=2)
    if len(path) < 4:
        raise ValueError("path must hold at least 4 iterates to measure a rate")
    norms = np.linalg.norm(path, axis=1)
    t = np.arange(len(path))[len(path) // 2 :]
    tail = norms[len(path) // 2 :]
    keep = tail > 0
    if keep.sum() < 2:
        return 0.0
    slope = np.polyfit(t[keep], np.log(tail[keep]), 1)[0]
    return float(np.exp(slope))


# --------------------------------------------------------------------------
# Figures and explorers
# --------------------------------------------------------------------------


def _png_chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def rgba_png(rgba):
    """Encode an RGBA buffer (height, width, 4) as an RGB PNG, fast.

    A plain writer (no per-row filter search, zlib level 1) takes about half the
    time of Pillow's on this machine, with files of the same size for plots.
    """
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] not in (3, 4):
        raise ValueError(f"rgba must be a (height, width, 3 or 4) uint8 array, got {rgba.dtype} {rgba.shape}")
    rgb = rgba[..., :3]
    height, width, _ = rgb.shape
    rows = np.zeros((height, 1 + 3 * width), dtype=np.uint8)  # each row: filter type 0, then pixels
    rows[:, 1:] = rgb.reshape(height, -1)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(
        b"IDAT", zlib.compress(rows.tobytes(), 1)
    ) + _png_chunk(b"IEND", b"")


def new_figure(figsize, dpi=90):
    """A Figure outside pyplot (never auto-displayed), with a constrained layout."""
    fig = Figure(figsize=figsize, dpi=dpi, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


class StaticFigure:
    """A PNG plus a text that states what it shows; displays as both."""

    def __init__(self, png, text):
        self.png, self.text = png, text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.text}


class Explorer(widgets.VBox):
    """Controls above an Output widget holding the rendered figure.

    Subclasses build a Figure and implement ``compute(**values)`` (numbers only),
    ``draw(state)`` (update artists in place) and ``describe(state)`` (one text
    stating the setting and the results). Each control change recomputes,
    redraws and assigns the PNG to the Output widget's ``outputs`` trait: no
    ``with out:`` capture is needed, so the explorer works without a kernel (in
    tests) and strict nbval compares its text.

    Speed: the layout is solved once and then frozen, and everything that a
    control does not change is drawn once into a cached background. An update
    restores that background and draws only ``dynamic_artists()`` on top. A
    subclass whose static part does change (say, a colour map that depends on a
    choice) returns a different ``background_key(state)`` for it.
    """

    def __init__(self, controls, fig):
        self.controls = dict(controls)
        self.fig = fig
        self.figure_output = widgets.Output()
        names = list(self.controls.values())
        rows = [widgets.HBox(names[i : i + 2]) for i in range(0, len(names), 2)]
        super().__init__(children=[*rows, self.figure_output])
        self.updates = 0
        self._backgrounds, self._pixels, self._holding = {}, {}, False
        self.draw(self.compute(**self.values()))
        self.fig.canvas.draw()  # solve the layout once ...
        self.fig.set_layout_engine(None)  # ... and freeze it
        self.update()
        for widget in self.controls.values():
            widget.observe(self._on_change, names="value")

    def dynamic_artists(self):
        return []

    def cached_artists(self, state):
        """(artist, key) pairs drawn like dynamic artists, but whose pixels are
        cached per key: an axis whose limits a control sets, for example."""
        return []

    def background_key(self, state):
        return None

    def values(self):
        return {name: widget.value for name, widget in self.controls.items()}

    def choices(self, name):
        """The legal extreme values of a control: its ends, or all its options."""
        widget = self.controls[name]
        if hasattr(widget, "options"):
            return [o[1] if isinstance(o, tuple) else o for o in widget.options]
        if hasattr(widget, "base"):  # a log slider
            return [widget.base**widget.min, widget.base**widget.max]
        return [widget.min, widget.max]

    def random_value(self, name, rng):
        """A random legal value of a control (log-uniform on a log slider)."""
        widget = self.controls[name]
        if hasattr(widget, "options"):
            options = self.choices(name)
            return options[rng.integers(len(options))]
        if hasattr(widget, "base"):
            return widget.base ** rng.uniform(widget.min, widget.max)
        if isinstance(widget.value, int):
            return int(rng.integers(widget.min, widget.max + 1))
        return float(rng.uniform(widget.min, widget.max))

    def _on_change(self, change):
        if not self._holding:
            self.update()

    def _render(self, state):
        canvas, dynamic = self.fig.canvas, self.dynamic_artists()
        cached = self.cached_artists(state)
        key = self.background_key(state)
        if key in self._backgrounds:
            canvas.restore_region(self._backgrounds[key])
        else:  # first time for this key: draw the static part once and keep it
            for artist in dynamic + [artist for artist, _ in cached]:
                artist.set_animated(True)  # Figure.draw skips animated artists
            canvas.draw()
            self._backgrounds[key] = canvas.copy_from_bbox(self.fig.bbox)
        for artist, artist_key in cached:
            pixels_key = (key, id(artist), artist_key)
            if pixels_key in self._pixels:
                canvas.restore_region(self._pixels[pixels_key])
            else:
                self.fig.draw_artist(artist)
                if len(self._pixels) > 256:
                    self._pixels.clear()
                box = artist.get_tightbbox(canvas.get_renderer()).padded(2)
                self._pixels[pixels_key] = canvas.copy_from_bbox(box)
        for artist in dynamic:
            if artist.get_visible():
                self.fig.draw_artist(artist)
        return rgba_png(canvas.buffer_rgba())

    def set(self, **values):
        """Set several controls at once, with a single update."""
        unknown = set(values) - set(self.controls)
        if unknown:
            raise ValueError(f"values must name controls among {sorted(self.controls)}, got {sorted(unknown)}")
        self._holding = True
        try:
            for name, value in values.items():
                self.controls[name].value = value
        finally:
            self._holding = False
        self.update()

    def update(self):
        self.state = self.compute(**self.values())
        self.draw(self.state)
        self.text = self.describe(self.state)
        self.png = self._render(self.state)
        self.updates += 1
        data = {"image/png": base64.b64encode(self.png).decode("ascii"), "text/plain": self.text}
        self.figure_output.outputs = ({"output_type": "display_data", "data": data, "metadata": {}},)

    def static_figure(self):
        """The current figure as an ordinary output (readable where widgets don't render)."""
        return StaticFigure(self.png, self.text)

    def _repr_mimebundle_(self, **kwargs):
        bundle = dict(super()._repr_mimebundle_(**kwargs))
        bundle["text/plain"] = self.text
        return bundle


# --------------------------------------------------------------------------
# Drawing a computing graph (notebooks 01 and 02)
# --------------------------------------------------------------------------

#: Okabe-Ito colours (colour-blind safe): operators blue, parameters orange,
#: data grey, the result green.
GRAPH_STYLE = {
    "op": {"facecolor": "#D6EAF8", "edgecolor": "#0072B2"},
    "param": {"facecolor": "#FCE5B4", "edgecolor": "#E69F00"},
    "data": {"facecolor": "#E8E8E8", "edgecolor": "#555555"},
    "result": {"facecolor": "#C6EBDD", "edgecolor": "#009E73"},
}


def tex_name(name):
    """'W0 x' -> '$W_0 x$', 'z1' -> '$z_1$', '‖f − y‖²' -> '$\\|f - y\\|^2$'."""
    text = re.sub(r"([A-Za-z])(\d+)", r"\1_{\2}", name)
    text = text.replace("−", "-").replace("‖", r"\|").replace("²", "^2")
    return f"${text}$"


def _graph(name, graph):
    if not isinstance(graph, Graph) or not graph.nodes:
        raise ValueError(f"{name} must be a non-empty helpers.Graph, got {type(graph).__name__}")
    return graph


def graph_layout(graph):
    """Grid positions (column, row) of every node.

    Operators run left to right on row 0, each one column after its latest
    operator input; a parameter sits above the operator that first uses it,
    data below it, and the first operator's data input (x) to its left. For a
    chain like the course model no arrows cross.
    """
    _graph("graph", graph)
    pos, taken, column = {}, set(), {}

    def place(name, col, row):
        rows = [row] + [r for k in range(1, 20) for r in (row - 2 * k, row + 2 * k)]
        free = next(r for r in rows if (col, r) not in taken)
        pos[name] = (col, free)
        taken.add((col, free))

    for node in graph.nodes:
        if node.kind != "op":
            continue
        op_inputs = [i for i in node.inputs if i.kind == "op"]
        column[node.name] = max((column[i.name] for i in op_inputs), default=0) + 1
        col = column[node.name]
        place(node.name, col, 0)
        leaves = [i for i in node.inputs if i.kind != "op" and i.name not in pos]
        spine = None if op_inputs else next((leaf for leaf in reversed(leaves) if leaf.kind == "data"), None)
        if spine is not None:
            place(spine.name, col - 1, 0)
            leaves.remove(spine)
        for leaf in leaves:
            place(leaf.name, col, 1 if leaf.kind == "param" else -1)
    for node in graph.nodes:  # leaves that no operator uses
        if node.name not in pos:
            place(node.name, 0, 2)
    return pos


def graph_figsize(graph):
    """A figure size (inches) that fits the graph's drawing at notebook width."""
    columns = max(c for c, _ in graph_layout(graph).values()) + 2
    return (0.8 * columns + 0.3, 2.9)


def draw_graph(graph, ax, shapes=True):
    """Draw the graph on ``ax``: circles for operators, ellipses for parameters,
    boxes for data and the result J; intermediate values named; edges labelled
    with the shapes of the tensors they carry. Returns node name -> centre."""
    from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, FancyBboxPatch

    if not hasattr(ax, "add_patch"):
        raise ValueError(f"ax must be a matplotlib Axes, got {type(ax).__name__}")
    pos = graph_layout(graph)
    patches = {}
    for node in graph.nodes:
        x, y = pos[node.name]
        style = GRAPH_STYLE[node.kind]
        if node.kind == "op":
            patch = Circle((x, y), 0.3, linewidth=1.2, **style)
            label = OP_TEXT[node.op][0].format(c=_fmt_const(node.const))
        elif node.kind == "param":
            patch = Ellipse((x, y), 0.66, 0.42, linewidth=1.2, **style)
            label = tex_name(node.name)
        else:
            patch = FancyBboxPatch((x - 0.22, y - 0.16), 0.44, 0.32, boxstyle="round,pad=0.04", linewidth=1.2, **style)
            label = tex_name(node.name)
        ax.add_patch(patch)
        patches[node.name] = patch
        ax.text(x, y, label, ha="center", va="center", fontsize=8 if node.kind == "op" else 10, zorder=3)
        if node.kind == "op" and node is not graph.output:
            ax.text(x + 0.1, y - 0.34, tex_name(node.name), ha="left", va="top", fontsize=9, color="#0072B2")
    # the result J, one column after the last operator
    out_x, out_y = pos[graph.output.name]
    result = FancyBboxPatch((out_x + 0.78, out_y - 0.16), 0.44, 0.32, boxstyle="round,pad=0.04",
                            linewidth=1.6, **GRAPH_STYLE["result"])
    ax.add_patch(result)
    ax.text(out_x + 1, out_y, "$J$", ha="center", va="center", fontsize=11, zorder=3)
    edges = [(i.name, n.name) for n in graph.nodes for i in n.inputs] + [(graph.output.name, None)]
    for src, dst in edges:
        (x0, y0), target = pos[src], result if dst is None else patches[dst]
        x1, y1 = (out_x + 1, out_y) if dst is None else pos[dst]
        ax.add_patch(FancyArrowPatch((x0, y0), (x1, y1), patchA=patches[src], patchB=target, arrowstyle="-|>",
                                     mutation_scale=9, linewidth=0.9, color="0.25", shrinkA=1, shrinkB=1))
        if not shapes:
            continue
        shape = "×".join(map(str, np.shape(graph.node(src).value))) or "scalar"
        if y0 == y1:
            ax.text((x0 + x1) / 2, y0 + 0.07, shape, ha="center", va="bottom", fontsize=7, color="0.35")
        else:
            ax.text(x1 - 0.07, (y0 + y1) / 2, shape, ha="right", va="center", fontsize=7, color="0.35")
    columns = [c for c, _ in pos.values()]
    rows = [r for _, r in pos.values()]
    ax.set(xlim=(min(columns) - 0.45, out_x + 1.4), ylim=(min(rows) - 0.5, max(rows) + 0.4), aspect="equal")
    ax.set_axis_off()
    return pos


def graph_explorer(graph, direction="forward", equations=None):
    """Step through the forward or backward pass of a graph, node by node.

    ``equations`` optionally maps node names to the label of the equation that
    gives their gradient (notebook 02 numbers its derivation).
    """
    _graph("graph", graph)
    _choice("direction", direction, ("forward", "backward"))
    equations = dict(equations or {})
    for name in equations:
        graph.node(name)
    graph.backward()
    controls = {
        "step": widgets.IntSlider(value=0, min=0, max=len(graph.nodes) - 1, description="step"),
        "direction": widgets.ToggleButtons(options=["forward", "backward"], value=direction, description="pass"),
    }
    return GraphExplorer(controls, graph, equations)


def _few(values, k=4):
    flat = np.ravel(values)
    shown = ", ".join(f"{v:+.3f}" for v in flat[:k])
    return f"[{shown}{', …' if flat.size > k else ''}]"


class GraphExplorer(Explorer):
    """The graph, with the current node ringed and its value or gradient stated."""

    def __init__(self, controls, graph, equations):
        from matplotlib.patches import Circle

        self.graph, self.equations = graph, equations
        width, height = graph_figsize(graph)
        fig = new_figure((width, height + 0.6), dpi=80)
        ax = fig.add_subplot()
        self.pos = draw_graph(graph, ax)
        self.ring = ax.add_patch(Circle((0, 0), 0.42, fill=False, edgecolor="#D55E00", linewidth=3, zorder=4))
        self.info = fig.text(0.01, 0.02, " \n ", fontsize=9, family="monospace", va="bottom")
        self.title = fig.suptitle(" ", fontsize=10)
        super().__init__(controls, fig)

    def dynamic_artists(self):
        return [self.ring, self.info, self.title]

    def compute(self, step, direction):
        order = self.graph.nodes if direction == "forward" else self.graph.nodes[::-1]
        node = order[min(step, len(order) - 1)]
        return {"direction": direction, "step": step, "node": node, "total": len(order)}

    def draw(self, s):
        node, g = s["node"], self.graph
        self.ring.center = self.pos[node.name]
        if s["direction"] == "forward":
            rule, value = g.formula(node.name), node.value
            what = "value"
        else:
            rule, value = g.gradient_rule(node.name), g.gradient(node.name)
            what = f"∂J/∂{_paren(node.name)}"
            if node.name in self.equations:
                rule = f"eq. {self.equations[node.name]}:  {rule}"
        shape = "×".join(map(str, np.shape(value))) or "scalar"
        note = " (data, not a parameter: its gradient is not used for training)" if (
            s["direction"] == "backward" and node.kind == "data") else ""
        self.info.set_text(f"{rule}{note}\n{what}: shape {shape}, {_few(value)}")
        self.title.set_text(self.headline(s))

    @staticmethod
    def headline(s):
        kind = {"op": "operator", "param": "parameter", "data": "input data"}[s["node"].kind]
        return f"{s['direction']} pass, step {s['step'] + 1} of {s['total']}: {s['node'].name} ({kind})"

    def describe(self, s):
        return self.headline(s) + "\n" + self.info.get_text()


def draw_quadratic_contours(ax, lambdas=LAMBDAS_1_99, xlim=(-1.2, 1.2), ylim=(-0.4, 0.4)):
    """Contour lines of the quadratic loss, log-spaced, with the minimum marked."""
    x1, x2 = np.meshgrid(np.linspace(*xlim, 200), np.linspace(*ylim, 120))
    loss = quadratic_loss(np.stack([x1, x2], axis=-1), lambdas)
    ax.contour(x1, x2, loss, levels=np.geomspace(1e-3, loss.max(), 12), cmap="viridis", linewidths=0.8)
    ax.plot(0, 0, marker="*", color="k", markersize=10, linestyle="none", label="minimum")
    ax.set(xlim=xlim, ylim=ylim, xlabel="$x_1$", ylabel="$x_2$")


def steps_per_decade(rate):
    """Steps that shrink the error tenfold at a given rate (inf where rate >= 1)."""
    rate = np.asarray(rate, dtype=np.float64)
    if np.any(rate < 0) or np.any(np.isnan(rate)):
        raise ValueError("rate must be >= 0 (a spectral radius)")
    with np.errstate(divide="ignore"):  # log10(1) = 0 only where the result is inf anyway
        out = np.where(rate < 1, -1 / np.log10(np.clip(rate, 1e-300, 1)), np.inf)
    return float(out) if out.ndim == 0 else out


#: Fixed loss axis of the explorer, so that curves can be compared while dragging.
LOSS_YLIM = (1e-24, 1e8)


def momentum_explorer(x0=None, lambdas=LAMBDAS_1_99, eta=0.01, beta=0.9, steps=300, method="momentum"):
    """The notebook 04 explorer: eta, beta, steps and method drive three panels."""
    lam = _lambdas(lambdas)
    x0 = _array("x0", seeded_start() if x0 is None else x0, shape=(2,))
    _number("eta", eta, low=1e-4, high=MomentumExplorer.ETA_MAX)
    _number("beta", beta, low=0, high=0.999)
    _integer("steps", steps, low=10, high=1000)
    _choice("method", method, METHODS)
    if lam.size != 2:
        raise ValueError("lambdas must hold two curvatures: the explorer draws a plane")
    controls = {
        "eta": widgets.FloatLogSlider(
            value=eta, base=10, min=-4, max=math.log10(MomentumExplorer.ETA_MAX), step=0.01,
            description="η (step)", readout_format=".5f",
        ),
        "beta": widgets.FloatSlider(value=beta, min=0, max=0.999, step=0.001, description="β", readout_format=".3f"),
        "steps": widgets.IntSlider(value=steps, min=10, max=1000, step=10, description="steps"),
        "method": widgets.Dropdown(options=[(METHOD_NAMES[m], m) for m in METHODS], value=method, description="method"),
    }
    return MomentumExplorer(controls, x0, lam)


def _viridis_with_grey():
    cmap = matplotlib.colormaps["viridis_r"].copy()
    cmap.set_bad("0.85")  # the divergent region: light grey
    return cmap


class MomentumExplorer(Explorer):
    """Three panels: the path on the loss contours, loss per step, and the rate map."""

    ETA_MAX = 0.04

    def __init__(self, controls, x0, lam):
        self.x0, self.lam = x0, lam
        self._gd_key = self._gd = None
        fig = new_figure((11.0, 3.6), dpi=80)
        self.axes = ax_path, ax_loss, ax_map = fig.subplots(1, 3, width_ratios=[1.15, 1, 1.1])
        span = 1.3 * np.abs(x0).max()
        draw_quadratic_contours(ax_path, lam, xlim=(-span, span), ylim=(-0.5 * span, 0.5 * span))
        (self.path_line,) = ax_path.plot([], [], "-o", color="C1", markersize=2, linewidth=1, label="path")
        ax_path.plot(*x0, "s", color="C3", label="start")
        ax_path.legend(loc="upper left", fontsize=7, ncols=3, framealpha=0.8)

        (self.loss_line,) = ax_loss.semilogy([], [], color="C1", label="this run")
        (self.gd_line,) = ax_loss.semilogy([], [], color="0.5", linestyle="--", label="GD, same η")
        (self.pred_line,) = ax_loss.semilogy(
            [], [], color="k", linestyle=":", linewidth=1.2, label="$L_0\\,$rate$^{2t}$ (predicted)"
        )
        ax_loss.set(xlabel="step t", ylabel="loss $L(x_t)$", ylim=LOSS_YLIM)
        ax_loss.yaxis.set_major_locator(LogLocator(numticks=5))
        ax_loss.yaxis.set_minor_locator(NullLocator())  # decades of minor ticks cost a lot to draw
        ax_loss.legend(loc="upper right", fontsize=7)

        # The rate map: x is log10(eta), so imshow stays cheap and exact.
        self.log_eta = np.linspace(-4, math.log10(self.ETA_MAX), 160)
        self.betas = np.linspace(0, 0.999, 120)
        eta_grid, beta_grid = 10 ** self.log_eta[None, :], self.betas[:, None]
        self.maps = {m: steps_per_decade(convergence_rate(m, eta_grid, beta_grid, lam)) for m in METHODS}
        extent = (self.log_eta[0], self.log_eta[-1], self.betas[0], self.betas[-1])
        self.image = ax_map.imshow(
            np.ma.masked_invalid(self.maps["momentum"]), origin="lower", aspect="auto", extent=extent,
            cmap=_viridis_with_grey(), norm=LogNorm(1, 1e4), interpolation="nearest",
        )
        fig.colorbar(self.image, ax=ax_map, label="steps per 10× less error")
        (self.boundary,) = ax_map.plot([], [], color="w", linewidth=1.5, label="stability boundary")
        (self.marker,) = ax_map.plot([], [], "o", color="C3", markeredgecolor="w", label="current (η, β)")
        ax_map.text(-1.55, 0.06, "diverges", color="k", fontsize=8, ha="center")
        ax_map.set_xticks([-4, -3, -2, math.log10(0.02)], ["1e-4", "1e-3", "0.01", "0.02"])
        ax_map.set(xlabel="η (log scale)", ylabel="β", xlim=extent[:2], ylim=extent[2:])
        ax_map.legend(loc="upper left", fontsize=7, framealpha=0.7)
        self.title = fig.suptitle(" ", fontsize=10)
        super().__init__(controls, fig)

    def compute(self, eta, beta, steps, method):
        run = optimize(method, eta, beta, steps, self.x0, self.lam)
        if (eta, steps) != self._gd_key:  # the GD reference ignores beta and method: reuse it
            self._gd_key, self._gd = (eta, steps), optimize("gd", eta, 0.0, steps, self.x0, self.lam)
        gd = self._gd
        predicted = convergence_rate(method, eta, beta, self.lam)
        measured = None if run.diverged else measured_rate(run.path)
        return dict(eta=eta, beta=beta, steps=steps, method=method, run=run, gd=gd,
                    predicted=predicted, measured=measured)

    def background_key(self, s):
        return s["method"]  # the rate map and its boundary depend on the method only

    def cached_artists(self, s):
        return [(self.axes[1].xaxis, s["steps"])]  # its ticks depend on the steps only

    def dynamic_artists(self):
        # Legends stay in the background: each costs about 10 ms to draw.
        return [self.path_line, self.gd_line, self.loss_line, self.pred_line, self.marker, self.title]

    def draw(self, s):
        run = s["run"]
        self.path_line.set_data(run.path[:, 0], run.path[:, 1])
        self.loss_line.set_data(np.arange(len(run.losses)), run.losses)
        self.gd_line.set_data(np.arange(len(s["gd"].losses)), s["gd"].losses)
        self.gd_line.set_visible(s["method"] != "gd")
        t = np.arange(s["steps"] + 1)
        log_pred = math.log10(run.losses[0]) + 2 * t * math.log10(max(s["predicted"], 1e-300))
        keep = (log_pred > math.log10(LOSS_YLIM[0]) - 1) & (log_pred < math.log10(LOSS_YLIM[1]) + 1)
        self.pred_line.set_data(t[keep], 10.0 ** log_pred[keep])
        self.axes[1].set_xlim(0, s["steps"])
        self.image.set_data(np.ma.masked_invalid(self.maps[s["method"]]))
        limits = [stability_limit(s["method"], b, self.lam.max()) for b in self.betas]
        self.boundary.set_data(np.log10(limits), self.betas)
        self.marker.set_data([math.log10(s["eta"])], [s["beta"]])
        self.title.set_text(self.headline(s))

    @staticmethod
    def headline(s):
        head = f"{METHOD_NAMES[s['method']]}, η = {s['eta']:.5f}"
        if s["method"] != "gd":
            head += f", β = {s['beta']:.3f}"
        head += f": predicted rate {s['predicted']:.4f}"
        if s["run"].diverged:
            return head + f", diverged at step {s['run'].diverged_at}"
        return head + f", measured {s['measured']:.4f}, final loss {s['run'].losses[-1]:.2e}"

    def describe(self, s):
        return f"{self.headline(s)} ({s['steps']} steps)"


def training_explorer(data=None, lr=0.05, hidden=16, epochs=100, seed=0):
    """The notebook 03 explorer: learning rate, width, epochs and init seed."""
    data = toy_regression() if data is None else data
    if not isinstance(data, tuple) or len(data) != 4:
        raise ValueError("data must be (X_train, Y_train, X_test, Y_test), as toy_regression returns")
    _number("lr", lr, low=1e-3, high=1.0)
    _integer("hidden", hidden, low=2, high=64)
    _integer("epochs", epochs, low=10, high=400)
    _integer("seed", seed, low=0, high=9)
    controls = {
        "lr": widgets.FloatLogSlider(value=lr, base=10, min=-3, max=0, step=0.02, description="learning rate",
                                     readout_format=".4f", style={"description_width": "initial"}),
        "hidden": widgets.IntSlider(value=hidden, min=2, max=64, description="width"),
        "epochs": widgets.IntSlider(value=epochs, min=10, max=400, step=10, description="epochs"),
        "seed": widgets.IntSlider(value=seed, min=0, max=9, description="init seed"),
    }
    return TrainingExplorer(controls, data)


class TrainingExplorer(Explorer):
    """Loss curves (train and test) and the fitted function, retrained on every change."""

    LOSS_YLIM = (1e-2, 1e8)

    def __init__(self, controls, data):
        self.data = data
        X, Y, X_test, Y_test = data
        fig = new_figure((10.0, 3.6), dpi=80)
        self.axes = ax_loss, ax_fit = fig.subplots(1, 2)
        (self.train_line,) = ax_loss.semilogy([], [], color="C0", label="training loss")
        (self.test_line,) = ax_loss.semilogy([], [], color="C1", linestyle="--", label="test loss")
        ax_loss.axhline(0.5 * TOY_NOISE**2, color="0.5", linewidth=0.8, linestyle=":", label="noise floor σ²/2")
        ax_loss.set(xlabel="epoch", ylabel="loss J (log scale)", ylim=self.LOSS_YLIM)
        ax_loss.yaxis.set_major_locator(LogLocator(numticks=6))
        ax_loss.yaxis.set_minor_locator(NullLocator())
        ax_loss.legend(loc="upper right", fontsize=8)
        self.grid = np.linspace(-2.2, 2.2, 200)[:, None]
        ax_fit.plot(X[:, 0], Y[:, 0], ".", color="0.6", markersize=3, label="training data")
        ax_fit.plot(X_test[:, 0], Y_test[:, 0], "x", color="C1", markersize=3, label="test data")
        ax_fit.plot(self.grid[:, 0], toy_function(self.grid[:, 0]), color="k", linestyle=":", label="true function")
        (self.fit_line,) = ax_fit.plot([], [], color="C0", linewidth=2, label="network")
        self.diverged_text = ax_fit.text(0.5, 0.5, "", transform=ax_fit.transAxes, ha="center", va="center",
                                         fontsize=12, color="#D55E00", bbox={"facecolor": "w", "alpha": 0.9})
        ax_fit.set(xlabel="x", ylabel="y", xlim=(-2.2, 2.2), ylim=(-3, 7.5))
        ax_fit.legend(loc="upper left", fontsize=8)
        self.title = fig.suptitle(" ", fontsize=10)
        super().__init__(controls, fig)

    def compute(self, lr, hidden, epochs, seed):
        run = train(*self.data, hidden=hidden, lr=lr, epochs=epochs, seed=seed)
        fit = None if run.diverged else predict(run.params, self.grid)[:, 0]
        return {"lr": lr, "hidden": hidden, "epochs": epochs, "seed": seed, "run": run, "fit": fit}

    def cached_artists(self, s):
        return [(self.axes[0].xaxis, s["epochs"])]

    def dynamic_artists(self):
        return [self.train_line, self.test_line, self.fit_line, self.diverged_text, self.title]

    def draw(self, s):
        run = s["run"]
        epochs = np.arange(len(run.losses))
        self.train_line.set_data(epochs, run.losses)
        self.test_line.set_data(epochs, run.test_losses)
        self.axes[0].set_xlim(0, s["epochs"])
        self.fit_line.set_visible(s["fit"] is not None)
        if s["fit"] is not None:
            self.fit_line.set_data(self.grid[:, 0], s["fit"])
        self.diverged_text.set_text(f"diverged at epoch {run.diverged_at}:\nno fit to show" if run.diverged else "")
        self.diverged_text.set_visible(run.diverged)
        self.title.set_text(self.headline(s))

    @staticmethod
    def headline(s):
        run = s["run"]
        head = f"learning rate {s['lr']:.4f}, width {s['hidden']}, seed {s['seed']}: "
        if run.diverged:
            return head + f"diverged at epoch {run.diverged_at} (loss above {BLOWUP:.0e} × its start)"
        return head + f"training loss {run.losses[0]:.3f} → {run.final_loss:.4f}, test loss {run.test_loss:.4f}"

    def describe(self, s):
        return f"{self.headline(s)} ({s['epochs']} epochs)"


# --------------------------------------------------------------------------
# Notebook 05: convolution
# --------------------------------------------------------------------------


def conv_output_size(n, k, padding=0, stride=1):
    """Output length of a convolution: floor((n + 2 padding - k) / stride) + 1."""
    n, k = _integer("n", n, low=1), _integer("k", k, low=1)
    padding, stride = _integer("padding", padding, low=0), _integer("stride", stride, low=1)
    if k > n + 2 * padding:
        raise ValueError(f"k must be at most the padded input size {n + 2 * padding}, got {k}")
    return (n + 2 * padding - k) // stride + 1


def _conv_inputs(x, w, b, stride, padding):
    """Check conv2d's arguments; return (x as C,H,W; w as O,C,kh,kw; b; stride; padding; squeeze)."""
    x = _array("x", x)
    w = _array("w", w)
    if x.ndim not in (2, 3):
        raise ValueError(f"x must have 2 (H, W) or 3 (C_in, H, W) dimensions, got shape {x.shape}")
    if w.ndim not in (2, 4):
        raise ValueError(f"w must have 2 (kh, kw) or 4 (C_out, C_in, kh, kw) dimensions, got shape {w.shape}")
    squeeze = w.ndim == 2
    x3 = x[None] if x.ndim == 2 else x
    w4 = w[None, None] if w.ndim == 2 else w
    if w4.shape[1] != x3.shape[0]:
        raise ValueError(f"w must have as many input channels as x ({x3.shape[0]}), got {w4.shape[1]}")
    stride = _integer("stride", stride, low=1)
    padding = _integer("padding", padding, low=0)
    kh, kw = w4.shape[2:]
    H, W = x3.shape[1:]
    if kh > H + 2 * padding or kw > W + 2 * padding:
        raise ValueError(f"w's {kh}x{kw} kernel must fit in the padded {H + 2 * padding}x{W + 2 * padding} input")
    b = np.zeros(w4.shape[0]) if b is None else _array("b", b, shape=(w4.shape[0],))
    return x3, w4, b, stride, padding, squeeze


def conv2d(x, w, b=None, stride=1, padding=0):
    """2-D convolution as deep-learning libraries define it: a cross-correlation.

    out[o, i, j] = b[o] + sum_{c, m, n} w[o, c, m, n] * xpad[c, i*stride + m, j*stride + n]

    x: (H, W) or (C_in, H, W); w: (kh, kw) or (C_out, C_in, kh, kw); zero padding.
    Vectorised: every window is a strided view of the padded input (no copy),
    and one tensordot does all the multiply-adds; no Python loop over pixels.
    """
    x, w, b, stride, padding, squeeze = _conv_inputs(x, w, b, stride, padding)
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::stride, ::stride]
    out = np.tensordot(w, windows, axes=([1, 2, 3], [0, 3, 4])) + b[:, None, None]  # (C_out, H_out, W_out)
    return out[0] if squeeze else out


def conv2d_loop(x, w, b=None, stride=1, padding=0):
    """The same cross-correlation with plain loops over output pixels (the reference)."""
    x, w, b, stride, padding, squeeze = _conv_inputs(x, w, b, stride, padding)
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    H, W = (conv_output_size(n, k, padding, stride) for n, k in zip(x.shape[1:], (kh, kw), strict=True))
    out = np.empty((w.shape[0], H, W))
    for o in range(w.shape[0]):
        for i in range(H):
            for j in range(W):
                patch = xp[:, i * stride : i * stride + kh, j * stride : j * stride + kw]
                out[o, i, j] = np.sum(patch * w[o]) + b[o]
    return out[0] if squeeze else out


class Conv2D:
    """A convolution layer: its learned parameters are the weights and the biases.

    Stride and padding are hyperparameters: stored, used, never learned, and
    not in ``parameters()``.
    """

    def __init__(self, c_in, c_out, kh, kw, stride=1, padding=0, seed=0):
        c_in, c_out = _integer("c_in", c_in, low=1), _integer("c_out", c_out, low=1)
        kh, kw = _integer("kh", kh, low=1), _integer("kw", kw, low=1)
        self.stride, self.padding = _integer("stride", stride, low=1), _integer("padding", padding, low=0)
        rng = np.random.default_rng(_integer("seed", seed, low=0))
        self.weight = rng.normal(0, math.sqrt(2 / (c_in * kh * kw)), size=(c_out, c_in, kh, kw))
        self.bias = np.zeros(c_out)

    def parameters(self):
        return [self.weight, self.bias]

    def __call__(self, x):
        return conv2d(x, self.weight, self.bias, stride=self.stride, padding=self.padding)


def stripes(size, period, direction, phase=0.0):
    """A size x size image of stripes 0.5 + 0.5 cos(2 pi t / period + phase).

    t is the row index (direction "axis 0": the image changes down the rows,
    so the stripes lie horizontally), the column index ("axis 1": vertical
    stripes), or row + column ("diagonal").
    """
    size = _integer("size", size, low=1)
    period = _number("period", period, low=0, low_open=True)
    _choice("direction", direction, STRIPE_DIRECTIONS)
    i, j = np.indices((size, size))
    t = {"axis 0": i, "axis 1": j, "diagonal": i + j}[direction]
    return 0.5 + 0.5 * np.cos(2 * np.pi * t / period + phase)


STRIPE_DIRECTIONS = ("axis 0", "axis 1", "diagonal")

#: The worked solution's kernels, and two edge detectors (Sobel) for comparison.
KERNELS = {
    "k1 (second derivative across axis 0)": np.array([[-1.0, -1, -1], [2, 2, 2], [-1, -1, -1]]),
    "k2 (second derivative across axis 1)": np.array([[-1.0, 2, -1], [-1, 2, -1], [-1, 2, -1]]),
    "Sobel (edges across axis 1)": np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "Sobel (edges across axis 0)": np.array([[-1.0, -2, -1], [0, 0, 0], [1, 2, 1]]),
}


def frequency_response(kernel, omega0, omega1):
    """H(w0, w1) = sum_{m,n} k[m, n] exp(i (w0 m + w1 n)): how a cross-correlation with
    ``kernel`` scales the complex wave exp(i (w0 r + w1 c)). Broadcasts over omegas."""
    kernel = _array("kernel", kernel, ndim=2)
    m, n = np.indices(kernel.shape)
    phase = np.multiply.outer(np.asarray(omega0, float), m) + np.multiply.outer(np.asarray(omega1, float), n)
    return np.sum(kernel * np.exp(1j * phase), axis=(-2, -1))


def conv_explorer(period=2, direction="axis 1", kernel="k2 (second derivative across axis 1)", size=24):
    """The notebook 05 explorer: stripe period and direction, and the kernel."""
    _number("period", period, low=2, high=12)
    _choice("direction", direction, STRIPE_DIRECTIONS)
    _choice("kernel", kernel, tuple(KERNELS))
    controls = {
        "period": widgets.FloatSlider(value=period, min=2, max=12, step=0.25, description="period"),
        "direction": widgets.Dropdown(options=list(STRIPE_DIRECTIONS), value=direction, description="stripes vary"),
        "kernel": widgets.Dropdown(options=list(KERNELS), value=kernel, description="kernel",
                                   layout={"width": "380px"}),
    }
    return ConvExplorer(controls, _integer("size", size, low=4))


class ConvExplorer(Explorer):
    """Input stripes, kernel, valid output, and the response amplitude on the frequency-response curve."""

    def __init__(self, controls, size):
        from matplotlib.colors import TwoSlopeNorm

        self.size = size
        fig = new_figure((11.0, 3.1), dpi=80)
        ax_in, ax_k, ax_out, ax_resp = self.axes = fig.subplots(1, 4, width_ratios=[1, 0.8, 1, 1.5])
        self.input_image = ax_in.imshow(np.zeros((size, size)), cmap="viridis", vmin=0, vmax=1)
        ax_in.set_title("input A", fontsize=9)
        self.kernel_image = ax_k.imshow(np.zeros((3, 3)), cmap="RdBu_r", norm=TwoSlopeNorm(0, -2, 2))
        self.kernel_text = [ax_k.text(n, m, "", ha="center", va="center", fontsize=9)
                            for m in range(3) for n in range(3)]
        ax_k.set_title("kernel", fontsize=9)
        self.output_image = ax_out.imshow(np.zeros((size - 2, size - 2)), cmap="RdBu_r", norm=TwoSlopeNorm(0, -8, 8))
        fig.colorbar(self.output_image, ax=ax_out, shrink=0.8)
        ax_out.set_title("output (valid)", fontsize=9)
        for ax in (ax_in, ax_k, ax_out):
            ax.set(xticks=[], yticks=[])
        self.omegas = np.linspace(0, np.pi, 200)
        (self.curve,) = ax_resp.plot([], [], color="C0", label="predicted ½|H(ω)|")
        (self.point,) = ax_resp.plot([], [], "o", color="#D55E00", label="measured max |output|")
        ax_resp.set(xlabel="frequency ω = 2π / period (radians per pixel)", ylabel="response amplitude",
                    xlim=(0, 1.04 * np.pi), ylim=(0, 8.5))
        ax_resp.set_xticks([0, np.pi / 4, np.pi / 2, 3 * np.pi / 4, np.pi], ["0", "π/4", "π/2", "3π/4", "π"])
        ax_resp.legend(loc="upper left", fontsize=8)
        self.title = fig.suptitle(" ", fontsize=10)
        super().__init__(controls, fig)

    def compute(self, period, direction, kernel):
        image = stripes(self.size, period, direction)
        k = KERNELS[kernel]
        out = conv2d(image, k)
        step = {"axis 0": (1, 0), "axis 1": (0, 1), "diagonal": (1, 1)}[direction]
        omega = 2 * np.pi / period
        predicted = 0.5 * abs(frequency_response(k, omega * step[0], omega * step[1]))
        curve = 0.5 * np.abs(frequency_response(k, self.omegas * step[0], self.omegas * step[1]))
        return {"period": period, "direction": direction, "kernel": kernel, "image": image, "k": k, "out": out,
                "omega": omega, "predicted": float(predicted), "measured": float(np.abs(out).max()), "curve": curve}

    def background_key(self, s):
        return None

    def dynamic_artists(self):
        return [self.input_image, self.kernel_image, *self.kernel_text, self.output_image, self.curve, self.point,
                self.title]

    def draw(self, s):
        self.input_image.set_data(s["image"])
        self.kernel_image.set_data(s["k"])
        for text, value in zip(self.kernel_text, s["k"].ravel(), strict=True):
            text.set_text(f"{value:g}")
            text.set_color("w" if abs(value) > 1.2 else "k")  # readable on the dark ends of the map
        self.output_image.set_data(s["out"])
        self.curve.set_data(self.omegas, s["curve"])
        self.point.set_data([s["omega"]], [s["measured"]])
        self.title.set_text(self.headline(s))

    @staticmethod
    def headline(s):
        return (f"{s['kernel']} on stripes varying along {s['direction']}, period {s['period']:g}: "
                f"max |output| {s['measured']:.3f}, predicted ½|H| = {s['predicted']:.3f}")

    def describe(self, s):
        return self.headline(s)
