"""Benchmark: the cost of one slider update in every explorer, and of each notebook.

Usage: python tools/bench.py   (or: make bench). It prints numbers; it does not pass or fail.

A slider update is what a student's drag costs in the kernel: recompute, redraw
and encode the PNG that the explorer shows (timed from setting the control's
value to the end of its observer). Each explorer gets at least 50 updates with
varied values, moving one control at a time as a person does (every control in
turn, at random values), then 60 more moving only the main slider from the
default setting, to positions whose frames are not made yet (in the page such
a move waits for the kernel only while the strip is being filled).

The strip: the frames along the main slider that the page keeps, made at once
(as a displayed explorer does); how long that takes, how many bytes the page
and the kernel hold for it, and what a move to a kept frame costs the kernel.

One student, for sizing a hub: each student notebook run top to bottom in a kernel of
its own, as a student's Run All does, then a minute of slider moves in that kernel
(HUB_MOVES moves of its explorer, one in five of another control, which makes the
kernel redraw the whole strip, the rest of the main slider); the kernel's memory
(its peak resident size) after Run All and after the moves, and the CPU each kind
of move costs. From these: students per GB of memory and per core.
"""

import time
from pathlib import Path

import matplotlib
import numpy as np

matplotlib.use("Agg")

import helpers as h  # noqa: E402
from coursekit.lessons.conv import conv2d, conv2d_loop  # noqa: E402
from coursekit.lessons.training import backward_batch  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
UPDATES = 60


def ms(values, q):
    return 1000 * float(np.percentile(values, q))


def bench_explorer(entry):
    name, factory = entry.notebook, entry.build
    explorer = factory()
    rng = np.random.default_rng(0)
    names = list(explorer.controls)
    times = {control: [] for control in names}
    for i in range(UPDATES):
        control = names[i % len(names)]
        widget = explorer.controls[control]
        value = explorer.random_value(control, rng)
        while value == widget.value:
            value = explorer.random_value(control, rng)
        start = time.perf_counter()
        widget.value = value
        times[control].append(time.perf_counter() - start)
    everything = [t for ts in times.values() for t in ts]
    main = entry.main
    main_times = main_slider_moves(factory(), main, rng)  # the main slider alone, from the default setting
    print(f"{name}: slider update over {len(everything)} updates: "
          f"median {ms(everything, 50):.1f} ms, p90 {ms(everything, 90):.1f} ms")
    for control, ts in times.items():
        print(f"    {control:<10} median {ms(ts, 50):6.1f} ms   p90 {ms(ts, 90):6.1f} ms   ({len(ts)} updates)")
    print(f"    {main} alone, other controls at their defaults: median {ms(main_times, 50):.1f} ms, "
          f"p90 {ms(main_times, 90):.1f} ms ({len(main_times)} updates)")
    bench_strip(factory(), main, rng)


def main_slider_moves(explorer, main, rng):
    """The kernel's time for each of UPDATES moves of the main slider to random positions."""
    times = []
    for _ in range(UPDATES):
        value = explorer.random_value(main, rng)
        start = time.perf_counter()
        explorer.controls[main].value = value
        times.append(time.perf_counter() - start)
    return times


def bench_strip(explorer, main, rng):
    start = time.perf_counter()
    explorer.fill_strip()
    fill, frames = time.perf_counter() - start, len(explorer.strip.children)
    page = len(explorer.backdrop.value) + sum(len(frame.value) for frame in explorer.strip.children)
    kept = main_slider_moves(explorer, main, rng)
    print(f"    strip: {frames} frames made in {fill:.2f} s ({1000 * fill / frames:.1f} ms each); the page holds "
          f"{page / 1e6:.2f} MB (data URIs), the kernel {explorer.kept_bytes() / 1e6:.2f} MB; a move to a kept frame "
          f"costs the kernel median {ms(kept, 50):.2f} ms, p90 {ms(kept, 90):.2f} ms")


