"""The explorer of notebook 05: stripes of any period and direction through a 3x3 kernel."""

import ipywidgets as widgets
import numpy as np

from coursekit.checks import choice, integer, number
from coursekit.explorer import Explorer, main_slider, new_figure
from coursekit.lessons.conv import frequency_response


def stripes(size, period, direction, phase=0.0):
    """A size x size image of stripes 0.5 + 0.5 cos(2 pi t / period + phase).

    t is the row index (direction "axis 0": the image changes down the rows,
    so the stripes lie horizontally), the column index ("axis 1": vertical
    stripes), or row + column ("diagonal").
    """
    size = integer("size", size, low=1)
    period = number("period", period, low=0, low_open=True)
    choice("direction", direction, STRIPE_DIRECTIONS)
    i, j = np.indices((size, size))
    t = {"axis 0": i, "axis 1": j, "diagonal": i + j}[direction]
    return 0.5 + 0.5 * np.cos(2 * np.pi * t / period + phase)


STRIPE_DIRECTIONS = ("axis 0", "axis 1", "diagonal")

#: The worked solution's kernels, and two edge detectors (Sobel) for comparison.
KERNELS = {
    "k1 (second derivative along axis 0)": np.array([[-1.0, -1, -1], [2, 2, 2], [-1, -1, -1]]),
    "k2 (second derivative along axis 1)": np.array([[-1.0, 2, -1], [-1, 2, -1], [-1, 2, -1]]),
    "Sobel (first derivative along axis 1)": np.array([[-1.0, 0, 1], [-2, 0, 2], [-1, 0, 1]]),
    "Sobel (first derivative along axis 0)": np.array([[-1.0, -2, -1], [0, 0, 0], [1, 2, 1]]),
}


class ConvExplorer(Explorer):
    """Input stripes, kernel, valid output, and the response amplitude on the frequency-response curve,
    against the stripes' period."""

    #: The period slider's positions: 2 to 12 pixels, every quarter pixel.
    PERIODS = [2 + 0.25 * k for k in range(41)]

    def __init__(self, conv, size, period, direction, kernel):
        from matplotlib.colors import TwoSlopeNorm

        self.conv, self.size = conv, size
        controls = {
            "period": main_slider(self.PERIODS, period, "period"),
            "direction": widgets.Dropdown(options=list(STRIPE_DIRECTIONS), value=direction,
                                          description="stripes vary"),
            "kernel": widgets.Dropdown(options=list(KERNELS), value=kernel, description="kernel",
                                       layout={"width": "380px"}),
        }
        fig = new_figure((9.2, 3.6), dpi=96)
        ax_in, ax_k, ax_out, ax_resp = self.axes = fig.subplots(1, 4, width_ratios=[1, 0.75, 1, 1.35])
        self.input_image = ax_in.imshow(np.zeros((size, size)), cmap="viridis", vmin=0, vmax=1)
        ax_in.set_title(f"input: stripes, {size}×{size}", fontsize=10)
        self.kernel_image = ax_k.imshow(np.zeros((3, 3)), cmap="RdBu_r", norm=TwoSlopeNorm(0, -2, 2))
        self.kernel_text = [ax_k.text(n, m, "", ha="center", va="center", fontsize=10)
                            for m in range(3) for n in range(3)]
        ax_k.set_title("kernel\n(weights written)", fontsize=10)  # its numbers are its colour key
        self.output_image = ax_out.imshow(np.zeros((size - 2, size - 2)), cmap="RdBu_r", norm=TwoSlopeNorm(0, -8, 8))
        ax_out.set_title(f"output (valid), {size - 2}×{size - 2}", fontsize=10)
        for image, ticks in ((self.input_image, [0, 0.5, 1]), (self.output_image, [-8, -4, 0, 4, 8])):  # colour keys
            fig.colorbar(image, ax=image.axes, shrink=0.75, pad=0.03, ticks=ticks).ax.tick_params(labelsize=8)
        for ax in (ax_in, ax_k, ax_out):
            ax.tick_params(labelsize=8, length=2, pad=1)
            ax.set_xlabel("column (axis 1) →", fontsize=9)
            ax.set_ylabel("← row (axis 0)", fontsize=9)
        ax_k.set(xticks=range(3), yticks=range(3))
        # The response against the stripes' period, over the slider's range: ω = 2π / period.
        low, high = self.PERIODS[0], self.PERIODS[-1]
        self.periods = np.linspace(low, high, 200)
        (self.curve,) = ax_resp.plot([], [], color="C0", label="predicted ½|H|")
        (self.point,) = ax_resp.plot([], [], "o", color="#D55E00", label="measured max |output|",
                                     clip_on=False, zorder=3)  # whole at the range's ends, over the frame
        ax_resp.set(xlabel="stripe period (pixels)", ylabel="response amplitude",
                    xlim=(low, high), ylim=(-0.3, 8.5))  # a zero response stays visible above the frame
        ax_resp.legend(loc="upper right", fontsize=9)
        self.title = fig.suptitle(" \n ", fontsize=10)  # the layout keeps room for two lines
        super().__init__(controls, fig)

    def compute(self, period, direction, kernel):
        image = stripes(self.size, period, direction)
        k = KERNELS[kernel]
        out = np.asarray(self.conv(image, k), dtype=float)
        if out.shape != (self.size - 2, self.size - 2):
            raise ValueError(f"conv must return the valid cross-correlation of a {self.size}x{self.size} image with "
                             f"a 3x3 kernel, shape {(self.size - 2, self.size - 2)}, got shape {out.shape}")
        step = {"axis 0": (1, 0), "axis 1": (0, 1), "diagonal": (1, 1)}[direction]
        omega = 2 * np.pi / period
        predicted = 0.5 * abs(frequency_response(k, omega * step[0], omega * step[1]))
        omegas = 2 * np.pi / self.periods
        curve = 0.5 * np.abs(frequency_response(k, omegas * step[0], omegas * step[1]))
        return {"period": period, "direction": direction, "kernel": kernel, "image": image, "k": k, "out": out,
                "predicted": float(predicted), "measured": float(np.abs(out).max()), "curve": curve}

    def background_key(self, s):
        # The kernel panel and the response curve change only with the kernel and the direction: they are
        # drawn once per pair, into the background, and a move of the period redraws only what it changes.
        return s["kernel"], s["direction"]

    def dynamic_artists(self):
        return [self.input_image, self.output_image, self.point, self.title]

    def draw(self, s):
        self.input_image.set_data(s["image"])
        self.kernel_image.set_data(s["k"])
        for text, value in zip(self.kernel_text, s["k"].ravel(), strict=True):
            text.set_text(f"{value:g}")
            text.set_color("w" if abs(value) > 1.2 else "k")  # readable on the dark ends of the map
        self.output_image.set_data(s["out"])
        self.curve.set_data(self.periods, s["curve"])
        self.point.set_data([s["period"]], [s["measured"]])
        self.title.set_text(self.headline(s))

    @staticmethod
    def headline(s):
        """Two lines: the setting, then what the kernel did."""
        return (f"{s['kernel']} on stripes varying along {s['direction']}, period {s['period']:g}\n"
                f"max |output| {s['measured']:.3f}, predicted ½|H| = {s['predicted']:.3f}")

    def describe(self, s):
        return self.headline(s)
