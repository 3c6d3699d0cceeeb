"""A fast PNG encoder for the explorers' frames."""

import struct
import zlib

import numpy as np
from isal import isal_zlib


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def rgba_png(rgba):
    """Encode an RGBA or RGB buffer of shape (height, width, 4 or 3) as a PNG of the same channels.

    A plain writer: no per-row filter search, and deflate by ISA-L (isal) at level 1, which takes
    0.4 to 0.8 ms on the explorers' frames where zlib's level 1 takes 2.9 to 6.1 ms, for files no
    larger. Matplotlib's RGBA canvas is written as RGBA: each row is then one contiguous copy, where
    dropping the alpha channel would cost a strided copy that takes longer than the compression.
    """
    rgba = np.asarray(rgba)
    if rgba.dtype != np.uint8 or rgba.ndim != 3 or rgba.shape[2] not in (3, 4):
        raise ValueError(f"rgba must be a (height, width, 3 or 4) uint8 array, got {rgba.dtype} {rgba.shape}")
    height, width, channels = rgba.shape
    rows = np.empty((height, 1 + channels * width), dtype=np.uint8)
    rows[:, 0] = 0  # each row: filter type 0, then its pixels
    rows[:, 1:] = rgba.reshape(height, -1)
    colour_type = {3: 2, 4: 6}[channels]  # 8-bit RGB or RGBA
    header = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    idat = isal_zlib.compress(rows, 1)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")
