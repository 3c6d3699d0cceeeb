"""The course in a real browser: JupyterLab and headless Chromium, driven by Playwright through
pytest-playwright's fixtures (Debian's chromium, no browser download).

Run with ``make e2e`` (``make test`` does not collect this folder). For each notebook of both
editions: open it in JupyterLab (served from a throw-away copy of the bundle, so autosave never
touches the repo), clear its outputs, run all cells, and fail on any error output or stderr; then
axe-core (npm) checks the course's outputs: no serious or critical violation, and every slider's
handle named by its label and reporting the value its readout shows, and each explorer's live region
saying the shown picture's description. In
the student edition, then move the explorer's main slider by keyboard (arrows, PageDown) and by
dragging it with the mouse; after each move, wait for the plot to be replaced, check its pixels
changed and no error appeared, and time the slider's final value -> new plot painted (the budget:
a keyboard median of 40 ms and no drag over 100 ms; reported, enforced with E2E_STRICT_LATENCY=1;
twice the budget always fails). Then close the notebook and check its kernel stopped. The student
edition runs a second time through a relay that delays every byte by 50 ms each way (a remote
student's 100 ms round trip), with the same moves and budget: the main slider's frames are kept in
the page. Last, each student notebook as a static page (nbconvert's HTML, no kernel), with the
widget manager served locally from npm: the main slider must move the picture there too, and axe-core
finds nothing there either. A failing
test leaves a screenshot in e2e-screenshots/.

The server listens on 127.0.0.1 on a free port with a random token (a request without it must be
refused), with Jupyter's config, runtime, data, settings and workspace folders in a temporary
directory. It is always stopped, with its kernels: on success, on failure and on Ctrl-C or SIGTERM.
"""

import contextlib
import http.server
import json
import os
import runpy
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
http_status = runpy.run_path(str(ROOT / "tools" / "http_status.py"))["http_status"]
DelayProxy = runpy.run_path(str(ROOT / "tools" / "delay_proxy.py"))["DelayProxy"]
SHOTS = ROOT / "e2e-screenshots"
TIMEOUT_S = 120
#: The student edition (what students open) and the solutions (what instructors run).
EDITIONS = ("student", "notebooks")
#: The main slider's frames are kept in the page: a move shows its frame with no kernel round trip, so the
#: budget holds through a slow link too (every student notebook is measured through a 100 ms round trip).
LATENCY_LIMIT_MS, DRAG_LIMIT_MS = 40, 100
ROUND_TRIP_S = 0.1
# The latency budget is a performance target, reported on every run. It fails the run only with
# E2E_STRICT_LATENCY=1: on a shared 2-core machine the same build measures 75 to 135 ms from one
# minute to the next (the kernel's update takes twice as long while the browser paints), and a
# functional test must not flake on that.
STRICT_LATENCY = os.environ.get("E2E_STRICT_LATENCY") == "1"
# Twice the budget fails on any machine: it catches a gross regression, not a slow hour (the slowest
# machine seen here measured medians up to 137 ms and a drag of 245 ms).
CEILING = 2



class Failure(AssertionError):
    """A failed check: which notebook, which step, and what was seen."""

    def __init__(self, notebook, step, saw):
        super().__init__(f"{notebook}: {step}: {saw}")


#: axe-core from npm (make e2e installs it): the accessibility rules run on the course's outputs after Run All.
AXE = Path(__file__).with_name("static") / "node_modules" / "axe-core" / "axe.min.js"
# The outputs and the rendered markdown are the course's; JupyterLab's own interface is left aside, and so are
# the "Out[k]:" prompts and, on a static page, the links' style (nbconvert's template draws both: grey prompts,
# links not underlined; JupyterLab's own rendering of the same links passes).
JS_AXE = """async (rules) => {
  const found = await axe.run({include: [['.jp-OutputArea'], ['.jp-MarkdownOutput']], exclude: [['.jp-OutputPrompt']]},
                              {resultTypes: ['violations'], rules});
  return found.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v =>
      `${v.id} (${v.impact}, ${v.nodes.length}): ` + v.nodes.slice(0, 3).map(n => n.html.slice(0, 100)).join(' | '));
}"""
# Each explorer's live region (polite), beside its picture: what it says, and the shown frame's alt text.
JS_SAID = """() => [...document.querySelectorAll('.explorer-picture')].map(picture => {
  const said = picture.nextElementSibling, shown = [...picture.querySelectorAll('img')]
      .filter(img => img.alt && img.offsetParent !== null).pop();
  return [said && said.classList.contains('explorer-said') && said.getAttribute('aria-live'),
          said && said.textContent, shown && shown.alt]; })"""
