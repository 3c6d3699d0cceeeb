"""Checking the student's code: each check runs the student's function on fresh random cases,
compares it with something independent of it, and reports the first failing case with a hint.

A function whose body still raises NotImplementedError is "not implemented yet": the check says
so, without an error, so that Run All on a fresh student copy goes through. A check prints its
verdict and returns nothing (a notebook cell that ends with it shows no stray True or False).
"""

import base64
import json

import numpy as np

from coursekit.checks import function, is_real, number
from coursekit.lessons.graph import Graph, backward, matmul, scale, sqnorm
from coursekit.lessons.momentum import RULES


class _Wrong(Exception):
    """A mismatch, said in words."""


def _shape_hint(got, expected):
    if expected == ():
        return f"an array of shape {got} where a single number was asked: return a float"
    if len(got) == len(expected) + 1 and got[-1] == 1 and got[:-1] == expected:
        return f"a {got} where {expected} was asked: drop the last axis (.ravel(), or index [..., 0])"
    if len(expected) == len(got) + 1 and expected[-1] == 1 and expected[:-1] == got:
        return f"a {got} where {expected} was asked: keep the column shape (reshape(-1, 1) or keepdims=True)"
    if got[::-1] == expected and got != expected:
        return f"shape {got} where {expected} was asked: a transpose too many or too few"
    return f"shape {got} where {expected} was asked"


def _compare(got, expected, rtol, atol, what="the result", names=None):
    """Raise _Wrong, naming the problem, unless got matches expected (tuples, arrays, numbers).
    ``names`` names a tuple's items in the messages."""
    if isinstance(expected, tuple):
        if isinstance(got, list):
            raise _Wrong(f"{what} is a list where a tuple was asked: return ({', '.join(['...'] * len(expected))})")
        if not isinstance(got, tuple):
            raise _Wrong(f"{what} is a {type(got).__name__} where a tuple of {len(expected)} was asked")
        if len(got) != len(expected):
            raise _Wrong(f"{what} has {len(got)} items where {len(expected)} were asked")
        for k, (g, e) in enumerate(zip(got, expected, strict=True)):
            _compare(g, e, rtol, atol, names[k] if names else f"item {k + 1} of {what}")
        return
    if got is None:
        raise _Wrong(f"{what} is None: a missing return?")
    try:
        got_arr = np.asarray(got, dtype=float)
    except (TypeError, ValueError):
        raise _Wrong(f"{what} is a {type(got).__name__}, not numbers") from None
    expected = np.asarray(expected, dtype=float)
    if got_arr.shape != expected.shape:
        raise _Wrong(f"{what}: {_shape_hint(got_arr.shape, expected.shape)}")
    if not np.allclose(got_arr, expected, rtol=rtol, atol=atol):
        error = np.abs(got_arr - expected)
        worst = np.unravel_index(np.argmax(error), error.shape) if error.ndim else ()
        at = f" at index {tuple(int(i) for i in worst)}" if worst else ""
        raise _Wrong(f"{what} is off by up to {error.max():.3g} (tolerance rtol={rtol:g}, atol={atol:g}){at}: "
                     f"expected {expected[worst]:.6g}, got {got_arr[worst]:.6g}")


def _run(label, cases, *, rtol, atol, hint, names=None):
    """Each case is (words, thunk): thunk() returns (got, expected). Print the verdict."""
    for k, (words, thunk) in enumerate(cases):
        where = f"{label}: case {k + 1} of {len(cases)} ({words})"
        try:
            got, expected = thunk()
            _compare(got, expected, rtol, atol, names=names)
        except NotImplementedError:
            print(f"{label}: not implemented yet (write the function above, then re-run it and this cell).")
            return
        except _Wrong as wrong:
            raise AssertionError(f"{where}: {wrong}. Hint: {hint}") from None
        except Exception as error:  # the student's code failed: say where, with the hint
            raised = f"{type(error).__name__}: {error}"
            raise AssertionError(f"{where}: your function raised {raised}. Hint: {hint}") from None
    print(f"{label}: correct on {len(cases)} random cases (tolerance rtol={rtol:g}, atol={atol:g}).")


def numeric_gradient(f, x, eps=1e-6):
    """Central finite differences of a scalar function f() with respect to the float64 array x.

    Each number of x is moved by +-eps in turn (and put back), so the truncation
    error is O(eps^2) and the rounding error O(1e-16 / eps).
    """
    function("f", f)
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError("x must be a float64 numpy array (it is perturbed in place)")
    eps = number("eps", eps, low=0, low_open=True)
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


