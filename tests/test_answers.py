"""The checker of number answers and the graded calls (coursekit.exercises), to the word and to the
tolerance: what a student reads, and which answers pass."""

import numpy as np
import pytest

import helpers as h
from coursekit.exercises import CheckFailed


def verdict(answer, expected, **options):
    """What check_answer says: ("correct", None) or ("wrong", its message)."""
    try:
        h.check_answer("n", answer, expected, **options)
    except CheckFailed as error:
        return "wrong", str(error)
    return "correct", None


@pytest.mark.parametrize("answer,expected,options", [
    (1000.9, 1000, {}),  # a relative tolerance of 1e-3: 0.09 % off at 1000
    (0.0010009, 0.001, {}),
    (0.5, 0.5, {"rtol": 0}),
    (1e-13, 0.0, {"rtol": 0}),  # an absolute floor of 1e-12 around 0
    (np.float32(0.25), 0.25, {"rtol": 0}),
    (np.int64(17), 17, {"rtol": 0}),
    ([[1.0, 2.0]], np.array([[1.0, 2.0005]]), {}),
    ((6, 7), (6, 7), {}),
    (np.array([6, 7]), (6, 7), {}),
    (np.array(["W0", "b2"]), {"b2", "W0"}, {}),
    ("bias", "bias", {}),
    (np.str_("bias"), "bias", {}),
    (np.array("bias"), "bias", {}),  # a 0-d array compares to a NumPy bool
    (np.array([5e-13]), np.array([0.0]), {}),
])
def test_right_answers_pass(answer, expected, options, capsys):
    assert verdict(answer, expected, **options) == ("correct", None)
    assert capsys.readouterr().out == "n: correct.\n"


@pytest.mark.parametrize("answer,expected,options,message", [
    (1001.1, 1000, {}, "n: 1001.1 is not right. (Checked to a relative tolerance of 0.001.)"),
    (0.0011, 0.001, {}, "n: 0.0011 is not right. (Checked to a relative tolerance of 0.001.)"),
    (18, 17, {"rtol": 0}, "n: 18 is not right."),
    (2.0, 2.0004, {"rtol": 1e-4}, "n: 2 is not right. (Checked to a relative tolerance of 0.0001.)"),
    (1e-11, 0.0, {"rtol": 0}, "n: 1e-11 is not right."),
    ("17", 17, {}, "n: '17' is not right. (a str where a number was asked)"),
    (True, 1, {}, "n: True is not right. (a bool where a number was asked)"),
    (3.0, np.array([3.0]), {}, "n: 3 is not right. (a float where a NumPy array (or nested list) was asked)"),
    ([1.0, 2.0], np.array([[1.0, 2.0]]), {}, "n: [1.0, 2.0] is not right. (a list where a NumPy array of shape (1, 2) "
                                              "was asked)"),
    (np.ones(3), np.ones((3, 1)), {}, "n: an array of shape (3,) is not right. (a NumPy array where a NumPy array of "
                                      "shape (3, 1) was asked)"),
    (["a", "b"], np.ones(2), {}, "n: ['a', 'b'] is not right. (a list where a NumPy array of real numbers was asked)"),
    ([[1.0], [1.0, 2.0]], np.ones(2), {}, "n: [[1.0], [1.0, 2.0]] is not right. (a list where a NumPy array (or "
                                          "nested list) was asked)"),
    ([1.0, 2.1], np.array([1.0, 2.0]), {}, "n: [1.0, 2.1] is not right. (Checked to a relative tolerance of 0.001.)"),
    ((7, 6), (6, 7), {"hint": "rows first"}, "n: (7, 6) is not right. rows first"),
    ([6, 7], (6, 7), {}, "n: [6, 7] is not right. (a list where a tuple was asked)"),
    ({"W0"}, {"W0", "b2"}, {}, "n: {'W0'} is not right."),
    (np.array([6, 8]), (6, 7), {}, "n: an array of shape (2,) is not right."),
    ("stride", "bias", {"hint": "Which is learned?"}, "n: 'stride' is not right. Which is learned?"),
    (np.array(["bias"]), "bias", {}, "n: an array of shape (1,) is not right. (a NumPy array where a str was asked)"),
    (np.array([1e-10]), np.array([0.0]), {}, "n: an array of shape (1,) is not right."),  # 1e-12 absolute, not 1e-8
])
def test_wrong_answers_fail_with_words(answer, expected, options, message):
    assert verdict(answer, expected, **options) == ("wrong", message)


