"""The exercises, found from the notebooks: every check declares slips (which the solution edition's
run feeds it: strict nbval runs it), the homework is blank in the student edition and the cells below
run on the course's version until the student's passes, then on the student's; students' other right
answers pass and their slips fail, in the notebooks. And the checkers on their own, graded or not."""

import ast
import json
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

import helpers as h
from coursekit.exercises import STUB, CheckFailed, course_version

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
HIDDEN = re.compile(r"# BEGIN HIDDEN TESTS\n(.*?)# END HIDDEN TESTS", flags=re.S)


def checks(path, kinds=("check_function", "check_answer")):
    """Every h.<kind>(...) call of a notebook: (cell, call)."""
    found = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "code" or cell.source.startswith("%"):
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in kinds and (
                    getattr(node.func.value, "id", None) == "h"):
                found.append((cell, node))
    return found


def keyword(call, name):
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def homework(path):
    """The notebook's homework functions: the names its checks with a reference= check."""
    return [call.args[1].id for _, call in checks(path) if keyword(call, "reference") is not None]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_declares_its_slips_and_a_homework_its_grade(path):
    """A number's check names its slips; a function's check is followed by hidden tests that feed it its
    slips, and, for a homework, grade it (h.passed with the check's label)."""
    cells = nbformat.read(path, as_version=4).cells
    found = checks(path)
    assert len(found) >= 4, f"{path.name}: fewer than four checked exercises"
    for cell, call in found:
        if call.func.attr == "check_answer":
            slips = keyword(call, "slips")
            assert isinstance(slips, ast.Dict) and slips.keys, f"{path.name}, cell {cell.id}: a check without slips"
            assert "h.check_answer(" in "".join(HIDDEN.findall(cell.source)), f"{cell.id}: its answer is in the open"
            continue
        below = "".join(HIDDEN.findall(cells[[c.id for c in cells].index(cell.id) + 1].source))
        assert "h.check_slips({" in below, f"{path.name}, cell {cell.id}: a check without slips below it"
        label = call.args[0].value
        assert (f"h.passed({json.dumps(label)})" in below) == (keyword(call, "reference") is not None), label


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_each_notebook_has_its_homework_blank_in_the_student_edition(path):
    names = homework(path)
    assert names, f"{path.name}: no homework (a check with reference=)"
    solution = {c.id: c.source for c in nbformat.read(path, as_version=4).cells}
    student = nbformat.read(ROOT / "student" / path.name, as_version=4)
    for name in names:
        assert callable(course_version(name))
        cell = next(c for c in student.cells if re.search(rf"^def {name}\(", c.source, flags=re.M))
        assert "# BEGIN SOLUTION" in solution[cell.id] and STUB in cell.source
        check = next(c for c in student.cells if f"{name} = h.check_function(" in c.source)
        said = "".join(o.get("text", "") for o in check.outputs)
        assert f"not implemented yet, so the cells below use the course's {name}" in said, said
    text = (ROOT / "student" / path.name).read_text(encoding="utf-8")
    assert "slips" not in text and "HIDDEN" not in text and "h.passed" not in text


def student_edition_with(path, body):
    """The student edition with every function exercise's cell replaced by the solution edition's, and its
    homework functions' bodies then replaced by ``body`` (None: kept, solved), and the number answers typed
    in; plus a last cell that reports which version of each homework function the notebook and its
    explorers hold."""
    solution = nbformat.read(path, as_version=4)
    by_id = {c.id: c.source for c in solution.cells}
    names = homework(path)
    nb = nbformat.read(ROOT / "student" / path.name, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and "# BEGIN SOLUTION" in by_id[cell.id]:
            cell.source = by_id[cell.id]
            if body is not None and any(f"def {name}(" in cell.source for name in names):
                cell.source = re.sub(r"^([ \t]*)# BEGIN SOLUTION\n.*?# END SOLUTION", rf"\1{body}", cell.source,
                                     flags=re.M | re.S)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE.format(names=names)))
    return nb


