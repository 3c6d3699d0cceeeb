"""A notebook opened outside the repository runs after one install of the course.

Usage: python tools/check_install.py   (or: make install-check; CI runs it)

In a throw-away folder: a fresh venv, ``pip install`` of this clone (not
editable: a built wheel, as a student's ``%pip install`` gets it) under the
pins of requirements.txt, plus nbclient and ipykernel to run a kernel; then
two notebooks of the student edition, each copied alone into an empty folder, are executed there. Any error
output or stderr fails the check.
"""

import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The notebooks run alone: 02 imports notebook 01's engine and 03 trains through the library, so
#: between them they use every part of the installed course (the others run the same way).
ALONE = ("02_backprop.ipynb", "03_training_loop.ipynb")
EXECUTE = """
import sys, nbformat
from nbclient import NotebookClient
path = sys.argv[1]
nb = nbformat.read(path, as_version=4)
NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": "."}}).execute()
bad = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
       if o.output_type == "error" or (o.output_type == "stream" and o.name == "stderr")]
if bad:
    sys.exit(f"{path}: error output or stderr: {bad[0]}")
"""


def run(command, **kwargs):
    subprocess.run(command, check=True, **kwargs)


def main():
    # Stopped (CI stops it when another check fails): clean up as on any other exit.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"install check: stopped by signal {signum}"))
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="course-install-") as tmp:
        tmp = Path(tmp)
        pins = [ln for ln in (ROOT / "requirements.txt").read_text().splitlines() if not ln.startswith("-e")]
        (tmp / "constraints.txt").write_text("\n".join(pins) + "\n")
        source = tmp / "course"  # a clean copy: no build/ or egg-info of the working tree can slip in
        shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", "e2e-screenshots"))
        run([sys.executable, "-m", "venv", str(tmp / "venv")])
        python = str(tmp / "venv" / "bin" / "python")
        run([python, "-m", "pip", "install", "-q", "--disable-pip-version-check", "-c", str(tmp / "constraints.txt"),
             str(source), "nbclient", "ipykernel"])
        print(f"installed the course from {ROOT} into a fresh venv ({time.monotonic() - start:.0f} s)", flush=True)
        for notebook in (ROOT / "student" / name for name in ALONE):
            alone = tmp / notebook.stem
            alone.mkdir()
            (alone / notebook.name).write_bytes(notebook.read_bytes())
            run([python, "-c", EXECUTE, notebook.name], cwd=alone)
            print(f"{notebook.name}: ran clean, alone in an empty folder", flush=True)
    print(f"install check passed in {time.monotonic() - start:.0f} s")


if __name__ == "__main__":
    main()
