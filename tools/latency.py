"""Where a main-slider move's time goes, in the browser: key press -> the new picture painted (from the frames
kept in the page: the new image decoded, then the next frame produced, the browser test's definition), against
key press -> the value sent to the kernel and -> the kernel's first reply (busy), which the picture no longer
waits for.

Usage: python tools/latency.py [NAME.ipynb ...]   (needs what make e2e needs; prints medians of 10
keyboard moves per notebook of the student edition). It reuses the browser test's server and page code.
"""

import json
import runpy
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
E2E = runpy.run_path(str(ROOT / "tests" / "e2e" / "test_browser.py"))
BROWSER = runpy.run_path(str(ROOT / "tests" / "e2e" / "conftest.py"))
# Timestamps of every websocket message the page sends and receives (size in bytes).
HOOK = """(() => { window.__ws = [];
  const note = (kind, data) => window.__ws.push(
      [kind, performance.now(), data.byteLength || data.length || data.size || 0]);
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) { note('send', data); return send.call(this, data); };
  const add = WebSocket.prototype.addEventListener;
  WebSocket.prototype.addEventListener = function (type, fn, opts) {
    return add.call(this, type, type === 'message' ? (e) => { note('recv', e.data); return fn(e); } : fn, opts); };
  const on = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    set(fn) { on.set.call(this, (e) => { note('recv', e.data); return fn(e); }); },
    get() { return on.get.call(this); } }); })();"""


def split(page, path, moves=10):
    explorer = E2E["find_explorer"](page, path.name)
    handle = explorer.locator(".widget-slider").first.locator(".noUi-handle").first
    rows = []
    for k in range(moves):
        page.evaluate("() => { window.__ws = []; window.__plots = []; }")
        handle.focus()
        t0 = page.evaluate("() => performance.now()")
        page.keyboard.press("ArrowRight" if k % 2 == 0 else "ArrowLeft")
        page.wait_for_function("(t) => window.__plots.some(p => p > t)", arg=t0, timeout=15000)
        page.wait_for_timeout(200)
        ws, painted = page.evaluate("() => window.__ws"), min(page.evaluate("() => window.__plots"))
        sent = next(t for kind, t, n in ws if kind == "send")
        busy = next(t for kind, t, n in ws if kind == "recv" and t > sent)
        rows.append((painted - t0, sent - t0, busy - t0))
    names = ("key -> picture painted", "key -> value sent to the kernel", "key -> the kernel's first reply")
    columns = zip(*rows, strict=True)
    return {name: round(statistics.median(column), 1) for name, column in zip(names, columns, strict=True)}


def main(names):
    from playwright.sync_api import sync_playwright

    names = names or ["01_computing_graph.ipynb", "03_training_loop.ipynb", "05_conv_kernels.ipynb"]
    server, result = E2E["LabServer"](), {}
    server.start()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=BROWSER["CHROMIUM"], headless=True,
                                        args=BROWSER["CHROMIUM_ARGS"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.add_init_script(HOOK)
            for i, name in enumerate(names):
                E2E["run_notebook"](page, server, ROOT / "student" / name, first=i == 0)
                result[name] = split(page, ROOT / "student" / name)
                page.evaluate(E2E["JS_CLOSE"])
            browser.close()
    finally:
        server.stop()
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main(sys.argv[1:])