# Each slider: its handle (role=slider) named by its label, reporting what its readout shows.
JS_SLIDERS = """(root) => [...root.querySelectorAll('.widget-slider')].map(box => {
  const handle = box.querySelector('.noUi-handle');
  return [handle.getAttribute('aria-label'), box.querySelector('.widget-label').textContent.trim(),
          handle.getAttribute('aria-valuetext'), box.querySelector('.widget-readout').textContent.trim()]; })"""


def check_accessibility(page, name, static=False):
    """axe-core on the course's outputs: no serious or critical violation; every slider named, with its value; each
    explorer's live region saying what its picture shows."""
    if not AXE.exists():
        pytest.exit("e2e: no axe-core in tests/e2e/static/node_modules: run make e2e (it runs npm ci there)")
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(JS_AXE, {"link-in-text-block": {"enabled": False}} if static else {})
    if found:
        raise Failure(name, "axe-core, serious or critical, in the course's outputs", "; ".join(found))
    sliders = page.locator("body").evaluate(JS_SLIDERS)
    wrong = [slider for slider in sliders if slider[0] != slider[1] or slider[2] != slider[3]]
    if wrong:
        raise Failure(name, "sliders' names and values", f"[aria-label, label, aria-valuetext, readout]: {wrong}")
    said = page.evaluate(JS_SAID)
    if not said or any(live != "polite" or not text or text != alt for live, text, alt in said):
        raise Failure(name, "the explorer's live region", f"[aria-live, its text, the shown frame's alt]: {said}")
    return len(sliders)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """JupyterLab on 127.0.0.1, token auth on, isolated folders; stopped with its kernels."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="course-e2e-"))
        self.port, self.token = free_port(), secrets.token_hex(24)
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        site = self.tmp / "course"
        for edition in EDITIONS:
            shutil.copytree(ROOT / edition, site / edition, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "MPLBACKEND"))}
        for name in ("config", "runtime", "data", "ipython"):
            (self.tmp / name).mkdir()
        # No "get Jupyter news?" pop-up over the page.
        notification = self.tmp / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
        notification.parent.mkdir(parents=True)
        notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
        env.update(
            JUPYTER_CONFIG_DIR=str(self.tmp / "config"), JUPYTER_RUNTIME_DIR=str(self.tmp / "runtime"),
            JUPYTER_DATA_DIR=str(self.tmp / "data"), IPYTHONDIR=str(self.tmp / "ipython"),
            JUPYTER_PLATFORM_DIRS="1",
        )
        command = [
            sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
            f"--ServerApp.root_dir={site}", "--LabApp.expose_app_in_browser=True",
            f"--LabApp.user_settings_dir={self.tmp / 'settings'}", f"--LabApp.workspaces_dir={self.tmp / 'workspaces'}",
        ]
        if os.geteuid() == 0:
            command.append("--allow-root")
        self.log = open(self.tmp / "server.log", "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while http_status(f"{self.base}/api/status", self.token) != 200:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise Failure("server", "start JupyterLab", self.log_tail())
            time.sleep(0.3)
        refused = http_status(f"{self.base}/api/contents")
        if refused not in (401, 403):
            raise Failure("server", "token authentication", f"a request without the token got HTTP {refused}")
        print(f"JupyterLab on {self.base} (pid {self.process.pid}); without the token: HTTP {refused}", flush=True)

    def running_kernels(self):
        request = urllib.request.Request(f"{self.base}/api/kernels", headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=5) as response:
            return len(json.load(response))

    def log_tail(self):
        self.log.flush()
        return (self.tmp / "server.log").read_text(errors="replace")[-2000:]

    def kernel_pids(self):
        """Processes whose command line names a connection file in our runtime folder."""
        marker, pids = str(self.tmp / "runtime").encode(), []
        for proc in Path("/proc").iterdir():
            if proc.name.isdigit():
                try:
                    if marker in (proc / "cmdline").read_bytes():
                        pids.append(int(proc.name))
                except OSError:
                    pass
        return pids

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            kernels = self.kernel_pids()
            try:
                http_status(f"{self.base}/api/shutdown", self.token, method="POST")  # stops kernels too
                self.process.wait(timeout=15)
            except (OSError, subprocess.TimeoutExpired):
                pass
            for sig in (signal.SIGTERM, signal.SIGKILL):
                if self.process.poll() is None:
                    os.killpg(self.process.pid, sig)
                    try:
                        self.process.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        pass
            for pid in kernels + self.kernel_pids():
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            print(f"stopped JupyterLab (pid {self.process.pid}) and {len(set(kernels))} kernel(s)", flush=True)
        if hasattr(self, "log"):
            self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)


# JavaScript run in the page. `jupyterapp` is exposed by --LabApp.expose_app_in_browser.
JS_READY = """() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  const k = w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  return !!(k && k.status === 'idle' && w.content && w.content.widgets.length); }"""
JS_STATE = """() => { const w = window.jupyterapp.shell.currentWidget;
  const code = w.content.widgets.filter(c => c.model.type === 'code');
  const errors = [...document.querySelectorAll(
      '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')].map(e => e.innerText.slice(0, 500));
  const widgetErrors = [...document.querySelectorAll('.jp-OutputArea-output')]
      .map(e => e.innerText).filter(t => t.includes('Error displaying widget') || t.includes('Error rendering'));
  return { total: code.length, done: code.filter(c => c.model.executionCount !== null).length,
           running: code.filter(c => (c.promptNode && c.promptNode.innerText || '').includes('*')).length,
           kernel: w.sessionContext.session.kernel.status, errors: errors.concat(widgetErrors) }; }"""
#: An explorer's picture (a backdrop and, over it, the strip's frame at the main slider's position), its plot
#: (the frame's <img>, the last in the picture), and the explorer around it.
PICTURE = ".explorer-picture"
PLOT = f"{PICTURE} img"
EXPLORER = f".widget-vbox:has({PLOT})"
# Run on the explorer's picture. "Painted": the new <img> is decoded, then the next frame is
# rendered (a task posted from that frame's animation callback runs once the frame is produced).
JS_WATCH = """(root) => { window.__plots = [];
  const nextPaint = () => new Promise(done => requestAnimationFrame(() => {
      const channel = new MessageChannel(); channel.port1.onmessage = done; channel.port2.postMessage(0); }));
  new MutationObserver(ms => { for (const m of ms) for (const n of m.addedNodes) {
      const img = n.nodeName === 'IMG' ? n : n.querySelector && n.querySelector('img');
      if (img) img.decode().catch(() => {}).then(nextPaint).then(() => window.__plots.push(performance.now())); } })
    .observe(root, { childList: true, subtree: true }); }"""

# The explorer's cell: the last one whose widget shows a plot. JupyterLab renders far cells lazily and
# the widgets render after the kernel went idle, so each code cell that holds a widget is scrolled to
# (last first) and looked at; false if none shows a plot yet (the caller retries).
JS_SCROLL_TO_EXPLORER = """async (plot) => { const nb = window.jupyterapp.shell.currentWidget.content;
  const widgetCells = nb.widgets.map((c, i) => [c, i]).filter(([c]) => c.model.type === 'code' &&
      Array.from({ length: c.model.outputs.length }, (_, k) => c.model.outputs.get(k))
        .some(o => o.data && o.data['application/vnd.jupyter.widget-view+json']));
  for (const [cell, i] of widgetCells.reverse()) {
    await nb.scrollToItem(i, 'center');
    if (cell.node.querySelector(plot)) { nb.activeCellIndex = i; return true; } }
  return false; }"""
JS_CLOSE = """async () => { const w = window.jupyterapp.shell.currentWidget;
  await w.sessionContext.shutdown(); w.content.model.dirty = false; w.dispose(); }"""


def run_notebook(page, server, path, first):
    name = path.name
    if first:
        page.goto(f"{server.base}/lab/tree/{path.parent.name}/{name}?token={server.token}")
    else:  # open it in the running JupyterLab, as a student would from the file browser
        page.evaluate("async (p) => { await window.jupyterapp.commands.execute('docmanager:open', {path: p}); }",
                      f"{path.parent.name}/{name}")
    try:
        page.wait_for_function(JS_READY, timeout=TIMEOUT_S * 1000)
    except Exception as error:
        raise Failure(name, "open the notebook and start its kernel", str(error).splitlines()[0]) from None
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:clear-all-cell-outputs')")
    start = time.monotonic()
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    while True:
        state = page.evaluate(JS_STATE)
        if state["errors"]:
            raise Failure(name, "run all cells", "error output or stderr: " + " | ".join(state["errors"]))
        if state["done"] == state["total"] and state["running"] == 0 and state["kernel"] == "idle":
            break
        if time.monotonic() - start > TIMEOUT_S:
            raise Failure(name, "run all cells", f"timeout: {state['done']} of {state['total']} cells ran, "
                          f"{state['running']} still running, kernel {state['kernel']}")
        time.sleep(0.25)
    print(f"{name}: ran {state['total']} code cells in {time.monotonic() - start:.1f} s, no error or stderr",
          flush=True)
    page.screenshot(path=str(SHOTS / f"{path.parent.name}-{path.stem}-before.png"), full_page=True)


def key_press(page, handle, key):
    """A keyboard move of the slider ``handle`` for :func:`move_slider`: focus it, press ``key``; the slider's
    value is final at the key press."""
    def act():
        handle.focus()
        t = page.evaluate("() => performance.now()")
        page.keyboard.press(key)
        return t, t
    return act


def move_slider(page, notebook, how, action, page_errors=None):
    """Do one slider move; wait for the new plot; return, in ms, the time from the slider's final
    value (the key press, the Enter, a drag's last mouse move) to the last new plot painted.

    A drag updates the plot while the mouse moves (continuous updates); if its last
    move left the value unchanged, the plot may already be current: that counts as 0.
    """
    plot = page.locator(PLOT).last
    before = plot.screenshot()
    page.wait_for_timeout(300)  # a quiet page before the move, as a student's: the screenshot's work is done
    page.evaluate("() => { window.__plots = []; }")
    started, released = action()
    try:
        page.wait_for_function("(t) => window.__plots.some(p => p > t)", arg=started, timeout=15000)
    except Exception:
        raise Failure(notebook, f"slider moved by {how}", "the plot was not replaced within 15 s") from None
    page.wait_for_timeout(400 if how == "mouse drag" else 150)  # let a drag's last updates land
    last = page.evaluate("() => Math.max(...window.__plots)")
    errors = page_errors() if page_errors else page.evaluate(JS_STATE)["errors"]
    if errors:
        raise Failure(notebook, f"slider moved by {how}", "error appeared: " + " | ".join(errors))
    if plot.screenshot() == before:
        raise Failure(notebook, f"slider moved by {how}", "the plot's pixels did not change")
    return max(0.0, last - released)


def find_explorer(page, name, timeout_s=30):
    """The explorer of the open notebook, scrolled to the page's middle, with its plot watched (JS_WATCH)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(JS_SCROLL_TO_EXPLORER, PLOT):
        if time.monotonic() > deadline:
            raise Failure(name, "find the explorer", f"no widget with a plot on the page within {timeout_s} s")
        page.wait_for_timeout(250)
    page.wait_for_timeout(300)
    explorer = page.locator(EXPLORER).last
    explorer.scroll_into_view_if_needed()
    explorer.locator(PICTURE).last.evaluate(JS_WATCH)
    return explorer


#: The wait after another control changed, for the kernel to fill the new strip (measured: 0.2 to 1 s here).
REFILL_MS = 3000


def change_another_control(page, explorer, name):
    """Move the explorer's second slider, or pick its other pass or another option: a new setting."""
    sliders = explorer.locator(".widget-slider .noUi-handle")
    toggles = explorer.locator(".widget-toggle-button:not(.mod-active)")
    if sliders.count() > 1:
        sliders.nth(1).focus()
        page.keyboard.press("ArrowLeft")
    elif toggles.count():
        toggles.first.click()
    elif explorer.locator("select").count():
        explorer.locator("select").first.select_option(index=1)
    else:
        raise Failure(name, "change another control", "the explorer has no other slider, toggle or list")


def exercise_slider(page, path, link="direct"):
    """Move the explorer's main slider by keyboard and by mouse; report and check the times (median of
    the keyboard moves, and of all moves, against LATENCY_LIMIT_MS; each drag against DRAG_LIMIT_MS)."""
    name = path.name
    explorer = find_explorer(page, name)
    slider = explorer.locator(".widget-slider").first
    if slider.count() == 0:
        raise Failure(name, "find the main slider", "the explorer has no slider")
    handle = slider.locator(".noUi-handle").first
    now = "() => performance.now()"
    times = {}

    def keyboard(press):
        return key_press(page, handle, press)

    def drag(dx):
        def act():
            box = handle.bounding_box()
            x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
            page.mouse.move(x, y)
            start = page.evaluate(now)
            page.mouse.down()
            for k in range(1, 9):  # a person's drag: about a third of a second, not one instant jump
                if k > 1:
                    page.wait_for_timeout(40)
                page.mouse.move(x + dx * k / 8, y)
            t = page.evaluate(now)  # the slider at its last position: from here the plot has to catch up
            page.mouse.up()
            return start, t
        return act

    moves = [("keyboard", keyboard("ArrowRight")), ("keyboard", keyboard("ArrowRight")),
             ("keyboard", keyboard("ArrowLeft")), ("keyboard", keyboard("PageDown")),
             ("keyboard", keyboard("ArrowRight")), ("keyboard", keyboard("ArrowLeft")),
             ("keyboard", keyboard("ArrowRight")), ("keyboard", keyboard("ArrowRight")),
             ("mouse drag", drag(-60)), ("mouse drag", drag(40))]
    for how, action in moves:
        times.setdefault(how, []).append(move_slider(page, name, how, action))
    # Another control starts a new strip, which the kernel fills between messages: a moment later the main
    # slider answers from the page again.
    change_another_control(page, explorer, name)
    page.wait_for_timeout(REFILL_MS)
    for press in ("ArrowRight", "ArrowLeft", "ArrowLeft"):
        times.setdefault("keyboard, new strip", []).append(move_slider(page, name, "keyboard", keyboard(press)))
    page.screenshot(path=str(SHOTS / f"{path.parent.name}-{path.stem}-{link}-after.png"), full_page=False)
    every = [t for ts in times.values() for t in ts]
    median = statistics.median(every)
    keys = statistics.median(times["keyboard"] + times["keyboard, new strip"])
    detail = ", ".join(f"{how} {statistics.median(ts):.0f}" for how, ts in times.items())
    print(f"{name} ({link}): slider's final value -> new plot painted: median {median:.0f} ms over {len(every)} "
          f"moves ({detail} ms)", flush=True)
    for factor in (1, CEILING):
        limit, drag_limit = factor * LATENCY_LIMIT_MS, factor * DRAG_LIMIT_MS
        over = [f"{what} median {t:.0f} ms > {limit} ms" for what, t in (("keyboard", keys), ("overall", median))
                if t > limit]
        over += [f"a mouse drag took {t:.0f} ms > {drag_limit} ms" for t in times["mouse drag"] if t > drag_limit]
        if over and (STRICT_LATENCY or factor == CEILING):
            raise Failure(name, "slider latency", "; ".join(over))
        for problem in over:
            print(f"{name}: WARNING: over the latency budget: {problem}", flush=True)
    return keys


PATHS = [path for edition in EDITIONS for path in sorted((ROOT / edition).glob("*.ipynb"))]
STUDENT = [path for path in PATHS if path.parent.name == "student"]
MEDIANS = {}  # (link, notebook) -> median of the keyboard moves, ms


def report_medians():
    """The main slider's keyboard median per notebook, direct and through the slow link: a table and a JSON line."""
    links = sorted({link for link, _ in MEDIANS}, key=lambda link: link != "direct")
    print("main slider, keyboard moves, median ms: " + " | ".join(["notebook", *links]))
    for notebook in sorted({notebook for _, notebook in MEDIANS}):
        print(" | ".join([notebook, *(f"{MEDIANS[link, notebook]:.0f}" if (link, notebook) in MEDIANS else "-"
                                      for link in links)]))
    print(json.dumps({"slider_median_ms": {f"{link} {name}": round(ms) for (link, name), ms in MEDIANS.items()}}))


@pytest.fixture(scope="session")
def lab():
    """JupyterLab for the whole session, stopped with its kernels however the session ends."""

    def interrupted(signum, frame):
        raise KeyboardInterrupt(f"signal {signum}")

    previous = signal.signal(signal.SIGTERM, interrupted)
    server, started = LabServer(), time.monotonic()
    try:
        server.start()
        yield server
    finally:
        server.stop()
        signal.signal(signal.SIGTERM, previous)
        report_medians()
        print(f"whole e2e run: {time.monotonic() - started:.0f} s")


@pytest.fixture(scope="session")
def lab_page(lab, browser):
    """One browser page for the session: JupyterLab loads once, notebooks open in it in turn."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.opened = False
    yield page
    context.close()


@pytest.mark.parametrize("path", PATHS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_notebook_in_the_browser(lab, lab_page, path):
    SHOTS.mkdir(exist_ok=True)
    try:
        run_notebook(lab_page, lab, path, first=not lab_page.opened)
        lab_page.opened = True
        if path.parent.name == "student":  # the solutions' explorers are the same code: running all is enough
            MEDIANS["direct", path.name] = exercise_slider(lab_page, path)
        sliders = check_accessibility(lab_page, path.name)
        print(f"{path.name}: axe-core: no serious or critical violation in the outputs; {sliders} sliders named, "
              "each reporting its readout", flush=True)
        lab_page.evaluate(JS_CLOSE)
        left = lab.running_kernels()
        assert not left, f"{path.name}: {left} kernel(s) still running after the notebook was closed"
    except BaseException:
        with contextlib.suppress(Exception):  # a screenshot, then close it: the next notebook starts clean
            lab_page.screenshot(path=str(SHOTS / f"{path.parent.name}-{path.stem}-failed.png"), full_page=True)
            lab_page.evaluate(JS_CLOSE)
        raise


# --------------------------------------------------------------------------
# Through a slow link: a remote student's round trip
# --------------------------------------------------------------------------


@pytest.fixture(scope="session")
def remote_page(lab, browser):
    """A page of its own that reaches JupyterLab through a relay holding every chunk 50 ms each way (a 100 ms
    round trip, an ordinary distance to Binder or a university hub)."""
    proxy = DelayProxy(lab.port, ROUND_TRIP_S / 2).start()
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.opened = False
    page.server = types.SimpleNamespace(base=f"http://127.0.0.1:{proxy.port}", token=lab.token)
    print(f"the slow link: {page.server.base} -> {lab.base}, {1000 * ROUND_TRIP_S:.0f} ms round trip", flush=True)
    yield page
    context.close()
    proxy.stop()


@pytest.mark.parametrize("path", STUDENT, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_student_notebook_through_a_slow_link(lab, remote_page, path):
    """As a remote student meets it: run all, then the main slider, whose moves need no round trip."""
    link = f"{1000 * ROUND_TRIP_S:.0f} ms round trip"
    try:
        run_notebook(remote_page, remote_page.server, path, first=not remote_page.opened)
        remote_page.opened = True
        MEDIANS[link, path.name] = exercise_slider(remote_page, path, link=link.replace(" ", "-"))
        remote_page.evaluate(JS_CLOSE)
    except BaseException:
        with contextlib.suppress(Exception):
            remote_page.screenshot(path=str(SHOTS / f"{path.parent.name}-{path.stem}-slow-failed.png"),
                                   full_page=True)
            remote_page.evaluate(JS_CLOSE)
        raise


# --------------------------------------------------------------------------
# A static page: nbconvert's HTML, its widgets rendered by the widget manager, with no kernel
# --------------------------------------------------------------------------

#: npm's @jupyter-widgets/html-manager and requirejs, installed by make e2e (npm ci in tests/e2e/static).
NODE_MODULES = Path(__file__).with_name("static") / "node_modules"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def static_site():
    """Every student notebook as nbconvert's HTML page (the saved widget state, no kernel), served on 127.0.0.1
    with the widget manager and requirejs from npm: no CDN is reachable here."""
    import nbformat
    from nbconvert import HTMLExporter

    if not (NODE_MODULES / "@jupyter-widgets" / "html-manager" / "dist" / "embed-amd.js").exists():
        pytest.exit("e2e: no widget manager in tests/e2e/static/node_modules: run make e2e (it runs npm ci there)")
    site = Path(tempfile.mkdtemp(prefix="course-static-"))
    (site / "node_modules").symlink_to(NODE_MODULES)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), lambda *args: QuietHandler(*args, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    exporter = HTMLExporter(
        widget_renderer_url=f"{base}/node_modules/@jupyter-widgets/html-manager/dist/embed-amd.js",
        require_js_url=f"{base}/node_modules/requirejs/require.js", mathjax_url=f"{base}/no-mathjax.js")
    for path in STUDENT:
        body, _ = exporter.from_notebook_node(nbformat.read(path, as_version=4))
        (site / f"{path.stem}.html").write_text(body, encoding="utf-8")
    yield base
    server.shutdown()
    server.server_close()
    shutil.rmtree(site, ignore_errors=True)


@pytest.mark.parametrize("path", STUDENT, ids=lambda p: f"static/{p.name}")
def test_static_page_moves_the_picture_with_the_main_slider(static_site, browser, path):
    """The saved page, with no kernel: the explorer shows its controls and picture, and its note; keyboard moves
    of the main slider change the picture (the strip kept in the widget state); nothing fails in the page."""
    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page, errors = context.new_page(), []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{static_site}/{path.stem}.html")
        try:
            page.wait_for_selector(PLOT, timeout=30000)
        except Exception:
            raise Failure(path.name, "render the saved widgets", "no explorer picture within 30 s") from None
        explorer = page.locator(EXPLORER).last
        explorer.scroll_into_view_if_needed()
        assert "only the" in explorer.inner_text(), "the explorer says what moves with no kernel"
        explorer.locator(PICTURE).last.evaluate(JS_WATCH)
        handle = explorer.locator(".widget-slider .noUi-handle").first
        times = []
        for press in ("ArrowRight", "ArrowRight", "ArrowLeft", "PageDown", "ArrowRight"):
            times.append(move_slider(page, f"static {path.name}", "keyboard", key_press(page, handle, press),
                                     page_errors=lambda: errors))
        assert not errors, f"{path.name}: errors in the page: {errors}"
        check_accessibility(page, f"static {path.name}", static=True)
        explorer.screenshot(path=str(SHOTS / f"static-{path.stem}-after.png"))
        print(f"static {path.name}: keyboard moves, slider -> new picture painted: median "
              f"{statistics.median(times):.0f} ms", flush=True)
    except BaseException:
        with contextlib.suppress(Exception):
            page.screenshot(path=str(SHOTS / f"static-{path.stem}-failed.png"), full_page=True)
        raise
    finally:
        context.close()