def test_a_sealed_expected_value_is_opened():
    from coursekit.sealing import seal

    assert verdict(0.0417, h.sealed(seal(2 / 48))) == ("correct", None)
    assert verdict(0.05, h.sealed(seal(2 / 48)))[0] == "wrong"


def test_an_unanswered_number_says_so_and_counts_as_missing_only_when_graded(monkeypatch, capsys):
    assert h.check_answer("n", ..., 3) is None
    assert capsys.readouterr().out == "n: not implemented yet (replace the ... above by your answer and re-run).\n"
    assert h.answered("n", ...) is False
    assert h.answered("n", 3) is True
    out = capsys.readouterr().out
    assert out.endswith("n: answered (an int); it is checked when your work is graded.\n")
    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    with pytest.raises(CheckFailed, match=r"^n: not implemented yet\.$"):
        h.check_answer("n", ..., 3)
    monkeypatch.setenv("NBGRADER_EXECUTION", "")  # set but empty: not grading
    assert h.answered("n", ...) is False


def test_slips_of_a_number_are_each_rejected_and_listed(capsys):
    h.check_answer("n", 17, 17, rtol=0, slips={"the output layer counted": 18, "the loss forgotten": 14})
    assert capsys.readouterr().out == (
        "n: correct.\n  Its declared slips, each rejected: the output layer counted (18); the loss forgotten (14)\n")
    with pytest.raises(CheckFailed) as error:
        h.check_answer("n", 17, 17, rtol=0, slips={"fine": 18, "the same": 17.0})
    assert str(error.value) == "n: the slip 'the same' (17) is not rejected"
    with pytest.raises(ValueError, match=r"^slips must map what each slip is to its wrong answer, got \[18\]$"):
        h.check_answer("n", 17, 17, slips=[18])
    with pytest.raises(ValueError, match="^rtol"):
        h.check_answer("n", 17, 17, rtol=-1)


def test_a_check_of_functions_says_its_verdict_in_one_line(capsys):
    def cases(rng):
        return (rng.normal(size=2),)

    h.check_function("sq", lambda x: x * x, cases=cases, expected=lambda x: x**2, n=3)
    h.check_function("sq", lambda x: x * x, cases=[(np.ones(2),)], expected=lambda x: x**2, rtol=0, atol=0)
    assert capsys.readouterr().out == ("sq: correct on 3 random cases (tolerance rtol=1e-05, atol=1e-07).\n"
                                       "sq: correct on 1 cases (exactly).\n")
    with pytest.raises(CheckFailed) as error:
        h.check_function("sq", lambda x: x, cases=[(np.full(2, 2.0),)], expected=lambda x: x**2, hint="square it")
    assert str(error.value) == ("sq: case 1 of 1 (x [2, 2]): the result is off by up to 2 at index (0,): "
                                "expected 4, got 2. Hint: square it.")
    h.check_slips({"the identity": lambda x: x})
    assert capsys.readouterr().out == (
        "sq: its declared slips, each rejected (what a student who makes one reads):\n"
        "  - the identity: case 1 of 1 (x [2, 2]): the result is off by up to 2 at index (0,): expected 4, got 2\n")


def test_a_homework_says_which_version_the_cells_below_use(capsys):
    def case(rng):
        return rng.normal(size=2), rng.normal(size=2), lambda v: 3 * v, 0.1, 0.5

    def blank(x, x_prev, grad, eta, beta):
        # YOUR CODE HERE
        pass

    h.check_function("Homework: gd", blank, cases=case, reference="gd_step")
    assert capsys.readouterr().out == (
        "Homework: gd: not implemented yet, so the cells below use the course's gd_step (write yours above in place "
        "of the line # YOUR CODE HERE, then re-run it and this cell).\n")
    h.check_function("Homework: gd", lambda x, x_prev, grad, eta, beta: None, cases=case, reference="gd_step")
    said = capsys.readouterr().out
    assert said.endswith(": the result is None: a missing return?\n"
                         "The cells below use the course's gd_step until yours passes.\n"), said
    with pytest.raises(CheckFailed) as error:
        h.passed("Homework: gd")
    assert str(error.value) == "Homework: gd: not right, so no points (the check above says why)."


