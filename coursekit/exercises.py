"""Checking the student's work: one checker for functions, one for answers.

An exercise is declared where it is asked, in its notebook. ``check_function`` runs the student's
function on seeded cases (made by the notebook's ``cases``), compares what comes back with the
notebook's ``expected`` (finite differences, a closed form, a plain reference: something that does
not give the answer away), and reports the first failing case with the exercise's hint. A function
that still holds the blank's line ``# YOUR CODE HERE`` (or raises NotImplementedError, nbgrader's
default blank) is "not implemented yet": the check says so, without an error, so that Run All on a
fresh student copy goes through.

A homework (the notebook's own problem) names the course's own version of its function
(``reference``, a name in ``coursekit.lessons``): its check returns the function that the cells
below use, the student's once it passes, the course's until then, and says which in one line; it
never fails. Any other exercise fails with a CheckFailed (an AssertionError that shows its verdict,
not a traceback) on a wrong answer and returns nothing (a cell ending with it shows no stray value).

Graded (nbgrader sets NBGRADER_EXECUTION while it autogrades or validates), an unanswered exercise
fails too: nbgrader scores a test cell by whether it raises. A homework's check still returns the
course's version (so that one wrong homework costs its own points only, not those of the exercises
below that use it); its grade is ``passed(label)``, in the hidden tests below it.

Slips are plausible wrong answers, declared in the solution edition only (in nbgrader's hidden
tests, which make student and nbgrader's release both drop): ``check_slips`` feeds them to the
check above it, each must be rejected, and what the check says to it is printed, so that the saved
solution edition shows what a student who makes that slip reads.
"""

import ast
import copy
import functools
import importlib
import inspect
import itertools
import math
import os
import pkgutil
import re
import textwrap

import numpy as np

from coursekit import lessons
from coursekit.checks import function, integer, is_real, number
from coursekit.comparison import Wrong, compare, describe, kind, show
from coursekit.sealing import Sealed

STUB = "# YOUR CODE HERE"  # what a solution becomes in the student edition (nbgrader's blank, without its raise)
TEXT_STUB = "*Your answer here.*"  # what a written solution becomes


class CheckFailed(AssertionError):
    """A check's verdict: IPython shows the message alone, not the traceback through the checker."""

    def _render_traceback_(self):
        return [f"\x1b[0;31m{type(self).__name__}\x1b[0m: {self}"]


def grading():
    """Whether nbgrader runs the notebook (autograde or validate): then an unanswered exercise fails."""
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def _blank(f):
    """Whether f is still the blank: its own code holds the blank's line, with nothing below it but what a
    blank may hand back (``return graph`` in notebook 01). A student who writes under the line and keeps
    it has answered; and a function that passes its check is right whatever it holds."""
    try:
        lines = [line.strip() for line in inspect.getsource(f).splitlines()]
    except (OSError, TypeError):
        return False
    if STUB not in lines:
        return False
    below = [line for line in lines[len(lines) - lines[::-1].index(STUB):]  # after the last blank's line
             if line and not line.startswith("#") and line not in ("pass", "...")]
    return not below or len(below) == 1 and re.fullmatch(r"return \w+\s*(#.*)?", below[0]) is not None


def _parameters(f):
    """The names of f's parameters, to name a case's arguments; none if it takes *args."""
    try:
        parameters = inspect.signature(f).parameters.values()
    except (TypeError, ValueError):
        return []
    return [] if any(p.kind == p.VAR_POSITIONAL for p in parameters) else [p.name for p in parameters]


def _has_loop(f):
    """Whether f's own code has a Python loop (for, while, a comprehension); False when its source is unknown."""
    try:
        tree = ast.parse(textwrap.dedent(inspect.getsource(f)))
    except (OSError, TypeError, SyntaxError):
        return False
    loops = (ast.For, ast.While, ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)
    return any(isinstance(node, loops) for node in ast.walk(tree))