PROBE = '''import json
_explorers = [v for v in list(globals().values()) if type(v).__module__.endswith("_explorer")]
_held = [getattr(f, "rule", f)  # a function, or notebook 04's record of a method and its rule
         for e in _explorers for v in vars(e).values() for f in (v.values() if isinstance(v, dict) else [v])]
print(json.dumps({{name: [globals()[name].__module__, [f is globals()[name] for f in _held
                                                      if getattr(f, "__name__", None) == name]]
                  for name in {names}}}))'''


#: the homework functions that each notebook's explorer runs
EXPLORER_RUNS = {"03_training_loop": {"backward_batch"}, "04_gd_vs_momentum": {"gd_step", "heavy_ball_step"},
                 "05_conv_kernels": {"conv2d"}}


def run(nb):
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "student")}}
                   ).execute()
    return json.loads(nb.cells[-1].outputs[0].text)


def said(nb, text):
    return "".join(o.get("text", "") for c in nb.cells if text in c.source for o in c.outputs)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_correct_student_version_is_what_the_cells_below_and_the_explorer_use(path):
    """The student edition, solved: every check passes (the sealed values are right), and each homework
    function below its check, and in the explorer, is the student's, defined in the notebook."""
    nb = student_edition_with(path, None)
    held = run(nb)
    assert {name for name, (_, in_explorer) in held.items() if in_explorer} == EXPLORER_RUNS.get(path.stem, set())
    for name, (module, in_explorer) in held.items():
        assert module == "__main__", f"{name}: the cells below use {module}'s, not the student's"
        assert all(in_explorer), f"{name}: the explorer holds another version"
        assert "The cells below use yours." in said(nb, f"{name} = h.check_function(")
    for cell in nb.cells:
        if "h.check_" in cell.source and cell.cell_type == "code":
            text = "".join(o.get("text", "") for o in cell.outputs)
            assert "correct" in text and "not implemented" not in text, f"{path.name}: {cell.source}: {text}"
        if cell.source.startswith("h.check_answer("):
            assert 'h.sealed("' in cell.source, cell.source  # the expected value is not shown


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_a_failing_student_version_is_not_used_and_nothing_breaks(path):
    nb = student_edition_with(path, 'raise ZeroDivisionError("a slip")')
    held = run(nb)  # raises if any cell fails
    for name, (module, in_explorer) in held.items():
        assert module.startswith("coursekit.lessons."), f"{name}: a failing version is used"
        assert all(in_explorer)
        message = said(nb, f"{name} = h.check_function(")
        assert "your function raised ZeroDivisionError: a slip" in message and "Hint: " in message
        assert f"The cells below use the course's {name} until yours passes." in message


# The checker on its own


def square(x):
    return x**2


def cases(rng):
    return (rng.normal(size=3),)


def test_a_right_function_passes_and_a_blank_says_so(capsys):
    assert h.check_function("sq", lambda x: x * x, cases=cases, expected=square) is None
    assert capsys.readouterr().out == "sq: correct on 5 random cases (tolerance rtol=1e-05, atol=1e-07).\n"

    def blank(x):
        raise NotImplementedError("your code here")

    assert h.check_function("sq", blank, cases=cases, expected=square) is None
    assert "sq: not implemented yet" in capsys.readouterr().out


def test_a_wrong_function_fails_on_its_first_failing_case_with_the_hint():
    def wrong_on_negatives(x):
        return np.where(x > -1.5, x * x, 0)

    with pytest.raises(AssertionError, match=r"^sq: case (\d+) of 9 \(x .*\): the result is off .*Hint: squares"
                       ) as error:
        h.check_function("sq", wrong_on_negatives, cases=cases, expected=square, n=9, hint="squares")
    first = next(k for k in range(9) if (np.random.default_rng(0).normal(size=(9, 3))[: k + 1] < -1.5).any())
    assert error.value.args[0].startswith(f"sq: case {first + 1} of 9")
    assert first > 0  # not only the first case is checked


