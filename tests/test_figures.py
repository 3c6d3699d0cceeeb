"""Pictures that say what they show: the <img> with its alt text, a figure's description, inline figures."""

import base64
import io

import matplotlib
import pytest
from IPython.core.formatters import DisplayFormatter
from matplotlib.figure import Figure
from PIL import Image

from coursekit.figures import UNDESCRIBED, describe, img_html, png_size, show_described
from tests.page import IMG

matplotlib.use("Agg")


def png_of(width, height):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_img_is_its_png_at_its_size_with_its_text_escaped():
    png = png_of(30, 20)
    tag = img_html(png, 'a "quoted" <b> & more')
    assert IMG.fullmatch(tag) and png_size(png) == (30, 20)
    assert 'width="30" height="20"' in tag and 'alt="a &quot;quoted&quot; &lt;b&gt; &amp; more"' in tag
    assert base64.b64encode(png).decode() in tag


def test_only_the_bytes_of_a_png_are_taken():
    with pytest.raises(ValueError, match="^png must be the bytes of a PNG image, got bytearray"):
        img_html(bytearray(png_of(2, 2)), "x")  # a PNG, but not bytes
    with pytest.raises(ValueError) as refused:
        img_html(b"GIF89a" + bytes(range(20)), "x")
    assert str(refused.value) == f"png must be the bytes of a PNG image, got {(b'GIF89a' + bytes(range(10)))!r}"


@pytest.mark.parametrize("call, name", [
    (lambda: img_html(b"GIF89a" + bytes(20), "x"), "png"),
    (lambda: img_html(png_of(2, 2)[:12] + b"IEND" + bytes(8), "x"), "png"),
    (lambda: img_html(png_of(2, 2), None), "alt"),
    (lambda: describe("a figure"), "fig"),
])
def test_bad_arguments_are_named(call, name):
    with pytest.raises(ValueError, match=f"^{name} must be"):
        call()


def test_a_figure_is_described_by_its_own_words():
    fig = Figure()
    fig.suptitle("Two runs\n$\\eta$ = 0.01")
    left, right, bare = fig.subplots(1, 3)
    left.plot([1, 2], label="GD, $\\beta = 0$")
    left.plot([2, 1], label="$L_0\\,r^{2t}$")
    left.set(title="the loss", xlabel="step $t$", ylabel="loss $L(x_{t})$", yscale="log")
    left.legend()
    right.set_title("the path", loc="left")
    right.set(xlabel="$x_1$", xscale="log", ylabel="log10 of $\\lambda_{max}$", yscale="log")
    image = bare.imshow([[1, 2]])
    fig.colorbar(image, ax=bare, label="steps")
    fig.colorbar(image, ax=bare)  # unlabelled: says nothing
    fig.legend(["one", "two"])
    assert describe(fig) == (
        "Figure: Two runs η = 0.01. the loss (x: step t; y: loss L(xₜ), log scale; key: “GD, β = 0”, “L₀ r^(2t)”). "
        "the path (x: x₁, log scale; y: log10 of λₘₐₓ). colour key: steps. key: “one”, “two”.")
    assert describe(fig, title=False).startswith("Figure: the loss (x: step t;")
    assert describe(Figure()) == UNDESCRIBED == "A figure with no title or labels."
    fig = Figure()
    fig.subplots().set(xscale="log", ylabel="y")
    assert describe(fig) == "Figure: a panel (x: log scale; y: y)."


@pytest.mark.parametrize("tex, plain", [
    ("$x_{ij}$, $x_{(p)}$, $a_b$", "xᵢⱼ, x₍ₚ₎, a_b"), ("$10^{-16}/\\varepsilon$", "10^(-16)/ε"),
    ("$\\sqrt{\\beta}^t$ and $\\mathrm{d}$", "√β^t and mathrmd"), ("$x_{yz}$", "x_(yz)"), ("$\\lambda_\\max$", "λₘₐₓ"),
    ("λ_max, not maths; $x_1$", "λ_max, not maths; x₁"), ("$x$ and y_1", "x and y_1"),
    ("$\\Delta x_\\Max$, $a^{2}$", "Delta x_(Max), a^2"),
])
def test_mathtext_is_read_as_characters(tex, plain):
    fig = Figure()
    fig.suptitle(tex)
    assert describe(fig) == f"Figure: {plain}."


def test_every_panel_is_described_wherever_its_colour_key_sits():
    fig = Figure()
    first = fig.add_subplot(1, 2, 1)
    fig.colorbar(first.imshow([[1, 2]]), ax=first, label="value")  # the colour key's axes come before the next panel
    second = fig.add_subplot(1, 2, 2)
    second.set_title("left", loc="left")
    second.set_title("centre")
    assert describe(fig) == "Figure: colour key: value. left; centre."


def printed_png(fig):
    """As the inline backend does: the figure's PNG (here, a blank one as wide as the figure in inches x 10)."""
    return png_of(round(10 * fig.get_figwidth()), 10)


def shell_with_inline_png():
    formatter = DisplayFormatter()
    formatter.formatters["image/png"].for_type(Figure, printed_png)
    return type("Shell", (), {"display_formatter": formatter})()


def test_inline_figures_show_as_described_images():
    shell, fig = shell_with_inline_png(), Figure(figsize=(4, 3))
    fig.suptitle("a title")
    show_described(shell)
    data, _ = shell.display_formatter.format(fig)
    assert set(data) == {"text/html", "text/plain"}
    assert data["text/plain"] == "Figure: a title."
    assert data["text/html"] == img_html(png_of(40, 10), "Figure: a title.")


def test_a_base64_printer_is_decoded():
    shell = shell_with_inline_png()
    as_base64 = lambda fig: base64.b64encode(png_of(5, 6)).decode()  # noqa: E731 - IPython 8's inline printer
    shell.display_formatter.formatters["image/png"].for_type(Figure, as_base64)
    show_described(shell)
    assert 'width="5" height="6"' in shell.display_formatter.format(Figure())[0]["text/html"]


def test_no_inline_figures_no_change():
    formatter = DisplayFormatter()
    formatter.formatters["image/png"].pop(Figure, None)
    show_described(type("Shell", (), {"display_formatter": formatter})())
    assert set(formatter.format(Figure())[0]) == {"text/plain"}
