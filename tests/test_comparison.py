"""What a check says when a result differs from the expected one (coursekit.comparison), to the word:
a student reads these sentences, so a changed word is a changed behaviour."""

import functools

import numpy as np
import pytest

from coursekit.comparison import Wrong, compare, describe, kind, show

SAID = [  # (result, expected, what the check says)
    (None, 1.0, "the result is None: a missing return?"),
    ([1], {"a": 1, "b": 2}, "the result is a list where a dict was asked (keys 'a', 'b')"),
    ({"a": 1, "d": 4}, {"a": 1, "b": 2, "c": 3}, "the result has no 'b', 'c' (it has 'a', 'd')"),
    (np.array([0.0, 1.0]), np.array([True, True]), "the result is off by up to 1 at index (0,): expected 1, got 0"),
    ({"a": 1, "b": 3}, {"a": 1, "b": 2}, "the result['b'] is off by up to 1: expected 2, got 3"),
    ([1, 2], (1, 2), "the result is a list where a tuple was asked: return (..., ...)"),
    (np.array([1, 2]), (1, 2), "the result is a NumPy array where a tuple of 2 was asked"),
    ((1, 3), (1, 2), "item 2 of the result is off by up to 1: expected 2, got 3"),
    ((1,), (1, 2), "the result has 1 item where 2 were asked"),
    ((1, 2, 3), (1, 2), "the result has 3 items where 2 were asked"),
    ("stride", "bias", "the result: expected 'bias', got 'stride'"),
    ("a", 1.0, "the result is a str, not numbers"),
    ("2.5", 2.5, "the result is a str, not numbers"),
    (np.array(["2.5"]), np.array([2.5]), "the result is a NumPy array, not numbers"),
    ([[1.0], [2.0, 3.0]], np.ones((2, 2)), "the result is a list, not numbers"),
    ({"a": 1.0}, 1.0, "the result is a dict, not numbers"),
    (np.array([1 + 3j, 2]), np.array([1.0, 2.0]), "the result holds complex numbers where real ones were asked"),
    (2 + 0j, 2.0, "the result holds complex numbers where real ones were asked"),
    (np.ones((2, 3)), np.ones((3, 2)),
     "the result: shape (2, 3) where (3, 2) was asked: a transpose too many or too few"),
    (np.ones(3), 1.0, "the result: an array of shape (3,) where a single number was asked: return a float"),
    (np.ones((3, 1)), np.ones(3),
     "the result: a (3, 1) where (3,) was asked: drop the last axis (.ravel(), or index [..., 0])"),
    (np.ones(3), np.ones((3, 1)),
     "the result: a (3,) where (3, 1) was asked: keep the column shape (reshape(-1, 1) or keepdims=True)"),
    (np.ones(2), np.ones(3), "the result: shape (2,) where (3,) was asked"),
    (np.ones((2, 3, 1)), np.ones((2, 3)),
     "the result: a (2, 3, 1) where (2, 3) was asked: drop the last axis (.ravel(), or index [..., 0])"),
    (np.ones((2, 3)), np.ones((2, 3, 1)),
     "the result: a (2, 3) where (2, 3, 1) was asked: keep the column shape (reshape(-1, 1) or keepdims=True)"),
    (np.ones((2, 1, 3)), np.ones((2, 1)), "the result: shape (2, 1, 3) where (2, 1) was asked"),
    (np.ones((3, 1)), np.ones((2,)), "the result: shape (3, 1) where (2,) was asked"),
    (np.ones((2, 1)), np.ones((2, 1, 3)), "the result: shape (2, 1) where (2, 1, 3) was asked"),
    (np.ones(2), np.ones((3, 1)), "the result: shape (2,) where (3, 1) was asked"),
    (np.ones((1, 1)), np.ones((1, 1, 1)), "the result: a (1, 1) where (1, 1, 1) was asked: keep the column shape "
     "(reshape(-1, 1) or keepdims=True)"),
    (3, None, "the result is an int where nothing (None) was asked"),
    (np.ones((2, 2)), np.ones((2, 2, 2)), "the result: shape (2, 2) where (2, 2, 2) was asked"),
    (np.ones((2, 2, 2)), np.ones((2, 2)), "the result: shape (2, 2, 2) where (2, 2) was asked"),
    (np.array([[1.0, 2.0], [3.0, 5.0]]), np.array([[1.0, 2.0], [3.5, 4.0]]),
     "the result is off by up to 1 at index (1, 1): expected 4, got 5"),
    (2.5, 2.0, "the result is off by up to 0.5: expected 2, got 2.5"),
    (np.array([2.5], dtype=np.float32), np.array([2.0]),
     "the result is off by up to 0.5 at index (0,): expected 2, got 2.5 (the result is float32, about 6 digits: "
     "keep float64)"),
]


