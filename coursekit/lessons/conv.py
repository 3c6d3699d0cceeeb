"""Generated from notebooks/05_conv_kernels.ipynb by tools/export_lessons.py.

Edit the notebook's #@save cells, not this file.
"""

import numpy as np


def conv2d_loop(x, w, b=0.0, stride=1, padding=0):
    """The same sum, with plain loops over the output pixels."""
    if w.ndim == 2:
        return conv2d_loop(x[None], w[None, None], b, stride, padding)[0]
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    H, W = (xp.shape[1] - kh) // stride + 1, (xp.shape[2] - kw) // stride + 1
    b = np.broadcast_to(b, (w.shape[0],))
    out = np.empty((w.shape[0], H, W))
    for o in range(w.shape[0]):
        for i in range(H):
            for j in range(W):
                patch = xp[:, i * stride : i * stride + kh, j * stride : j * stride + kw]
                out[o, i, j] = np.sum(patch * w[o]) + b[o]
    return out


def conv2d(x, w, b=0.0, stride=1, padding=0):
    """out[o, i, j] = b[o] + sum_{c,m,n} w[o, c, m, n] xpad[c, i*stride + m, j*stride + n].

    x: (C_in, H, W), w: (C_out, C_in, kh, kw), b: (C_out,); or one (H, W) image and one (kh, kw) kernel.
    """
    if w.ndim == 2:  # one channel, one kernel
        return conv2d(x[None], w[None, None], b, stride, padding)[0]
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (padding, padding), (padding, padding)))
    windows = np.lib.stride_tricks.sliding_window_view(xp, (kh, kw), axis=(1, 2))[:, ::stride, ::stride]
    # windows[c, i, j] is the kh x kw patch under output pixel (i, j): a view, nothing is copied
    return np.tensordot(w, windows, axes=([1, 2, 3], [0, 3, 4])) + np.reshape(b, (-1, 1, 1))


def frequency_response(kernel, omega0, omega1):
    """H(w0, w1) = sum_{m,n} k[m, n] exp(i (w0 m + w1 n)), the factor by which a cross-correlation
    with the kernel scales the wave exp(i (w0 r + w1 c)). Broadcasts over the frequencies."""
    m, n = np.indices(kernel.shape)
    phase = np.multiply.outer(np.asarray(omega0, float), m) + np.multiply.outer(np.asarray(omega1, float), n)
    return np.sum(kernel * np.exp(1j * phase), axis=(-2, -1))