def course_version(name):
    """The course's own version of a lesson function: the one of that name in coursekit.lessons."""
    if not isinstance(name, str):
        raise ValueError(f"reference must name a function of the course's library (coursekit.lessons), got {name!r}")
    for info in pkgutil.iter_modules(lessons.__path__):
        module = importlib.import_module(f"coursekit.lessons.{info.name}")
        if callable(getattr(module, name, None)):
            return getattr(module, name)
    raise ValueError(f"reference must name a function of the course's library (coursekit.lessons), got {name!r}")


class _Cases:
    """The cases of one check, with their expected results, computed once."""

    def __init__(self, cases, expected, run, seed, n, parameters):
        rng = np.random.default_rng(seed)
        self.args = [tuple(c) for c in cases] if isinstance(cases, (list, tuple)) else [
            tuple(cases(rng)) for _ in range(n)]
        self.run, self.random = run, not isinstance(cases, (list, tuple))
        self.words = [", ".join(f"{p} {describe(a)}" if p else describe(a) for p, a in
                                itertools.zip_longest(parameters[:len(args)], args)) for args in self.args]
        self.wanted = [expected(*copy.deepcopy(args)) for args in self.args]

    def verdict(self, f, rtol, atol, names):
        """("right" | "missing" | "wrong", what went wrong)."""
        status, message = self._run(f, rtol, atol, names)
        return ("missing", None) if status == "wrong" and _blank(f) else (status, message)

    def _run(self, f, rtol, atol, names):
        returned_none = []

        @functools.wraps(f)
        def watched(*args, **kwargs):  # f, noting a None it returns (a check's run may call it inside)
            result = f(*args, **kwargs)
            if result is None:
                returned_none.append(True)
            return result

        for k, (args, want) in enumerate(zip(self.args, self.wanted, strict=True)):
            where = f"case {k + 1} of {len(self.args)} ({self.words[k]})"
            try:
                got = self.run(watched, *copy.deepcopy(args))  # a function that changes its arguments changes a copy
                compare(got, want, rtol, atol, "the result", names)
            except NotImplementedError:
                return "missing", None
            except Wrong as wrong:
                return "wrong", f"{where}: {wrong}"
            except Exception as error:  # the function failed, or what used its result: say where
                if returned_none:
                    return "wrong", f"{where}: your function returned None: a missing return?"
                return "wrong", f"{where}: your function raised {type(error).__name__}: {error}"
        return "right", None


_last_check = {}  # the label and the judge of the last check_function, for check_slips


def check_slips(slips):
    """Feed the check above its slips (plausible wrong answers: words -> wrong function); each must be
    rejected. Prints what the check says to each: what a student who makes that slip reads."""
    if not _last_check:
        raise ValueError("slips must follow a check_function: there is none to feed them to")
    if not (isinstance(slips, dict) and slips and all(map(callable, slips.values()))):
        raise ValueError(f"slips must map what each slip is to a wrong function, got {slips!r}")
    if grading():  # slips check the check, not the student: a grader's run (and its feedback) skips them
        return
    label, judge = _last_check["label"], _last_check["judge"]
    print(f"{label}: its declared slips, each rejected (what a student who makes one reads):")
    for words, slip in slips.items():
        status, message = judge(slip)
        if status != "wrong":
            raise CheckFailed(f"{label}: the slip {words!r} is not rejected: the check cannot tell it apart")
        print(f"  - {words}: {message}")


