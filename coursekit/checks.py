"""Validation at the boundary: each check returns the clean value or raises a
ValueError whose message starts with the argument's name."""

import math

import numpy as np


def is_real(value):
    """A Python or NumPy int or float (a bool is not a number here)."""
    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, bool)


def number(name, value, *, low=None, high=None, low_open=False, high_open=False):
    """``value`` as a float, after checking it is a finite real in range."""
    if not is_real(value):
        raise ValueError(f"{name} must be a real number, got {value!r}")
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if low is not None and (value < low or (low_open and value == low)):
        raise ValueError(f"{name} must be {'>' if low_open else '>='} {low}, got {value!r}")
    if high is not None and (value > high or (high_open and value == high)):
        raise ValueError(f"{name} must be {'<' if high_open else '<='} {high}, got {value!r}")
    return value


def integer(name, value, *, low=None, high=None):
    """``value`` as an int, after checking it is an integer in range."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    value = int(value)
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"in [{low}, {high}]" if low is not None and high is not None else (
            f">= {low}" if low is not None else f"<= {high}")
        raise ValueError(f"{name} must be an integer {bounds}, got {value}")
    return value


def array(name, value, *, ndim=None, shape=None):
    """``value`` as a finite float64 array with the expected ndim or shape."""
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


def on_grid(name, value, positions):
    """``value`` as a float, after checking it is one of a slider's ``positions`` (sorted numbers)."""
    value = number(name, value)
    if value not in positions:
        nearest = min(positions, key=lambda position: abs(position - value))
        raise ValueError(f"{name} must be one of the slider's positions, {positions[0]:g} to {positions[-1]:g} "
                         f"(the nearest to {value:g} is {nearest:g}), got {value!r}")
    return value


def choice(name, value, options):
    """``value``, after checking it is one of ``options``."""
    if value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, options))}, got {value!r}")
    return value


def function(name, value):
    """``value``, after checking it can be called (a lesson function passed to an explorer)."""
    if not callable(value):
        raise ValueError(f"{name} must be a function, got {value!r}")
    return value
