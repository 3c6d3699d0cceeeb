"""How a student's result is compared with the expected one, and what is said when they differ:
which part, which index, which shape, which kind of value, with numbers printed far enough apart to
tell them apart. Used by the checkers in coursekit.exercises."""

import numpy as np

from coursekit.checks import is_real


class Wrong(Exception):
    """A mismatch, said in words."""


def kind(value):
    """'an int', 'a NumPy array', ...: what the student's value is, in words."""
    name = "NumPy array" if isinstance(value, np.ndarray) else type(value).__name__
    return f"{'an' if name[0].lower() in 'aeiou' else 'a'} {name}"


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


def _pair(expected, got):
    """Two numbers printed with enough digits to tell them apart."""
    for digits in (6, 10, 17):
        e, g = f"{expected:.{digits}g}", f"{got:.{digits}g}"
        if e != g:
            break
    return e, g


def compare(got, expected, rtol, atol, what, names=None):
    """Raise Wrong, naming the problem, unless got matches expected: dicts, tuples, names, arrays,
    numbers, nested. ``names`` names the parts of the result (tuple positions, dict keys)."""
    names = names or {}
    if expected is None:
        if got is not None:
            raise Wrong(f"{what} is {kind(got)} where nothing (None) was asked")
        return
    if got is None:
        raise Wrong(f"{what} is None: a missing return?")
    if isinstance(expected, dict):
        if not isinstance(got, dict):
            raise Wrong(f"{what} is {kind(got)} where a dict was asked (keys {', '.join(map(repr, expected))})")
        missing = [k for k in expected if k not in got]
        if missing:
            raise Wrong(f"{what} has no {', '.join(map(repr, missing))} (it has {', '.join(map(repr, got))})")
        for key, e in expected.items():
            compare(got[key], e, rtol, atol, names.get(key, f"{what}[{key!r}]"))
        return
    if isinstance(expected, tuple):
        if isinstance(got, list):
            raise Wrong(f"{what} is a list where a tuple was asked: return ({', '.join(['...'] * len(expected))})")
        if not isinstance(got, tuple):
            raise Wrong(f"{what} is {kind(got)} where a tuple of {len(expected)} was asked")
        for k, (g, e) in enumerate(zip(got, expected, strict=False)):  # the first item that differs
            compare(g, e, rtol, atol, names.get(k, f"item {k + 1} of {what}"))
        if len(got) != len(expected):
            raise Wrong(f"{what} has {len(got)} item{'s' * (len(got) != 1)} where {len(expected)} were asked")
        return
    if isinstance(expected, str):
        if got != expected:
            raise Wrong(f"{what}: expected {expected!r}, got {got!r}")
        return
    try:
        values = np.asarray(got)
    except ValueError:  # a ragged list
        values = np.asarray(None)
    if values.dtype.kind == "c":
        raise Wrong(f"{what} holds complex numbers where real ones were asked")
    if values.dtype.kind not in "biuf":  # a bool counts as 0 or 1; a str is not a number
        raise Wrong(f"{what} is {kind(got)}, not numbers")
    got_arr = values.astype(float)
    expected = np.asarray(expected, dtype=float)
    if got_arr.shape != expected.shape:
        raise Wrong(f"{what}: {_shape_hint(got_arr.shape, expected.shape)}")
    if not np.allclose(got_arr, expected, rtol=rtol, atol=atol):
        error = np.abs(got_arr - expected)
        worst = np.unravel_index(np.argmax(error), error.shape) if error.ndim else ()
        at = f" at index {tuple(int(i) for i in worst)}" if worst else ""
        e, g = _pair(expected[worst], got_arr[worst])
        dtype = np.asarray(got).dtype
        low = f" ({what} is {dtype}, about {np.finfo(dtype).precision} digits: keep float64)" if (
            dtype.kind == "f" and dtype.itemsize < 8) else ""
        raise Wrong(f"{what} is off by up to {error.max():.3g}{at}: expected {e}, got {g}{low}")


def describe(value):
    """A case's argument in a few characters: a short vector's values, an array's shape, a function's name."""
    if isinstance(value, np.ndarray) and value.ndim == 1 and value.size <= 3:
        return "[" + ", ".join(f"{v:.4g}" for v in value) + "]"
    if isinstance(value, np.ndarray):
        return "x".join(map(str, value.shape)) or f"{float(value):.4g}"
    if isinstance(value, dict):
        return "(" + ", ".join(f"{k} {describe(v)}" for k, v in value.items()) + ")"
    if callable(value):
        return getattr(value, "__name__", "a function")
    if is_real(value):
        return f"{value:.4g}"
    return repr(value)[:24]


def show(value):
    """repr, with a set's items sorted (a set prints in hash order, which changes from run to run)."""
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(map(repr, value))) + "}"
    if isinstance(value, np.ndarray):
        return f"an array of shape {value.shape}"
    if is_real(value):
        return f"{value:.6g}"
    return repr(value)