# --------------------------------------------------------------------------
# Notebook 01: a new operator for the graph engine
# --------------------------------------------------------------------------


def check_unary_operator(label, op, forward, *, seed=0, hint=""):
    """The student's operator op(node) in J = 1/2 ||op(W x)||^2: its value against forward(z), and the
    gradients the engine's backward sweep gets through its local derivative against finite differences."""
    names = ("the operator's value", "dJ/dW (through your local derivative)", "dJ/dx (through your local derivative)")
    _check_operator(label, op, forward, ("W",), seed=seed, hint=hint, names=names)


def check_binary_operator(label, op, forward, *, seed=0, hint=""):
    """The student's op(a, b) in J = 1/2 ||op(W x, V x)||^2, checked like check_unary_operator."""
    names = ("the operator's value", "dJ/dW, reaching a", "dJ/dV, reaching b", "dJ/dx, reaching both")
    _check_operator(label, op, forward, ("W", "V"), seed=seed, hint=hint, names=names)


def _check_operator(label, op, forward, weights, *, seed, hint, names):
    """op applied to (W x, V x, ...), one input per weight matrix named in ``weights``, inside
    J = 1/2 ||op(...)||^2, on four random sizes."""
    function("op", op)
    rng = np.random.default_rng(seed)

    def case(matrices, x):
        def build():
            graph = Graph()
            xn = graph.data("x", x)
            inputs = [matmul(graph.param(w, M), xn, name=f"{w} x") for w, M in zip(weights, matrices, strict=True)]
            u = op(*inputs, name="u")
            scale(0.5, sqnorm(u, name="s"), name="J")
            return graph, u

        def thunk():
            graph, u = build()
            value = u.value
            grads = backward(graph)
            numeric = tuple(numeric_gradient(lambda: float(build()[0].nodes[-1].value), v) for v in (*matrices, x))
            got = (value, *(grads[w] for w in weights), grads["x"])
            return got, (forward(*(M @ x for M in matrices)), *numeric)

        return thunk

    formula = f"J = 1/2 ||op({', '.join(f'{w} x' for w in weights)})||^2"
    cases = [(f"{formula}, {', '.join(weights)} {m}x{n}, x {n}x1",
              case([rng.normal(size=(m, n)) for _ in weights], rng.normal(size=(n, 1))))
             for m, n in rng.integers(1, 5, size=(4, 2))]
    _run(label, cases, rtol=1e-5, atol=1e-7, hint=hint, names=names)


# --------------------------------------------------------------------------
# Notebooks 02 and 03: gradients against finite differences
# --------------------------------------------------------------------------


def check_gradient(label, student, loss, make_args, *, seed=0, hint="", cases=5):
    """student(*args) must return (loss value, its gradient in args[0]) for args = make_args(rng);
    checked against loss(*args) and finite differences of it."""
    function("student", student)
    rng = np.random.default_rng(seed)

    def case(args):
        def thunk():
            got = student(*(a.copy() for a in args))
            return got, (loss(*args), numeric_gradient(lambda: loss(*args), args[0]))
        return thunk

    runs = []
    for _ in range(cases):
        args = make_args(rng)
        runs.append((", ".join(f"shape {a.shape}" for a in args), case(args)))
    _run(label, runs, rtol=1e-5, atol=1e-7, hint=hint, names=("the loss J", "the gradient"))


def check_layer_backward(label, student, activation, *, seed=0, hint=""):
    """student(W, b, a_prev, g) for a = activation(W a_prev + b) and g = dJ/da must return
    (dJ/dW, dJ/db, dJ/da_prev); checked against finite differences of J = sum(g * a)."""
    function("student", student)
    rng = np.random.default_rng(seed)

    def case(W, b, a_prev, g):
        def loss():
            return float(np.sum(g * activation(W @ a_prev + b)))

        def thunk():
            got = student(W.copy(), b.copy(), a_prev.copy(), g.copy())
            return got, tuple(numeric_gradient(loss, v) for v in (W, b, a_prev))
        return thunk

    cases = []
    for m, n in rng.integers(1, 6, size=(5, 2)):
        W, b, a_prev, g = (rng.normal(size=s) for s in ((m, n), (m, 1), (n, 1), (m, 1)))
        b += np.sign(W @ a_prev + b) * 0.05  # keep every unit away from the kink at 0
        cases.append((f"W {m}x{n}", case(W, b, a_prev, g)))
    _run(label, cases, rtol=1e-5, atol=1e-7, hint=hint, names=("dJ/dW", "dJ/db", "dJ/da_prev"))


