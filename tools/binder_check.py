"""Binder, proven as far as this machine allows (no Docker here).

Usage: python tools/binder_check.py   (or: make binder-check; CI runs it)

repo2docker installs binder/requirements.txt with pip over its own base environment. This check
rebuilds that situation in a throw-away venv: the base environment's Jupyter packages at the
versions in tools/binder_base_environment.txt, then ``pip install -r binder/requirements.txt``
from (a copy of) the repository root, as repo2docker runs it. Then ``pip check`` must be clean,
and JupyterLab, started as Binder starts it, must serve every notebook of both editions
(HTTP 200 with the token, and a refusal without it). The pip cache is reused between runs.
"""

import json
import os
import runpy
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "tools" / "binder_base_environment.txt"
http_status = runpy.run_path(str(ROOT / "tools" / "http_status.py"))["http_status"]


def main():
    # Stopped (CI stops it when another check fails): clean up as on any other exit.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(f"binder-check: stopped by signal {signum}"))
    start = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="course-binder-") as tmp:
        tmp = Path(tmp)
        repo = tmp / "repo"
        shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(
            ".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", "e2e-screenshots"))
        subprocess.run([sys.executable, "-m", "venv", str(tmp / "venv")], check=True)
        pip = [str(tmp / "venv" / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
        subprocess.run([*pip, "install", "-r", str(BASE)], check=True)
        print(f"base environment installed ({time.monotonic() - start:.0f} s)", flush=True)
        subprocess.run([*pip, "install", "-r", "binder/requirements.txt"], check=True, cwd=repo)
        check = subprocess.run([pip[0], "-m", "pip", "check"], capture_output=True, text=True)
        if check.returncode:
            sys.exit(f"binder-check: pip check fails over Binder's base environment:\n{check.stdout}{check.stderr}")
        print("binder/requirements.txt installed over it; pip check: no broken requirements", flush=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        token, base = secrets.token_hex(16), f"http://127.0.0.1:{port}"
        command = [str(tmp / "venv" / "bin" / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
                   f"--ServerApp.port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={repo}"]
        if os.geteuid() == 0:
            command.append("--allow-root")
        env = {"PATH": f"{tmp / 'venv' / 'bin'}:/usr/bin:/bin", "HOME": str(tmp), "JUPYTER_PLATFORM_DIRS": "1"}
        server = subprocess.Popen(command, cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                  start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while http_status(f"{base}/api/status", token) != 200:
                if server.poll() is not None or time.monotonic() > deadline:
                    sys.exit("binder-check: JupyterLab did not start")
                time.sleep(0.3)
            refused = http_status(f"{base}/api/contents")
            if refused not in (401, 403):
                sys.exit(f"binder-check: a request without the token got HTTP {refused}")
            pages = [f"/lab/tree/{edition}/{path.name}" for edition in ("student", "notebooks")
                     for path in sorted((repo / edition).glob("*.ipynb"))]
            failed = {page: http_status(base + page, token) for page in pages}
            failed = {page: code for page, code in failed.items() if code != 200}
            contents = http_status(f"{base}/api/contents/student/{Path(pages[0]).name}", token)
            if failed or contents != 200:
                sys.exit(f"binder-check: not served: {json.dumps(failed)}; contents API: {contents}")
            print(f"JupyterLab served all {len(pages)} notebooks (HTTP 200 with the token, {refused} without)")
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
    print(f"binder-check passed in {time.monotonic() - start:.0f} s")


if __name__ == "__main__":
    main()