@pytest.mark.parametrize("got,expected,message", SAID)
def test_a_difference_is_said_in_words(got, expected, message):
    with pytest.raises(Wrong) as error:
        compare(got, expected, 1e-5, 1e-8, "the result")
    assert str(error.value) == message


def test_close_numbers_are_printed_with_the_digits_that_tell_them_apart():
    for got, expected, said in ((2.002390002, 2.002390001, "expected 2.002390001, got 2.002390002"),
                                (1 + 3e-16, 1.0, "expected 1, got 1.0000000000000002"),
                                (2.1, 2.0, "expected 2, got 2.1"),
                                (2.0, 1.2345674, "expected 1.23457, got 2"),  # 6 digits when they differ at 6
                                (1.23456789112, 1.23456789012, "expected 1.23456789, got 1.234567891")):
        with pytest.raises(Wrong, match=f"{said}$".replace(".", r"\.")):
            compare(got, expected, 0, 0, "x")


def test_parts_are_named_as_the_check_names_them():
    with pytest.raises(Wrong, match=r"^the loss J is off"):
        compare((3.0, 1.0), (2.0, 1.0), 0, 0, "r", names={0: "the loss J"})
    with pytest.raises(Wrong, match=r"^dJ/dW is off"):
        compare({"W": 3.0}, {"W": 2.0}, 0, 0, "r", names={"W": "dJ/dW"})
    with pytest.raises(Wrong, match=r"^item 1 of r\['a'\] is off"):  # nested parts keep their path
        compare({"a": (3.0,)}, {"a": (2.0,)}, 0, 0, "r")


def test_the_tolerance_is_numpy_allclose():
    compare(1.0 + 0.9e-5, 1.0, 1e-5, 0, "x")  # within rtol
    compare(np.array([1e-9]), np.array([0.0]), 0, 1e-8, "x")  # within atol
    compare((1, "a", {"k": [1.0]}), (1.0, "a", {"k": [1.0]}), 0, 0, "x")  # equal parts of every kind
    compare(None, None, 0, 0, "x")
    compare(np.array([True, False]), np.array([1.0, 0.0]), 0, 0, "x")  # a mask of bools is 1s and 0s
    for got, rtol, atol in ((1.0 + 1.1e-5, 1e-5, 0), (2e-8, 0, 1e-8)):
        with pytest.raises(Wrong):
            compare(got, 1.0 if rtol else 0.0, rtol, atol, "x")


def test_values_are_described_in_a_few_characters():
    assert describe(np.array([1.23456, 2.0, -3.0])) == "[1.235, 2, -3]"
    assert describe(np.zeros(4)) == "4" and describe(np.zeros((2, 3))) == "2x3" and describe(np.array(2.5)) == "2.5"
    assert describe({"W0": np.zeros((2, 3)), "b0": np.zeros(2)}) == "(W0 2x3, b0 [0, 0])"
    assert describe(describe) == "describe" and describe(functools.partial(len)) == "a function"
    assert describe(0.123456) == "0.1235" and describe(7) == "7" and describe("a" * 30) == repr("a" * 30)[:24]
    assert show({"b", "a"}) == "{'a', 'b'}" and show(np.zeros((2, 1))) == "an array of shape (2, 1)"
    assert show(0.1234567) == "0.123457" and show((7, 6)) == "(7, 6)"
    assert kind(3) == "an int" and kind(2.0) == "a float" and kind(np.zeros(1)) == "a NumPy array"
    assert kind([]) == "a list" and kind(...) == "an ellipsis" and kind(type("Xylophone", (), {})()) == "a Xylophone"
    assert kind(type("Umbrella", (), {})()) == "an Umbrella" and kind(object()) == "an object"