def check_momentum_update(label, student, *, seed=0, hint=""):
    """student(params, grads, velocity, lr, beta) -> (new params, new velocity), both dicts:
    v <- beta v - lr g, p <- p + v; checked against that formula, one parameter at a time."""
    function("student", student)
    rng = np.random.default_rng(seed)

    def case(lr, beta):
        params = {k: rng.normal(size=s) for k, s in (("W0", (2, 3)), ("b0", (3,)))}
        grads = {k: rng.normal(size=v.shape) for k, v in params.items()}
        velocity = {k: rng.normal(size=v.shape) for k, v in params.items()}

        def thunk():
            new_p, new_v = student({k: v.copy() for k, v in params.items()}, grads,
                                   {k: v.copy() for k, v in velocity.items()}, lr, beta)
            if not (isinstance(new_p, dict) and isinstance(new_v, dict)):
                raise _Wrong("it must return two dicts: (new params, new velocity)")
            expected_v = {k: beta * velocity[k] - lr * grads[k] for k in params}
            expected_p = {k: params[k] + expected_v[k] for k in params}
            return (tuple(new_p.get(k) for k in params) + tuple(new_v.get(k) for k in params),
                    tuple(expected_p.values()) + tuple(expected_v.values()))
        return thunk

    cases = [(f"lr {lr:.3f}, beta {beta:.2f}", case(lr, beta)) for lr, beta in rng.uniform([0.001, 0], [0.5, 0.99],
                                                                                          size=(4, 2))]
    names = ("the new W0", "the new b0", "W0's new velocity", "b0's new velocity")
    _run(label, cases, rtol=1e-12, atol=1e-12, hint=hint, names=names)


# --------------------------------------------------------------------------
# Notebook 04: momentum
# --------------------------------------------------------------------------


def check_velocity_form(label, student, *, seed=0, hint=""):
    """student(x, v, grad, eta, beta) -> (x_next, v_next): iterated from v = 0 it must trace the same path
    as notebook 04's Nesterov rule."""
    function("student", student)
    rng = np.random.default_rng(seed)

    def case(lam, x0, eta, beta):
        def grad(x):
            return lam * x

        def thunk():
            x, v, path = x0.copy(), np.zeros_like(x0), [x0.copy()]
            rule_path, x_prev = [x0.copy()], x0.copy()
            for _ in range(30):
                result = student(x, v, grad, eta, beta)
                if isinstance(result, list):
                    raise _Wrong("it returned a list where a tuple was asked: return (x_next, v_next)")
                if not isinstance(result, tuple) or len(result) != 2:
                    raise _Wrong(f"it returned a {type(result).__name__}; it must return a tuple (x_next, v_next)")
                x, v = result
                path.append(np.asarray(x, dtype=float))
                rule_path.append(RULES["nesterov"](rule_path[-1], x_prev, grad, eta, beta))
                x_prev = rule_path[-2]
            return np.array(path), np.array(rule_path)
        return thunk

    cases = []
    for _ in range(4):
        lam = rng.uniform(0.5, 20, size=2)
        cases.append(("the path x_0 ... x_30 on curvatures " + ", ".join(f"{v:.2f}" for v in lam),
                      case(lam, rng.normal(size=2), rng.uniform(0.005, 0.05), rng.uniform(0, 0.95))))
    _run(label, cases, rtol=1e-9, atol=1e-12, hint=hint)


def check_rate(label, student, *, seed=0, hint=""):
    """student(eta, beta, lam) -> heavy ball's rate along curvature lam: the largest |eigenvalue| of the
    companion matrix [[1 + beta - eta lam, -beta], [1, 0]]."""
    function("student", student)
    rng = np.random.default_rng(seed)

    def case(eta, beta, lam):
        def thunk():
            matrix = [[1 + beta - eta * lam, -beta], [1, 0]]
            return student(eta, beta, lam), float(np.abs(np.linalg.eigvals(matrix)).max())
        return thunk

    cases = [(f"eta {eta:.4f}, beta {beta:.3f}, lam {lam:.1f}", case(eta, beta, lam))
             for eta, beta, lam in rng.uniform([1e-4, 0, 1], [0.03, 0.99, 200], size=(8, 3))]
    _run(label, cases, rtol=1e-8, atol=1e-12, hint=hint)


