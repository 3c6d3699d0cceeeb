"""Argument validation (coursekit.checks) and sealing (coursekit.sealing), to the word and to the
boundary: what a caller reads is the message, and a bound off by one lets a bad value through."""

import base64
import json

import numpy as np
import pytest

import helpers as h
from coursekit.checks import array, choice, function, integer, is_real, number, on_grid
from coursekit.sealing import Sealed, seal

BAD = [
    (lambda: number("eta", "a"), "eta must be a real number, got 'a'"),
    (lambda: number("eta", True), "eta must be a real number, got True"),
    (lambda: number("eta", float("nan")), "eta must be finite, got nan"),
    (lambda: number("eta", float("-inf")), "eta must be finite, got -inf"),
    (lambda: number("eta", -1, low=0), "eta must be >= 0, got -1.0"),
    (lambda: number("eta", 0, low=0, low_open=True), "eta must be > 0, got 0.0"),
    (lambda: number("eta", 2, high=1), "eta must be <= 1, got 2.0"),
    (lambda: number("eta", 1, high=1, high_open=True), "eta must be < 1, got 1.0"),
    (lambda: integer("n", 1.0), "n must be an integer, got 1.0"),
    (lambda: integer("n", True), "n must be an integer, got True"),
    (lambda: integer("n", 0, low=1, high=3), "n must be an integer in [1, 3], got 0"),
    (lambda: integer("n", 4, low=1, high=3), "n must be an integer in [1, 3], got 4"),
    (lambda: integer("n", 0, low=1), "n must be an integer >= 1, got 0"),
    (lambda: integer("n", 5, high=3), "n must be an integer <= 3, got 5"),
    (lambda: array("x", "ab"), "x must be an array of real numbers, got 'ab'"),
    (lambda: array("x", [[1], [2, 3]]), "x must be an array of real numbers, got [[1], [2, 3]]"),
    (lambda: array("x", [1, 2], ndim=2), "x must have 2 dimension(s), got shape (2,)"),
    (lambda: array("x", [1, 2], shape=[3]), "x must have shape (3,), got (2,)"),
    (lambda: array("x", [1, np.inf]), "x must contain only finite numbers"),
    (lambda: choice("m", "x", ("a", "b")), "m must be one of 'a', 'b', got 'x'"),
    (lambda: function("f", 3), "f must be a function, got 3"),
]


@pytest.mark.parametrize("call,message", BAD)
def test_a_bad_argument_is_named_and_said(call, message):
    with pytest.raises(ValueError) as error:
        call()
    assert str(error.value) == message


def test_good_arguments_come_back_clean_at_their_bounds():
    for value in (0, 0.0, np.float32(0), np.int64(0)):
        assert number("eta", value, low=0) == 0.0 and type(number("eta", value, low=0)) is float
    assert number("eta", 1, high=1) == 1.0 and number("eta", 0.5, low=0, high=1, low_open=True, high_open=True) == 0.5
    assert number("eta", -1e308) == -1e308  # no bound: any finite real
    for value, low, high in ((1, 1, 3), (3, 1, 3), (np.int64(2), 1, None), (7, None, 7), (-5, None, None)):
        got = integer("n", value, low=low, high=high)
        assert got == value and type(got) is int
    got = array("x", [[1, 2]], ndim=2, shape=(1, 2))
    assert got.dtype == np.float64 and got.tolist() == [[1.0, 2.0]]
    assert choice("m", "b", ("a", "b")) == "b" and function("f", len) is len


@pytest.mark.parametrize("value,real", [(1, True), (1.5, True), (np.int8(1), True), (np.float32(1), True),
                                        (True, False), (np.bool_(True), False), ("1", False), (1j, False),
                                        (None, False), (np.array(1.0), False)])
def test_is_real(value, real):
    assert is_real(value) is real


@pytest.mark.parametrize("value,kind", [(263, "int"), (np.int64(263), "int"), (0.25, "float"), ("bias", "str"),
                                        ((6, 7), "tuple"), ({"W0", "b2"}, "set"), (np.arange(3), "array")],)
