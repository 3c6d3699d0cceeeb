"""What the page shows of an explorer, decoded from its widgets as the browser composes them: the backdrop
with the main slider's frame (the strip's widget at the slider's index) over it."""

import base64
import html
import io
import re

import numpy as np
from PIL import Image

IMG = re.compile(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" width="(\d+)" height="(\d+)" '
                 r'style="max-width: 100%; height: auto" decoding="sync" alt="([^"]*)">')


def decoded(png, mode="RGB"):
    return np.asarray(Image.open(io.BytesIO(png)).convert(mode))


def img(value):
    """(PNG bytes, width, height, alt text) of an HTML widget's one <img>."""
    match = IMG.fullmatch(value)
    assert match, f"not one <img>: {value[:80]!r}"
    return base64.b64decode(match[1]), int(match[2]), int(match[3]), html.unescape(match[4])


def frame_over(backdrop_png, frame_png):
    """The frame's opaque pixels over the backdrop (its other pixels are wholly transparent)."""
    picture, frame = decoded(backdrop_png).copy(), decoded(frame_png, "RGBA")
    assert set(np.unique(frame[..., 3])) <= {0, 255}, "a frame's pixels are opaque or wholly transparent"
    opaque = frame[..., 3] == 255
    picture[opaque] = frame[opaque][:, :3]
    return picture


def shown(explorer):
    """(RGB pixels, width, height, alt text) of what the page shows at the main slider's position, or None
    while that position's frame is not made (the backdrop alone shows)."""
    backdrop, width, height, alt = img(explorer.backdrop.value)
    assert alt == "", "the backdrop is decoration: the frames' alt texts describe the picture"
    value = explorer.strip.children[explorer.controls[explorer.main].index].value
    if not value:
        return None
    frame, frame_width, frame_height, alt = img(value)
    assert (frame_width, frame_height) == (width, height)
    return frame_over(backdrop, frame), width, height, alt