# --------------------------------------------------------------------------
# Notebook 05: max pooling
# --------------------------------------------------------------------------


def _maxpool_reference(x):
    H, W = x.shape
    out = np.empty((H // 2, W // 2))
    for i in range(H // 2):
        for j in range(W // 2):
            out[i, j] = max(x[2 * i, 2 * j], x[2 * i, 2 * j + 1], x[2 * i + 1, 2 * j], x[2 * i + 1, 2 * j + 1])
    return out


def check_maxpool(label, student, *, seed=0, hint=""):
    """student(x) -> 2x2 max pooling, stride 2, of an (H, W) array with even H and W; checked
    against plain loops."""
    function("student", student)
    rng = np.random.default_rng(seed)
    shapes = [tuple(2 * rng.integers(1, 6, size=2)) for _ in range(5)]
    cases = [(f"x {h}x{w}", (lambda x: lambda: (student(x.copy()), _maxpool_reference(x)))(rng.normal(size=(h, w))))
             for h, w in shapes]
    _run(label, cases, rtol=0, atol=0, hint=hint)


def check_maxpool_backward(label, student, *, seed=0, hint=""):
    """student(x, g) -> dJ/dx for J = sum(g * maxpool(x)): checked against finite differences."""
    function("student", student)
    rng = np.random.default_rng(seed)

    def case(x, g):
        def thunk():
            numeric = numeric_gradient(lambda: float(np.sum(g * _maxpool_reference(x))), x)
            return student(x.copy(), g.copy()), numeric
        return thunk

    cases = []
    for _ in range(5):
        h, w = 2 * rng.integers(1, 5, size=2)
        cases.append((f"x {h}x{w}", case(rng.normal(size=(h, w)), rng.normal(size=(h // 2, w // 2)))))
    _run(label, cases, rtol=1e-6, atol=1e-8, hint=hint)


# Sealed answers: the student edition checks a number exercise against its expected value without
# showing the expression that computes it (which would give the answer away). The token is not a
# secret (anyone can decode it), only not readable at a glance.

_OPENERS = {"array": np.array, "tuple": tuple, "set": set, "int": int, "float": float}


def _plain(x):
    """A number (to 12 significant digits: the checks' tolerance is far coarser, and the token then
    does not depend on the last bits of a machine's arithmetic), a name, or a list of them, as JSON
    holds it."""
    if isinstance(x, list):
        return [_plain(v) for v in x]
    if isinstance(x, str):
        return x
    if not is_real(x):
        raise ValueError(f"value must hold numbers or names only, got a {type(x).__name__}")
    return int(x) if isinstance(x, (int, np.integer)) else float(f"{float(x):.12g}")


def seal(value):
    """A token for an expected answer: a number, a tuple or set of numbers or names, or a real array."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        kind, data = "array", _plain(value.tolist())
    elif isinstance(value, tuple):
        kind, data = "tuple", [_plain(x) for x in value]
    elif isinstance(value, (set, frozenset)):
        kind, data = "set", sorted(map(_plain, value), key=repr)
    elif is_real(value):
        data = _plain(value)
        kind = type(data).__name__
    else:
        raise ValueError(f"value must be a number, a tuple or set of them, or a real array, got {type(value).__name__}")
    token = base64.b85encode(json.dumps([kind, data]).encode()).decode("ascii")
    opened = Sealed(token).open()
    if not np.array_equal(opened, data) if kind == "array" else opened != _OPENERS[kind](data):
        raise ValueError(f"value must survive sealing, got {value!r}")
    return token


class Sealed:
    """An expected answer, opened only by the checker."""

    def __init__(self, token):
        if not isinstance(token, str):
            raise ValueError(f"token must be a str from seal(), got {type(token).__name__}")
        try:
            self._kind, self._data = json.loads(base64.b85decode(token))
        except (ValueError, TypeError) as error:
            raise ValueError(f"token must come from seal(): {error}") from None
        if self._kind not in _OPENERS:
            raise ValueError(f"token must come from seal(): unknown kind {self._kind!r}")

    def open(self):
        """The expected answer, of the type it was sealed as."""
        return _OPENERS[self._kind](self._data)

    def __repr__(self):
        return "Sealed(...)"