def check_function(label, student, *, cases, expected=None, run=None, reference=None, names=None, rtol=1e-5,
                   atol=1e-7, hint="", loops=True, seed=0, n=5):
    """Check the student's function on seeded cases and print the verdict (see the module's docstring).

    ``cases(rng)`` returns the arguments of one case (called ``n`` times), or ``cases`` is a list of
    them; ``expected(*args)`` the right result (default: the reference's); ``run(f, *args)`` what is compared (default
    ``f(*args)``); ``names`` names the result's parts (tuple positions or dict keys) in messages;
    ``loops=False`` rejects a function whose own code has a Python loop. Returns, for a homework
    (``reference`` given), the function the cells below use; else nothing.
    """
    if not isinstance(label, str):
        raise ValueError(f"label must be a str, got {label!r}")
    function("student", student)
    if not (callable(cases) or isinstance(cases, (list, tuple)) and cases):
        raise ValueError(f"cases must be a function of a random generator or a list of argument tuples, got {cases!r}")
    parameters = _parameters(student) if run is None else _parameters(function("run", run))[1:]
    run = (lambda f, *args: f(*args)) if run is None else run
    course = None if reference is None else course_version(reference)
    expected = course if expected is None and course is not None else function("expected", expected)
    if names is not None and not isinstance(names, dict):
        raise ValueError(f"names must map result positions or keys to names, got {names!r}")
    rtol, atol = number("rtol", rtol, low=0), number("atol", atol, low=0)
    checked = _Cases(cases, expected, run, integer("seed", seed), integer("n", n, low=1), parameters)

    def judge(f):
        status, message = checked.verdict(f, rtol, atol, names)
        if status == "right" and not loops and _has_loop(f):
            return "wrong", "it has a Python loop (for, while or a comprehension): use whole-array operations"
        return status, message

    _last_check.update(label=label, judge=judge)
    if course is not None and student is course:  # the check re-run alone, after it fell back to the course's
        _verdicts[label] = "missing"
        print(f"{label}: {reference} is the course's own now (this check fell back to it), not yours: re-run the "
              "cell that defines yours, then this one.")
        return course
    status, message = judge(student)
    _verdicts[label] = status
    tolerance = "exactly" if rtol == atol == 0 else f"tolerance rtol={rtol:g}, atol={atol:g}"
    if status == "right":
        said = f"correct on {len(checked.args)} {'random ' * checked.random}cases ({tolerance})"
    elif status == "missing":
        said = "not implemented yet"
    else:
        said = _sentence(message) + f" Hint: {hint}" * bool(hint)
    if course is None:
        if status == "wrong" or status == "missing" and grading():
            raise CheckFailed(f"{label}: {_sentence(said)}")
        print(f"{label}: {said}" + f" (write the function above in place of its line {STUB}, then re-run it and "
              "this cell)" * (status == "missing") + ".")
        return None
    if status == "right":
        print(f"{label}: {said}. The cells below use yours.")
        return student
    print(f"{label}: {said}, so the cells below use the course's {reference} (write yours above in place of "
          f"the line {STUB}, then re-run it and this cell)." if status == "missing" else
          f"{label}: {_sentence(said)}\nThe cells below use the course's {reference} until yours passes.")
    return course


def _sentence(text):
    """text ending with a full stop, unless it ends with one already (or with ? or !)."""
    return text if text.endswith((".", "?", "!")) else f"{text}."


_verdicts = {}  # label -> "right" | "missing" | "wrong", of every check_function run in this kernel


def passed(label):
    """A homework's grade: fails unless the check_function labelled ``label`` passed. The homework's check
    itself never fails (the cells below then use the course's version), so that one wrong homework
    costs its own points only; this line, in the hidden tests below it, is what nbgrader scores."""
    if not isinstance(label, str):
        raise ValueError(f"label must be a str, got {label!r}")
    if label not in _verdicts:  # the check did not run: a cell above it failed
        raise CheckFailed(f"{label}: not checked, so no points (did a cell above fail? run them in order).")
    if _verdicts[label] != "right":
        raise CheckFailed(f"{label}: {'not implemented yet' if _verdicts[label] == 'missing' else 'not right'}, "
                          "so no points (the check above says why).")
    print(f"{label}: passed.")


