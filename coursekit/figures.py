"""Pictures that say what they show: a PNG in an <img> whose alt text describes it, for the explorers' frames,
their static figures and every matplotlib figure a notebook shows (JupyterLab shows a bare PNG output with no
alt text, so a screen reader meets an unnamed image)."""

import base64
import html
import re
import struct

from matplotlib.figure import Figure

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(png):
    """(width, height) in pixels, from the PNG's header."""
    if not isinstance(png, bytes) or png[:8] != _PNG_SIGNATURE or png[12:16] != b"IHDR":
        raise ValueError(f"png must be the bytes of a PNG image, got {png[:16]!r}")
    return struct.unpack(">II", png[16:24])


def img_html(png, alt):
    """The PNG as an <img> at its size in CSS pixels (shrunk to fit a narrow page), with ``alt`` as its text.
    decoding="sync": it appears with the rest of the page's paint, never as a blank gap."""
    if not isinstance(alt, str):
        raise ValueError(f"alt must be a str, got {alt!r}")
    width, height = png_size(png)
    return (f'<img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}" width="{width}" '
            f'height="{height}" style="max-width: 100%; height: auto" decoding="sync" alt="{html.escape(alt)}">')


def _plain(text):
    """Mathtext as plain words: no $ or braces, \\, a space, \\eta as eta; one line."""
    text = re.sub(r"\\[,;:! ]", " ", text.replace("$", ""))
    return " ".join(re.sub(r"\\([A-Za-z]+)", r"\1", text).replace("{", "").replace("}", "").split())


def describe(fig):
    """What a figure's own words say it shows: its title, then each panel's title, axis labels and legend."""
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {fig!r:.80}")
    parts = [_plain(fig.get_suptitle())]
    for ax in fig.axes:
        title = "; ".join(_plain(ax.get_title(loc)) for loc in ("left", "center", "right") if ax.get_title(loc))
        axes = [f"{name}: {_plain(label)}" for name, label in (("x", ax.get_xlabel()), ("y", ax.get_ylabel()))
                if label]
        legend = ax.get_legend()
        if legend is not None:
            axes.append("key: " + ", ".join(_plain(t.get_text()) for t in legend.get_texts()))
        if title or axes:
            parts.append(f"{title or 'a panel'}" + (f" ({'; '.join(axes)})" if axes else ""))
    for legend in fig.legends:
        parts.append("key: " + ", ".join(_plain(t.get_text()) for t in legend.get_texts()))
    text = ". ".join(part for part in parts if part)
    return f"Figure: {text}." if text else "A figure with no title or labels."


def show_described(shell):
    """From now on, ``shell`` (IPython) shows each matplotlib figure as an <img> with :func:`describe` as its alt
    text and as its text/plain, in place of the inline backend's bare PNG (whose printer, with its settings,
    draws the picture). Does nothing where figures are not shown inline."""
    formatters = shell.display_formatter.formatters
    try:
        printer = formatters["image/png"].lookup_by_type(Figure)
    except KeyError:
        return

    def as_html(fig):
        png = printer(fig)
        return img_html(base64.b64decode(png) if isinstance(png, str) else png, describe(fig))

    formatters["text/html"].for_type(Figure, as_html)
    formatters["text/plain"].for_type(Figure, lambda fig, p, cycle: p.text(describe(fig)))
    formatters["image/png"].pop(Figure)
