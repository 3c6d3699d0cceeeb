"""Test set-up: a non-interactive matplotlib backend (helpers is installed with the course)."""

import matplotlib

matplotlib.use("Agg")  # here, not MPLBACKEND: that would also reach the notebook kernels