def test_a_homework_returns_the_version_the_cells_below_use(capsys):
    import coursekit.lessons.backprop

    assert course_version("backward_sample") is coursekit.lessons.backprop.backward_sample
    course = course_version("gd_step")

    def case(rng):
        return rng.normal(size=2), rng.normal(size=2), lambda v: 3 * v, 0.1, 0.5

    def mine(x, x_prev, grad, eta, beta):
        return x - eta * grad(x)

    assert h.check_function("gd", mine, cases=case, reference="gd_step") is mine
    assert capsys.readouterr().out.endswith("The cells below use yours.\n")
    assert h.check_function("gd", lambda *a: a[0], cases=case, reference="gd_step") is course
    out = capsys.readouterr().out
    assert "the result is off" in out and out.endswith("The cells below use the course's gd_step until yours passes.\n")
    with pytest.raises(ValueError, match="reference"):
        h.check_function("gd", mine, cases=case, reference="no_such_lesson")


def test_a_slip_that_passes_is_reported(capsys):
    h.check_function("sq", square, cases=lambda rng: (rng.uniform(1, 2, size=3),), expected=square)
    with pytest.raises(AssertionError, match="sq: the slip 'abs' is not rejected"):
        h.check_slips({"cube": lambda x: x**3, "abs": lambda x: np.abs(x) ** 2})
    assert "- cube: case 1 of 5" in capsys.readouterr().out
    h.check_function("sq", square, cases=lambda rng: (rng.uniform(1, 2, size=3),), expected=square, loops=False)
    h.check_slips({"looped": lambda x: np.array([v * v for v in x])})  # judged as the check above judges
    assert "- looped: it has a Python loop" in capsys.readouterr().out
    with pytest.raises(AssertionError, match="the slip 'round' .* is not rejected"):
        h.check_answer("n", 2.0004, 2.0, slips={"round": 2.0001})


def test_an_in_place_update_is_a_right_answer():
    def scaled_in_place(params, grads, lr):
        for k in params:
            params[k] -= lr * grads[k]
            grads[k] *= 0  # even the gradients: the next case and the expected value get fresh copies
        return params

    def case(rng):
        return {"W": rng.normal(size=(2, 2))}, {"W": rng.normal(size=(2, 2))}, 0.1

    h.check_function("gd", scaled_in_place, cases=case,
                     expected=lambda p, g, lr: {k: p[k] - lr * g[k] for k in p}, rtol=1e-12, atol=0)


def test_loops_can_be_forbidden():
    def looped(x):
        return np.array([v * v for v in x])

    h.check_function("sq", looped, cases=cases, expected=square)
    with pytest.raises(AssertionError, match="a Python loop"):
        h.check_function("sq", looped, cases=cases, expected=square, loops=False)
    h.check_function("sq", square, cases=cases, expected=square, loops=False)


@pytest.mark.parametrize("got,match", [
    (lambda x: x, r"the result\['b'\] is off"),
    (lambda x: {"a": x["a"]}, r"the result has no 'b' \(it has 'a'\)"),
    (lambda x: {"a": x["a"], "b": x["b"].T}, r"the result\['b'\]: shape \(3, 2\) where \(2, 3\) .* a transpose"),
    (lambda x: None, "None: a missing return"),
    (lambda x: [x["a"], x["b"]], "a list where a dict was asked"),
], ids=["values", "missing-key", "transposed", "None", "list"])
def test_mistakes_are_named(got, match):
    def case(rng):
        return ({"a": rng.normal(size=2), "b": rng.normal(size=(2, 3))},)

    with pytest.raises(AssertionError, match=match):
        h.check_function("d", got, cases=case, expected=lambda x: {"a": x["a"], "b": 2 * x["b"]})


def test_close_numbers_are_printed_apart():
    with pytest.raises(AssertionError, match=r"expected 2\.002390001, got 2\.002390002"):
        h.check_function("n", lambda: 2.002390002, cases=[()], expected=lambda: 2.002390001, rtol=0, atol=0)