def bench_training():
    data = h.toy_regression()
    times = []
    for _ in range(30):
        start = time.perf_counter()
        h.fit(backward_batch, data)
        times.append(time.perf_counter() - start)
    print(f"03_training_loop: h.fit(backward_batch) for 100 epochs on the default data: median {ms(times, 50):.1f} ms")


def bench_conv():
    rng = np.random.default_rng(0)
    image, kernel = rng.normal(size=(256, 256)), rng.normal(size=(3, 3))

    def best(f):
        times = []
        for _ in range(3):
            start = time.perf_counter()
            f()
            times.append(time.perf_counter() - start)
        return min(times)

    fast, slow = best(lambda: conv2d(image, kernel)), best(lambda: conv2d_loop(image, kernel))
    print(f"05_conv_kernels: 3x3 conv2d on 256x256: vectorised {1000 * fast:.2f} ms, loop {1000 * slow:.0f} ms, "
          f"ratio {slow / fast:.0f}x")


def bench_notebooks():
    import nbformat
    from nbclient import NotebookClient

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        start = time.perf_counter()
        resources = {"metadata": {"path": str(path.parent)}}
        NotebookClient(nb, timeout=300, kernel_name="python3", resources=resources).execute()
        print(f"{path.name}: executed top to bottom in {time.perf_counter() - start:.1f} s (kernel start included)")


#: A minute of a student's slider moves: 100 moves, one in five of another control (a new strip, drawn whole).
HUB_MOVES, OTHER_EVERY = 100, 5
HUB_PROBE = """
import json, resource, time
import numpy as np
from coursekit.explorer import Explorer
_e = [v for v in list(globals().values()) if isinstance(v, Explorer)][-1]
_peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # MB
_after_run, _rng, _cpu = _peak(), np.random.default_rng(0), {{"main": [], "other": []}}
_main, *_others = list(_e.controls)
for _k in range({moves}):
    _name = _others[_k // {every} % len(_others)] if _others and _k % {every} == {every} - 1 else _main
    _value = _e.random_value(_name, _rng)
    while _value == _e.controls[_name].value:
        _value = _e.random_value(_name, _rng)
    _start = time.process_time()
    _e.controls[_name].value = _value
    _e.fill_strip()  # what the kernel's event loop does after another control's move
    _cpu["main" if _name == _main else "other"].append(time.process_time() - _start)
print(json.dumps({{"after_run": _after_run, "after_moves": _peak(), "cpu": _cpu}}))
"""


def bench_hub():
    import json

    import nbformat
    from nbclient import NotebookClient

    print(f"One student (hub sizing): a kernel per notebook, Run All, then a minute of slider moves ({HUB_MOVES} "
          f"moves, one in {OTHER_EVERY} of another control)")
    peaks = []
    for path in sorted((ROOT / "student").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(HUB_PROBE.format(moves=HUB_MOVES, every=OTHER_EVERY)))
        client = NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        client.execute()
        found = json.loads(nb.cells[-1].outputs[-1]["text"])
        main, other = (np.array(found["cpu"][kind]) for kind in ("main", "other"))
        minute = main.sum() + other.sum()
        peaks.append(found["after_moves"])
        print(f"    {path.stem}: kernel {found['after_run']:.0f} MB after Run All, {found['after_moves']:.0f} MB after "
              f"the moves; CPU per move: main slider median {1000 * np.median(main):.1f} ms, another control "
              f"(its strip redrawn whole) median {1000 * np.median(other):.0f} ms, max {1000 * other.max():.0f} ms; "
              f"{minute:.1f} CPU-s in the minute: {60 / minute:.1f} students dragging at once per core")
    print(f"    memory: {max(peaks):.0f} MB for the largest kernel, about {1024 // max(peaks):.0f} students per GB "
          "with one notebook open each (each student's Jupyter server adds its own)")


def main():
    print(f"numpy {np.__version__}, matplotlib {matplotlib.__version__}")
    for entry in h.EXPLORERS:
        bench_explorer(entry)
    bench_training()
    bench_conv()
    bench_notebooks()
    bench_hub()


if __name__ == "__main__":
    main()