def test_a_check_re_run_alone_does_not_pass_the_course_s_own_version(capsys):
    def case(rng):
        return rng.normal(size=2), rng.normal(size=2), lambda v: 3 * v, 0.1, 0.5

    def blank(x, x_prev, grad, eta, beta):
        # YOUR CODE HERE
        pass

    course = h.check_function("Homework: gd", blank, cases=case, reference="gd_step")
    capsys.readouterr()
    assert h.check_function("Homework: gd", course, cases=case, reference="gd_step") is course
    assert capsys.readouterr().out == (
        "Homework: gd: gd_step is the course's own now (this check fell back to it), not yours: re-run the cell "
        "that defines yours, then this one.\n")
    with pytest.raises(CheckFailed) as error:
        h.passed("Homework: gd")
    assert str(error.value) == "Homework: gd: not implemented yet, so no points (the check above says why)."


def test_slips_need_a_check_above_them(monkeypatch):
    from coursekit import exercises

    monkeypatch.setattr(exercises, "_last_check", {})
    with pytest.raises(ValueError) as error:
        h.check_slips({"a": len})
    assert str(error.value) == "slips must follow a check_function: there is none to feed them to"


def test_a_function_whose_source_is_unknown_has_no_loop():
    from coursekit.exercises import _has_loop

    made = {}
    exec("def square(x):\n    return [v * v for v in x]", made)  # no file: inspect cannot read its source
    assert _has_loop(made["square"]) is False and _has_loop(len) is False
    h.check_function("sq", made["square"], cases=[([1.0, 2.0],)], expected=lambda x: [1.0, 4.0], loops=False)


def test_graded_the_slips_are_skipped(monkeypatch, capsys):
    """Slips check the check, not the student: a grader's run skips them, so the feedback shows none."""
    h.check_function("sq", lambda x: x * x, cases=[(np.ones(2),)], expected=lambda x: x**2)
    capsys.readouterr()
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    h.check_slips({"right after all": lambda x: x * x})
    h.check_answer("n", 17, 17, rtol=0, slips={"the same": 17})
    assert capsys.readouterr().out == "n: correct.\n"


def test_a_blank_is_the_stub_line_kept_by_a_function_that_does_not_pass(capsys):
    from coursekit.exercises import STUB, _blank

    def blank(x):
        # YOUR CODE HERE
        return x  # given code after the blank (notebook 01's course_graph returns its graph)

    def answered_below_the_line(x):
        # YOUR CODE HERE
        return 2 * x  # a student who writes under the blank's line, keeping it, has answered

    def answered(x):
        return 2 * x  # YOUR CODE HERE, written after the line: not the blank's line

    def tried_below_the_line(x):
        # YOUR CODE HERE
        y = 3 * x
        return y

    def just_the_line(x):
        # YOUR CODE HERE
        # (a comment of the student's is not an answer)
        ...

    assert STUB == "# YOUR CODE HERE" and _blank(blank) and _blank(just_the_line)
    assert not any(_blank(f) for f in (answered, answered_below_the_line, tried_below_the_line, len, 3))
    for f, said in ((blank, "double: not implemented yet (write the function above in place of its line "
                             "# YOUR CODE HERE, then re-run it and this cell).\n"),
                    (answered_below_the_line, "double: correct on 1 cases (exactly).\n")):
        h.check_function("double", f, cases=[(1.0,)], expected=lambda x: 2 * x, rtol=0, atol=0)
        assert capsys.readouterr().out == said
    with pytest.raises(CheckFailed, match="is off by up to 1"):  # a try under the kept line: its own verdict
        h.check_function("double", tried_below_the_line, cases=[(1.0,)], expected=lambda x: 2 * x)


def test_a_missing_return_is_named_even_when_what_uses_the_result_fails():
    def run(f, x):  # as notebook 01's checks do: the check's own code uses what f returns
        return f(x).sum()

    with pytest.raises(CheckFailed) as error:
        h.check_function("op", lambda x: None, cases=[(np.ones(2),)], run=run, expected=lambda x: 2.0)
    assert str(error.value) == "op: case 1 of 1 (x [1, 1]): your function returned None: a missing return?"
    with pytest.raises(CheckFailed, match=r"your function raised ZeroDivisionError: division by zero\.$"):
        h.check_function("op", lambda x: 1 / 0, cases=[(np.ones(2),)], run=run, expected=lambda x: 2.0)


def test_a_homework_whose_check_never_ran_scores_nothing_in_words():
    with pytest.raises(CheckFailed) as error:
        h.passed("Homework: never checked")
    assert str(error.value) == ("Homework: never checked: not checked, so no points (did a cell above fail? run them "
                                "in order).")
    with pytest.raises(ValueError, match="^label must be a str, got 3$"):
        h.passed(3)