@pytest.mark.parametrize("bad", [dict(label=1), dict(student=3), dict(cases=[]), dict(expected="x"),
                                 dict(names=[1]), dict(rtol=-1), dict(atol=-1), dict(n=0), dict(seed=0.5),
                                 dict(run=2), dict(reference=len)],
                         ids=lambda d: next(iter(d)))
def test_bad_arguments_are_named(bad):
    arguments = dict(label="sq", student=square, cases=cases, expected=square) | bad
    name = next(iter(bad))
    with pytest.raises(ValueError, match=f"^{name}"):
        h.check_function(arguments.pop("label"), arguments.pop("student"), **arguments)


@pytest.mark.parametrize("bad", [{}, {"a": 1}, [len]])
def test_slips_and_grades_name_their_bad_argument(bad):
    h.check_function("sq", square, cases=cases, expected=square)
    with pytest.raises(ValueError, match="^slips"):
        h.check_slips(bad)
    with pytest.raises(ValueError, match="^label"):
        h.passed(None)
    with pytest.raises(ValueError, match="^label"):
        h.answered(3, 4)


def test_an_array_answers_a_tuple_or_a_set(capsys):
    h.check_answer("shape", np.array([6, 7]), (6, 7))
    h.check_answer("names", np.array(["W0", "b2"]), {"W0", "b2"})
    with pytest.raises(AssertionError, match=r"\{'W0'\} is not right"):
        h.check_answer("names", {"W0"}, {"W0", "b2"})
    assert capsys.readouterr().out == "shape: correct.\nnames: correct.\n"


# Sealing


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_edition_holds_no_solution(path):
    """No line of a solution is in the student edition, unless the solution edition gives it outside its
    solutions too (a line of the reference, or one the text hands over)."""
    student = nbformat.read(ROOT / "student" / path.name, as_version=4)
    given = re.sub(r"BEGIN SOLUTION.*?END SOLUTION", "", path.read_text(encoding="utf-8"), flags=re.S)
    code = "\n".join(c.source for c in student.cells)
    lessons = "\n".join(c.source for c in student.cells if "h.check_" not in c.source)  # hints may quote a step
    assert "SOLUTION" not in code and "SOLUTION" not in (ROOT / "student" / path.name).read_text(encoding="utf-8")
    for cell in nbformat.read(path, as_version=4).cells:
        blocks = re.findall(r"BEGIN SOLUTION[^\n]*\n(.*?)\n[^\n]*END SOLUTION", cell.source, flags=re.S)
        lines = [ln.strip() for block in blocks for ln in block.splitlines() if len(ln.strip()) > 12]
        for line in lines:
            assert line not in lessons or json.dumps(line, ensure_ascii=False)[1:-1] in given, (
                f"{path.name}: solution text {line!r} in the student edition")


# Graded: nbgrader scores a test cell by whether it raises


def test_graded_an_unanswered_exercise_fails_and_a_homework_costs_its_own_points(monkeypatch, capsys):
    def blank(x):
        # YOUR CODE HERE
        pass

    h.check_function("sq", blank, cases=cases, expected=square)  # a student's run: says so, does not fail
    assert capsys.readouterr().out.startswith("sq: not implemented yet (write the function above")
    h.answered("n", ...)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    with pytest.raises(CheckFailed, match=r"^sq: not implemented yet\.$"):
        h.check_function("sq", blank, cases=cases, expected=square)
    with pytest.raises(CheckFailed, match=r"^n: not implemented yet\.$"):
        h.answered("n", ...)
    assert h.answered("n", 3) is True and "checked when your work is graded" in capsys.readouterr().out

    def case(rng):
        return rng.normal(size=2), rng.normal(size=2), lambda v: 3 * v, 0.1, 0.5

    for student, verdict in ((blank, "not implemented yet"), (lambda *a: a[0], "not right")):
        assert h.check_function("Homework: gd", student, cases=case, reference="gd_step") is course_version("gd_step")
        with pytest.raises(CheckFailed, match=f"^Homework: gd: {verdict}, so no points"):
            h.passed("Homework: gd")
    h.check_function("Homework: gd", lambda x, x_prev, grad, eta, beta: x - eta * grad(x), cases=case,
                     reference="gd_step")
    h.passed("Homework: gd")
    assert capsys.readouterr().out.endswith("Homework: gd: passed.\n")