def _judge_answer(answer, expected, rtol):
    """(right?, the kind that was asked when the answer is of another kind, or None)."""
    if is_real(expected):
        return is_real(answer) and math.isclose(float(answer), float(expected), rel_tol=rtol, abs_tol=1e-12), (
            None if is_real(answer) else "number")
    if isinstance(expected, np.ndarray):
        if not isinstance(answer, (np.ndarray, list, tuple)):
            return False, "NumPy array (or nested list)"
        try:
            answer = np.asarray(answer)
        except ValueError:  # a ragged list
            return False, "NumPy array (or nested list)"
        if answer.dtype.kind not in "biuf":
            return False, "NumPy array of real numbers"
        if answer.shape != expected.shape:
            return False, f"NumPy array of shape {expected.shape}"
        return np.allclose(answer, expected, rtol=rtol, atol=1e-12), None
    if isinstance(answer, np.ndarray) and isinstance(expected, (tuple, set, frozenset)):
        answer = type(expected)(answer.tolist())  # an array of the right numbers or names is a fine answer
    ok = answer == expected
    return ok is True or isinstance(ok, np.bool_) and bool(ok), (
        None if type(answer) is type(expected) else type(expected).__name__)


def check_answer(label, answer, expected, *, rtol=1e-3, hint="", slips=None):
    """Check a student's answer to an exercise and print the verdict.

    ``answer`` left as ``...`` means "not answered yet": the cell says so and does not fail (unless
    graded). A wrong answer fails with a CheckFailed carrying a hint. ``expected`` may be sealed (as in
    the student edition). ``slips`` (the solution edition only) maps plausible wrong answers' words to
    their values: each must be rejected.
    """
    rtol = number("rtol", rtol, low=0)
    expected = expected.open() if isinstance(expected, Sealed) else expected
    if not answered(label, answer, graded_later=False):
        return
    ok, asked = _judge_answer(answer, expected, rtol)
    if not ok and asked:
        hint = f"({kind(answer)} where a {asked} was asked) {hint}"
    if rtol > 0 and not asked and (is_real(expected) or isinstance(expected, np.ndarray)) and np.any(expected):
        hint = f"(Checked to a relative tolerance of {rtol:g}.) {hint}"
    if not ok:
        raise CheckFailed(f"{label}: {show(answer)} is not right. {hint}".strip())
    print(f"{label}: correct.")
    if slips and not grading():  # as check_slips: they check the check
        if not isinstance(slips, dict):
            raise ValueError(f"slips must map what each slip is to its wrong answer, got {slips!r}")
        for words, value in slips.items():
            if _judge_answer(value, expected, rtol)[0]:
                raise CheckFailed(f"{label}: the slip {words!r} ({show(value)}) is not rejected")
        print(f"  Its declared slips, each rejected: {'; '.join(f'{w} ({show(v)})' for w, v in slips.items())}")


def answered(label, answer, *, graded_later=True):
    """Whether ``answer`` is answered (not left as ``...``), said in one line. It is what a graded
    release shows in place of check_answer, whose expected value travels in nbgrader's hidden tests:
    graded, an unanswered exercise fails."""
    if not isinstance(label, str):
        raise ValueError(f"label must be a str, got {label!r}")
    if answer is Ellipsis:
        if grading():
            raise CheckFailed(f"{label}: not implemented yet.")
        print(f"{label}: not implemented yet (replace the ... above by your answer and re-run).")
        return False
    if graded_later:
        print(f"{label}: answered ({kind(answer)}); it is checked when your work is graded.")
    return True


def numeric_gradient(f, x, eps=1e-6):
    """Central finite differences of a scalar function f() with respect to the float64 array x.

    Each number of x is moved by +-eps in turn (and put back), so the truncation
    error is O(eps^2) and the rounding error O(1e-16 / eps).
    """
    function("f", f)
    if not isinstance(x, np.ndarray) or x.dtype != np.float64:
        raise ValueError("x must be a float64 numpy array (it is perturbed in place)")
    eps = number("eps", eps, low=0, low_open=True)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        up = f()
        x[i] = saved - eps
        down = f()
        x[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad
