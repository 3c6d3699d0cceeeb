"""Sealed answers: the student edition checks a number exercise against its expected value without
showing the expression that computes it (which would give the answer away). The token is not a
secret (anyone can decode it), only not readable at a glance."""

import base64
import json

import numpy as np

from coursekit.checks import is_real


def _tuples(data):
    """JSON's lists back to tuples, inside a tuple or a set."""
    return (tuple(_tuples(v)) if isinstance(v, list) else v for v in data)


_OPENERS = {"array": np.array, "tuple": lambda data: tuple(_tuples(data)), "set": lambda data: set(_tuples(data)),
            "int": int, "float": float, "str": str}


def _plain(x):
    """A number (to 12 significant digits: the checks' tolerance is far coarser, and the token then
    does not depend on the last bits of a machine's arithmetic), a name, or a list of them, as JSON
    holds it."""
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, str):
        return x
    if not is_real(x):
        raise ValueError(f"value must hold numbers or names only, got a {type(x).__name__}")
    return int(x) if isinstance(x, (int, np.integer)) else float(f"{float(x):.12g}")


def seal(value):
    """A token for an expected answer: a number, a name, a tuple or set of them (or of tuples of them), or a
    real array."""
    if isinstance(value, np.ndarray) and value.dtype.kind in "iuf":
        kind, data = "array", _plain(value.tolist())
    elif isinstance(value, tuple):
        kind, data = "tuple", [_plain(x) for x in value]
    elif isinstance(value, (set, frozenset)):
        kind, data = "set", sorted(map(_plain, value), key=repr)
    elif is_real(value) or isinstance(value, str):
        data = _plain(value)
        kind = type(data).__name__
    else:
        raise ValueError(f"value must be a number, a name, a tuple or set of them, or a real array, "
                         f"got {type(value).__name__}")
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