def test_a_failed_check_shows_its_verdict_not_a_traceback():
    with pytest.raises(CheckFailed) as error:
        h.check_answer("n", 4, 3, rtol=0, hint="count again")
    assert error.value._render_traceback_() == ["\x1b[0;31mCheckFailed\x1b[0m: n: 4 is not right. count again"]


def test_a_float32_result_is_named():
    with pytest.raises(CheckFailed, match="float32"):
        h.check_function("sq", lambda x: (x * x).astype(np.float32), cases=cases, expected=square, rtol=1e-12)


# Students' other answers, in the student edition: right ones pass, wrong ones fail with words

OTHER_ANSWERS = [  # (notebook, the solution's cell, what the student wrote there, what the check must say)
    ("01_computing_graph", "cell-24", "def tanh(z, name=None):\n    out = z.graph.record(name, 'op', np.tanh(z.value),"
     " 'tanh', (z,))\n    out.pass_back = lambda up: ((1 - np.tanh(z.value) ** 2) * up,)",
     "case 1 of 4 (4x3, 3x1): your function returned None: a missing return?"),
    ("03_training_loop", "cell-27", "def momentum_update(params, grads, velocity, lr, beta):\n    for k in params:\n"
     "        grads[k] *= lr\n        velocity[k] *= beta\n        velocity[k] -= grads[k]\n"
     "        params[k] += velocity[k]\n    return params, velocity", "correct on 4 random cases"),
    ("04_gd_vs_momentum", "cell-25", "def nesterov_velocity_step(x, v, grad, eta, beta):\n"
     "    v_next = beta * v - eta * grad(x + beta * v)\n    x += v_next\n    return x, v_next",
     "correct on 4 random cases"),
    ("05_conv_kernels", "cell-26", "def maxpool2x2(x):\n    return np.array([[x[i:i + 2, j:j + 2].max() for j in "
     "range(0, x.shape[1], 2)] for i in range(0, x.shape[0], 2)])", "it has a Python loop"),
    ("05_conv_kernels", "cell-29", "def maxpool2x2_backward(x, g):\n    H, W = x.shape\n"
     "    blocks = x.reshape(H // 2, 2, W // 2, 2)\n    top = blocks.max(axis=(1, 3), keepdims=True)\n"
     "    return ((blocks == top) * g[:, None, :, None]).reshape(H, W)", "is off by up to"),
]


@pytest.mark.parametrize("name,cell_id,source,verdict", OTHER_ANSWERS,
                         ids=[f"{a[0][:2]}-{a[1]}" for a in OTHER_ANSWERS])
def test_other_answers_get_the_right_verdict(name, cell_id, source, verdict):
    nb = nbformat.read(ROOT / "student" / f"{name}.ipynb", as_version=4)
    at = [c.id for c in nb.cells].index(cell_id)
    below = next(k for k in range(at + 1, len(nb.cells)) if "h.check_" in nb.cells[k].source)
    nb.cells = nb.cells[: below + 1]  # up to the exercise's check
    nb.cells[at].source = source
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(ROOT / "student")}}).execute()
    check = nb.cells[below]
    assert [o for c in nb.cells[:below] for o in c.get("outputs", []) if o.output_type == "error"] == []
    said = "".join(o.get("text", "") + o.get("evalue", "") for o in check.outputs)
    assert verdict in said, said
    errors = [o for o in check.outputs if o.output_type == "error"]
    assert (verdict.startswith("correct")) == (not errors)
    assert all(len(e.traceback) == 1 and e.ename == "CheckFailed" for e in errors)  # the verdict, not the machinery
