"""CI's proof of the README's plain Python commands (the "Without make" block for Linux and macOS).

Usage, in a clean clone: python3 tools/check_plain_commands.py   (the standard library only: it runs
before .venv exists). It reads the commands from README.md and runs each exactly as written, with
bash, in the repository root:
- the set-up lines (create .venv, install requirements.txt);
- the lab line, until JupyterLab answers 200 with the token it printed and 401/403 without it,
  then stops it and everything it started;
- the test line, to completion; it must succeed.
Then it checks that `make lab` and `make test` run the same commands (make -n).

As root (CI), Jupyter refuses to start unless allowed: only then, the lab line runs with
JUPYTER_CONFIG_DIR pointing at a throw-away folder whose config allows root; the command is unchanged.
"""

import json
import os
import re
import runpy
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
http_status = runpy.run_path(str(ROOT / "tools" / "http_status.py"))["http_status"]
URL = re.compile(r"http://(?:localhost|127\.0\.0\.1):(\d+)/lab\?token=(\w+)")


def readme_commands(readme=ROOT / "README.md"):
    """The bash block of the section "Without make", one command per line, comments dropped."""
    text = readme.read_text()
    section = text[text.index("### Without make"):]
    block = section[section.index("```bash\n") + len("```bash\n"):]
    block = block[: block.index("```")]
    return [line.split("  #")[0].strip() for line in block.splitlines() if line.strip()]


def check_lab(command):
    env, config = dict(os.environ), Path(tempfile.mkdtemp(prefix="plain-lab-"))
    if os.geteuid() == 0:
        (config / "jupyter_server_config.json").write_text(json.dumps({"ServerApp": {"allow_root": True}}))
        env["JUPYTER_CONFIG_DIR"] = str(config)
    lab = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, start_new_session=True)
    found, log = [], []

    def read():
        for line in lab.stdout:
            log.append(line)
            if not found and URL.search(line):
                found.append(URL.search(line))

    threading.Thread(target=read, daemon=True).start()
    try:
        deadline = time.monotonic() + 120
        while not found:
            if lab.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"FAIL: `{command}` printed no URL with a token:\n{''.join(log)[-3000:]}")
            time.sleep(0.2)
        port, token = found[0].groups()
        base = f"http://localhost:{port}"
        # The URL is printed as the server starts; on a busy machine its first page can take a while.
        while (with_token := http_status(f"{base}/lab", token)) is None and time.monotonic() < deadline:
            time.sleep(0.5)
        without = http_status(f"{base}/api/contents")
        print(f"`{command}`: JupyterLab at {base}: {with_token} with its token, {without} without")
        if with_token != 200 or without not in (401, 403):
            raise SystemExit("FAIL: expected 200 with the token and 401 or 403 without")
    finally:
        os.killpg(lab.pid, signal.SIGTERM)
        try:
            lab.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(lab.pid, signal.SIGKILL)
            lab.wait()
        shutil.rmtree(config, ignore_errors=True)


def check_make_runs(commands):
    """make lab and make test, dry-run as from a clean clone (-B), print each README line: as it is, or
    after `test -x .venv/bin/python ||`, which skips creating a venv that exists."""
    dry = subprocess.run(["make", "-n", "-B", "lab", "test"], cwd=ROOT, capture_output=True, text=True, check=True)
    lines = [line.strip() for line in dry.stdout.splitlines()]
    for command in commands:
        if not any(line == command or line.endswith(f"|| {command}") for line in lines):
            raise SystemExit(f"FAIL: make lab/test do not run the README's `{command}`; make -n prints:\n{dry.stdout}")
    print("make lab and make test run the README's commands:", " / ".join(commands))


def main():
    commands = readme_commands()
    lab_line = next(c for c in commands if " jupyter lab" in c)
    test_line = next(c for c in commands if " pytest" in c)
    for command in commands[: commands.index(lab_line)]:
        print(f"$ {command}", flush=True)
        subprocess.run(["bash", "-c", command], cwd=ROOT, check=True)
    print(f"$ {lab_line}", flush=True)
    check_lab(lab_line)
    print(f"$ {test_line}", flush=True)
    started = time.monotonic()
    subprocess.run(["bash", "-c", test_line], cwd=ROOT, check=True)
    print(f"`{test_line}` passed in {time.monotonic() - started:.0f} s")
    check_make_runs(commands)


if __name__ == "__main__":
    sys.exit(main())
