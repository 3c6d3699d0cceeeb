"""Notebook 05's lesson code (its #@save cells, in coursekit.lessons.conv) and the explorer's stripes."""

import numpy as np
import pytest

import helpers as h
from coursekit.conv_explorer import stripes
from coursekit.lessons.conv import conv2d, conv2d_loop, frequency_response


def out_size(n, k, padding, stride):
    return (n + 2 * padding - k) // stride + 1


def random_case(rng):
    c_in, c_out = (int(v) for v in rng.integers(1, 5, size=2))
    kh, kw = (int(v) for v in rng.integers(1, 6, size=2))
    stride, padding = int(rng.integers(1, 4)), int(rng.integers(0, 3))
    H, W = int(rng.integers(max(1, kh - 2 * padding), 15)), int(rng.integers(max(1, kw - 2 * padding), 15))
    return (rng.normal(size=(c_in, H, W)), rng.normal(size=(c_out, c_in, kh, kw)), rng.normal(size=c_out),
            stride, padding)


@pytest.mark.parametrize("seed", range(40))
def test_conv2d_matches_the_loop_version(seed):
    x, w, b, stride, padding = random_case(np.random.default_rng(seed))
    fast, slow = conv2d(x, w, b, stride, padding), conv2d_loop(x, w, b, stride, padding)
    assert fast.shape == slow.shape == (w.shape[0], *(out_size(n, k, padding, stride)
                                                      for n, k in zip(x.shape[1:], w.shape[2:], strict=True)))
    np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-12)


def test_loop_version_is_the_definition():
    rng = np.random.default_rng(5)
    x, w, b = rng.normal(size=(2, 6, 7)), rng.normal(size=(3, 2, 3, 2)), rng.normal(size=3)
    out = conv2d_loop(x, w, b, stride=2, padding=1)
    xp = np.pad(x, ((0, 0), (1, 1), (1, 1)))
    o, i, j = 2, 1, 3
    expected = b[o] + sum(w[o, c, m, n] * xp[c, 2 * i + m, 2 * j + n]
                          for c in range(2) for m in range(3) for n in range(2))
    assert out[o, i, j] == pytest.approx(expected, rel=1e-12)


def test_single_channel_form_and_the_seed_example():
    A = np.tile([1.0, 0, 1, 0, 1], (5, 1))
    k1 = np.array([[-1.0, -1, -1], [2, 2, 2], [-1, -1, -1]])
    assert np.array_equal(conv2d(A, k1), np.zeros((3, 3)))
    assert np.array_equal(conv2d(A, k1.T), np.tile([-6.0, 6, -6], (3, 1)))
    assert np.array_equal(conv2d(A.T, k1), np.tile([[-6.0], [6], [-6]], (1, 3)))
    np.testing.assert_allclose(stripes(5, 2, "axis 1"), A, atol=1e-15)


def test_cross_correlation_not_convolution():
    row = np.arange(6.0)[None]
    w = np.array([[1.0, 2.0, 3.0]])
    np.testing.assert_allclose(conv2d(row, w)[0], np.correlate(row[0], w[0], "valid"))
    assert not np.allclose(conv2d(row, w)[0], np.convolve(row[0], w[0], "valid"))


@pytest.mark.parametrize(
    "n,k,p,s,expected", [(5, 3, 0, 1, 3), (7, 3, 1, 2, 4), (28, 5, 2, 2, 14), (224, 7, 3, 2, 112), (4, 4, 0, 3, 1)]
)
def test_output_size(n, k, p, s, expected):
    assert conv2d(np.zeros((n, n)), np.ones((k, k)), stride=s, padding=p).shape == (expected, expected)


def test_padding_lets_a_big_kernel_fit():
    assert conv2d(np.ones((3, 3)), np.ones((5, 5)), padding=1).shape == (1, 1)


def test_frequency_response_of_line_kernels():
    k2 = h.KERNELS["k2 (second derivative along axis 1)"]
    omegas = np.linspace(0, np.pi, 11)
    np.testing.assert_allclose(np.abs(frequency_response(k2, 0, omegas)), 3 * (2 - 2 * np.cos(omegas)), atol=1e-12)
    np.testing.assert_allclose(np.abs(frequency_response(k2, omegas, 0)), 0, atol=1e-12)  # k2 ignores axis 0


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: stripes(8, 0, "axis 1"), "period"),
        (lambda: stripes(8, 2, "sideways"), "direction"),
        (lambda: stripes(0, 2, "axis 1"), "size"),
    ],
)
def test_bad_input_names_the_argument(call, name):
    with pytest.raises(ValueError, match=rf"^{name}\b"):
        call()


def test_the_loop_reference_on_one_image_and_one_kernel_by_hand():
    x, w = np.arange(16.0).reshape(4, 4), np.array([[1.0, 0.0], [0.0, -1.0]])
    assert np.array_equal(conv2d_loop(x, w), np.full((3, 3), -5.0))  # x[i, j] - x[i + 1, j + 1], no bias
    rng = np.random.default_rng(3)
    x, w = rng.normal(size=(7, 6)), rng.normal(size=(3, 2))
    for b, stride, padding in ((0.5, 1, 0), (0.0, 2, 0), (0.0, 1, 1), (-1.5, 3, 2)):
        one = conv2d_loop(x, w, b, stride, padding)
        assert one.shape == conv2d_loop(x[None], w[None, None], b, stride, padding)[0].shape
        assert np.allclose(one, conv2d_loop(x[None], w[None, None], np.array([b]), stride, padding)[0])
        assert np.allclose(one, conv2d(x, w, b, stride, padding))


def test_frequency_response_is_the_complex_sum_for_any_kernel():
    kernel = np.array([[1.0, 2.0, 0.0], [-1.0, 0.5, 3.0]])  # no symmetry: the phase's sign shows
    for omega0, omega1 in ((0.3, 1.1), (-2.0, 0.7), (1, 2)):
        direct = sum(kernel[m, n] * np.exp(1j * (omega0 * m + omega1 * n)) for m in range(2) for n in range(3))
        assert np.isclose(frequency_response(kernel, omega0, omega1), direct)


def test_stripes_are_the_cosine_for_any_positive_period_and_phase():
    assert h.stripes(1, 2, "axis 0").tolist() == [[1.0]]  # one pixel: the crest at t = 0
    i, j = np.indices((6, 6))
    for period, phase in ((0.5, 0.0), (3.0, 0.7), (7.5, -1.2)):
        for direction, t in (("axis 0", i), ("axis 1", j), ("diagonal", i + j)):
            expected = 0.5 + 0.5 * np.cos(2 * np.pi * t / period + phase)
            assert np.allclose(h.stripes(6, period, direction, phase), expected)


def test_the_explorer_starts_at_the_period_it_is_given_and_says_what_a_wrong_conv_returned():
    explorer = h.conv_explorer(conv=conv2d, period=5.5, size=10)
    assert explorer.controls["period"].value == 5.5
    with pytest.raises(ValueError) as error:
        h.conv_explorer(conv=lambda image, kernel: image, size=10)
    assert str(error.value) == ("conv must return the valid cross-correlation of a 10x10 image with a 3x3 kernel, "
                                "shape (8, 8), got shape (10, 10)")
