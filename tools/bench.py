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


def main():
    print(f"numpy {np.__version__}, matplotlib {matplotlib.__version__}")
    for entry in h.EXPLORERS:
        bench_explorer(entry)
    bench_training()
    bench_conv()
    bench_notebooks()


if __name__ == "__main__":
    main()