def test_a_token_is_base85_json_of_its_kind_and_plain_data(value, kind):
    token = seal(value)
    opened_kind, data = json.loads(base64.b85decode(token))
    assert opened_kind == kind and token.isascii()
    assert json.dumps(data) == json.dumps(value.tolist() if isinstance(value, np.ndarray) else sorted(value)
                                          if isinstance(value, set) else list(value) if isinstance(value, tuple)
                                          else int(value) if kind == "int" else value)


def test_a_token_rounds_to_12_digits_and_keeps_nested_tuples():
    assert seal(0.1 + 0.2) == seal(0.3) and seal(1 / 3) != seal(0.3333333333)
    assert Sealed(seal(1 / 3)).open() == 0.333333333333
    assert seal({"b", "a"}) == seal({"a", "b"})  # sorted: the same token in any hash order
    assert Sealed(seal({1, "a", (2, "b")})).open() == {1, "a", (2, "b")}  # items of any kinds sort (by repr)
    assert Sealed(seal(((1, 2), (3, 4)))).open() == ((1, 2), (3, 4))
    assert Sealed(seal({("gd", 0.02), ("nesterov", 0.01)})).open() == {("gd", 0.02), ("nesterov", 0.01)}
    opened = Sealed(seal(np.array([[1.5, 2.0]]))).open()
    assert isinstance(opened, np.ndarray) and opened.tolist() == [[1.5, 2.0]]
    assert repr(Sealed(seal(3))) == "Sealed(...)"


@pytest.mark.parametrize("value,message", [
    (True, "value must be a number, a name, a tuple or set of them, or a real array, got bool"),
    (np.array([True]), "value must be a number, a name, a tuple or set of them, or a real array, got ndarray"),
    (None, "value must be a number, a name, a tuple or set of them, or a real array, got NoneType"),
    ((1, None), "value must hold numbers or names only, got a NoneType"),
    ({(1, 2j)}, "value must hold numbers or names only, got a complex"),
    (float("nan"), "value must survive sealing, got nan"),
])
def test_sealing_says_what_it_cannot_seal(value, message):
    with pytest.raises(ValueError) as error:
        seal(value)
    assert str(error.value) == message


def test_a_token_not_from_seal_is_named():
    with pytest.raises(ValueError, match=r"^token must be a str from seal\(\), got int$"):
        Sealed(3)
    with pytest.raises(ValueError, match=r"^token must come from seal\(\): "):
        Sealed("not base85 {")
    with pytest.raises(ValueError, match=r"^token must come from seal\(\): unknown kind 'complex'$"):
        Sealed(base64.b85encode(json.dumps(["complex", 1]).encode()).decode())


@pytest.mark.parametrize("value", [0.041666666666666664, 263, np.float64(0.92), (7, 6), {"W0", "b2"}, "bias",
                                   {("gd", 0.02), ("nesterov", 0.01)}, np.array([[-6.0, 6.0], [0.0, 1.5]])],)
def test_a_sealed_answer_opens_to_the_same_value(value):
    token = seal(value)
    opened = Sealed(token).open()
    assert type(opened) is type(value.item() if isinstance(value, np.generic) else value)
    if isinstance(value, (set, str, tuple)):
        assert opened == value
    else:
        assert np.allclose(opened, value, rtol=1e-12, atol=0)
    assert str(value) not in token and "W0" not in token  # not readable at a glance
    h.check_answer("sealed", value, Sealed(token))


def test_on_grid_takes_a_slider_position_and_names_the_nearest_otherwise():
    positions = [0.001, 0.0013, 0.0016, 0.002]
    assert on_grid("lr", 0.0013, positions) == 0.0013 and isinstance(on_grid("lr", 2, [1.0, 2.0]), float)
    with pytest.raises(ValueError) as error:
        on_grid("lr", 0.0015, positions)
    assert str(error.value) == ("lr must be one of the slider's positions, 0.001 to 0.002 (the nearest to 0.0015 is "
                                "0.0016), got 0.0015")
    with pytest.raises(ValueError, match="^lr must be a real number, got '0.001'"):
        on_grid("lr", "0.001", positions)
