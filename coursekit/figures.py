"""Pictures that say what they show: a PNG in an <img> whose alt text describes it, for the explorers' frames,
their static figures and every matplotlib figure a notebook shows (JupyterLab shows a bare PNG output with no
alt text, so a screen reader meets an unnamed image)."""

import base64
import html
import re
import struct

from matplotlib.figure import Figure

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: What :func:`describe` says of a figure with no words of its own.
UNDESCRIBED = "A figure with no title or labels."


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


#: TeX's names in figure labels, as the characters a screen reader says; an unknown name loses its backslash.
_TEX = {"alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "eta": "η",
        "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "pi": "π", "rho": "ρ", "sigma": "σ", "phi": "φ",
        "nabla": "∇", "partial": "∂", "sqrt": "√", "cdot": "·", "times": "×", "infty": "∞", "ell": "ℓ"}
_SUBSCRIPTS = dict(zip("0123456789+-=()aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ", strict=True))


def _subscript(match):
    text = match[1] or match[2]
    if all(c in _SUBSCRIPTS for c in text):
        return "".join(_SUBSCRIPTS[c] for c in text)
    return f"_{text}" if len(text) == 1 else f"_({text})"


def _math(text):
    """Mathtext as characters: TeX names (\\eta as η), x_1 as x₁, a^{2t} as a^(2t), no braces."""
    text = re.sub(r"\\[,;:! ]", " ", text)
    text = re.sub(r"_\\([A-Za-z]+)", r"_{\1}", text)  # lambda_\max: the name is the subscript
    text = re.sub(r"\\([A-Za-z]+)", lambda m: _TEX.get(m[1], m[1]), text)
    text = re.sub(r"_\{([^{}]*)\}|_(\w)", _subscript, text)
    text = re.sub(r"\^\{([^{}]*)\}", lambda m: f"^{m[1]}" if len(m[1]) == 1 else f"^({m[1]})", text)
    return text.replace("{", "").replace("}", "")


def _plain(text):
    """A label as a screen reader should say it: its $...$ parts as characters (:func:`_math`), on one line."""
    parts = text.split("$")
    return " ".join("".join(_math(part) if k % 2 else part for k, part in enumerate(parts)).split())


def _axis(name, label, scale):
    said = f"{name}: {_plain(label)}" if label else ""
    if scale == "log" and "log" not in label:
        said += (", " if said else f"{name}: ") + "log scale"
    return said


def _keys(legend):
    return "key: " + ", ".join(f"“{_plain(t.get_text())}”" for t in legend.get_texts())


def describe(fig, title=True):
    """What a figure's own words say it shows: its title (unless ``title`` is false), then each panel's title,
    axes (and which are on a log scale), legend and colour key."""
    if not isinstance(fig, Figure):
        raise ValueError(f"fig must be a matplotlib Figure, got {fig!r:.80}")
    parts = [_plain(fig.get_suptitle())] if title else []
    for ax in fig.axes:
        if ax.get_label() == "<colorbar>":  # an unlabelled colour key says nothing
            parts.append(f"colour key: {_plain(ax.get_ylabel() or ax.get_xlabel())}" if ax.get_ylabel() or
                         ax.get_xlabel() else "")
            continue
        name = "; ".join(_plain(ax.get_title(loc)) for loc in ("left", "center", "right") if ax.get_title(loc))
        said = [_axis("x", ax.get_xlabel(), ax.get_xscale()), _axis("y", ax.get_ylabel(), ax.get_yscale())]
        if ax.get_legend() is not None:
            said.append(_keys(ax.get_legend()))
        said = [part for part in said if part]
        if name or said:
            parts.append(f"{name or 'a panel'}" + (f" ({'; '.join(said)})" if said else ""))
    parts += [_keys(legend) for legend in fig.legends]
    text = ". ".join(part for part in parts if part)
    return f"Figure: {text}." if text else UNDESCRIBED


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