def test_a_case_is_named_by_its_arguments():
    def run(f, *args):  # a run with *args: the case's values, unnamed
        return f(*args)

    with pytest.raises(CheckFailed) as error:
        h.check_function("add", lambda x, y: x - y, cases=[(np.ones(2), 2.0)], expected=lambda x, y: x + y)
    assert str(error.value).startswith("add: case 1 of 1 (x [1, 1], y 2): ")
    with pytest.raises(CheckFailed) as error:
        h.check_function("add", lambda x, y: x - y, cases=[(np.ones(2), 2.0)], expected=lambda x, y: x + y, run=run)
    assert str(error.value).startswith("add: case 1 of 1 ([1, 1], 2): ")
    with pytest.raises(CheckFailed) as error:  # a run's first parameter is the function: the rest name the case
        h.check_function("add", lambda x, y: x - y, cases=[(np.ones(2), 2.0)], expected=lambda a, b: a + b,
                         run=lambda f, a, b: f(a, b))
    assert str(error.value).startswith("add: case 1 of 1 (a [1, 1], b 2): ")


def test_parts_of_a_result_are_named_as_the_check_names_them():
    with pytest.raises(CheckFailed, match=r"^pair: case 1 of 1 \(x 1\): the loss J is off by up to 1: "):
        h.check_function("pair", lambda x: (x + 1, x), cases=[(1.0,)], expected=lambda x: (x, x),
                         names={0: "the loss J"})


def test_expected_values_and_later_cases_see_untouched_arguments(capsys):
    def doubled_in_place(x):  # an expected value computed in place must not change the case
        x *= 2
        return x

    h.check_function("twice", lambda x: 2 * x, cases=[(np.ones(2),)], expected=doubled_in_place, rtol=0, atol=0)

    def student_in_place(x):  # nor may a student's in-place function change what the slips get
        x *= 2
        return x

    h.check_function("twice (in place)", student_in_place, cases=[(np.ones(2),)], expected=lambda x: 2 * x)
    with pytest.raises(CheckFailed, match="the slip 'right after all' is not rejected"):
        h.check_slips({"right after all": lambda x: 2 * x})
    assert "twice (in place): correct on 1 cases" in capsys.readouterr().out


def test_a_homework_s_own_expected_value_wins_over_its_reference(capsys):
    def case(rng):
        return rng.normal(size=2), rng.normal(size=2), lambda v: 3 * v, 0.1, 0.5

    def uphill(x, x_prev, grad, eta, beta):
        return x + eta * grad(x)

    assert h.check_function("Homework: up", uphill, cases=case, reference="gd_step", expected=uphill) is uphill
    assert capsys.readouterr().out.endswith("The cells below use yours.\n")


def test_one_case_is_enough_and_a_blank_with_a_loop_is_still_blank(capsys):
    h.check_function("sq", lambda x: x * x, cases=lambda rng: (rng.normal(),), expected=lambda x: x**2, n=1)
    assert capsys.readouterr().out.startswith("sq: correct on 1 random cases")

    def blank_with_given_loop(xs):
        xs = [x for x in xs]  # given code, with a loop
        # YOUR CODE HERE

    h.check_function("sum", blank_with_given_loop, cases=[([1.0],)], expected=lambda xs: 1.0, loops=False)
    assert capsys.readouterr().out.startswith("sum: not implemented yet")


def test_slips_follow_the_last_check_and_its_label(capsys):
    h.check_function("first", lambda x: x, cases=[(1.0,)], expected=lambda x: x)
    h.check_function("second", lambda x: 2 * x, cases=[(1.0,)], expected=lambda x: 2 * x)
    h.check_slips({"the identity": lambda x: x})
    assert capsys.readouterr().out.split("\n")[2] == (
        "second: its declared slips, each rejected (what a student who makes one reads):")


@pytest.mark.parametrize("hint,said", [("Count.", "Hint: Count."), ("Look!", "Hint: Look!"), ("Why?", "Hint: Why?"),
                                       ("count", "Hint: count.")])
def test_a_verdict_ends_with_one_stop(hint, said):
    with pytest.raises(CheckFailed) as error:
        h.check_function("n", lambda: 1.0, cases=[()], expected=lambda: 2.0, hint=hint)
    assert str(error.value).endswith(f"expected 2, got 1. {said}")


def test_numeric_gradient_checks_its_arguments():
    with pytest.raises(ValueError, match=r"^f must be a function, got 3$"):
        h.numeric_gradient(3, np.ones(2))
    x = np.array([1.0, 2.0])
    assert np.allclose(h.numeric_gradient(lambda: float(np.sum(x**2)), x), 2 * x, rtol=1e-8)
