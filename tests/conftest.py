"""Test set-up: a non-interactive matplotlib backend and helpers importable."""

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # here, not MPLBACKEND: that would also reach the notebook kernels
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
