"""Test set-up: a non-interactive matplotlib backend (helpers is installed with the course), and the
tools/make_student.py fixture."""

import importlib.util
import re
import sys
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")  # here, not MPLBACKEND: that would also reach the notebook kernels


@pytest.fixture
def make_student():
    """tools/make_student.py's names, loaded as the module tools.make_student (as mutmut names it)."""
    if "tools.make_student" not in sys.modules:
        path = Path(__file__).resolve().parents[1] / "tools" / "make_student.py"
        spec = importlib.util.spec_from_file_location("tools.make_student", path)
        sys.modules[spec.name] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(sys.modules[spec.name])
    return vars(sys.modules["tools.make_student"])


def pytest_make_parametrize_id(config, val, argname):
    """Test ids of letters, digits, dots and dashes: mutmut hands them back to pytest by name, and a space or
    a bracket in one breaks that."""
    return re.sub(r"[^\w.]+", "-", repr(val)).strip("-")[:40] or None
