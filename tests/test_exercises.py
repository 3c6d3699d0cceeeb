"""The exercises: every solution passes its check, an unanswered one says "not implemented yet",
and a plausible wrong answer is rejected with its hint. And the student edition: current, runnable
(strict nbval runs student/ too), without solution text."""

import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

import helpers as h
from coursekit.lessons import graph as engine

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def solution_namespace(notebook):
    """The notebook's solved exercise functions, run from its cells (as the solution edition has them)."""
    namespace = {"np": np, "h": h, **{k: getattr(engine, k) for k in dir(engine) if not k.startswith("_")}}
    for cell in nbformat.read(ROOT / "notebooks" / notebook, as_version=4).cells:
        if cell.cell_type == "code" and "# BEGIN SOLUTION" in cell.source and cell.source.startswith("def "):
            exec(cell.source, namespace)
    return namespace


def not_done(*args, **kwargs):
    raise NotImplementedError("your code here")


# exercise: (notebook, solution name, check, plausible wrong answer, a phrase of its hint)
def check_tanh(f):
    return h.check_unary_operator("tanh", f, np.tanh, hint="the tanh hint")


def check_mul(f):
    return h.check_binary_operator("mul", f, lambda a, b: a * b, hint="the product hint")


def check_xent(f):
    def case(rng):
        n = int(rng.integers(2, 6))
        return rng.normal(size=(n, 1)), np.eye(n)[:, [int(rng.integers(n))]]
    return h.check_gradient("xent", f, lambda f_, y: -float(np.sum(y * (f_ - np.log(np.sum(np.exp(f_)))))), case,
                            hint="the xent hint")


def check_leaky(f):
    return h.check_layer_backward("leaky", f, lambda z: np.where(z > 0, z, 0.01 * z), hint="the leaky hint")


def check_weighted(f):
    def case(rng):
        n, k = (int(v) for v in rng.integers(1, 8, size=2))
        return rng.normal(size=(n, k)), rng.normal(size=(n, k)), rng.uniform(0.1, 3, size=n)
    return h.check_gradient("weighted", f, lambda a, b, w: 0.5 * float(np.sum(w[:, None] * (a - b) ** 2)) / len(b),
                            case, hint="the weighted hint")


def wrong_tanh(z, name=None):  # forgets the chain rule: hands back the upstream gradient unchanged
    out = z.graph.record(name, "op", np.tanh(z.value), "tanh", (z,))
    out.local = lambda up: (up,)
    return out


def wrong_mul(a, b, name=None):  # gives each input its own value instead of the other's
    out = a.graph.record(name, "op", a.value * b.value, "mul", (a, b))
    out.local = lambda up: (up * a.value, up * b.value)
    return out


EXERCISES = [
    ("01_computing_graph.ipynb", "tanh", check_tanh, wrong_tanh, "the tanh hint"),
    ("01_computing_graph.ipynb", "mul", check_mul, wrong_mul, "the product hint"),
    ("02_backprop.ipynb", "softmax_cross_entropy", check_xent,
     lambda f, y: (0.0, np.exp(f) / np.exp(f).sum() - y), "the xent hint"),  # right gradient, loss forgotten
    ("02_backprop.ipynb", "leaky_layer_backward", check_leaky,
     lambda W, b, a, g: (g @ a.T, g, W.T @ g), "the leaky hint"),  # forgets the activation's derivative
    ("03_training_loop.ipynb", "momentum_update", lambda f: h.check_momentum_update("m", f, hint="the momentum hint"),
     lambda p, g, v, lr, beta: ({k: p[k] - lr * g[k] for k in p}, v), "the momentum hint"),  # plain GD
    ("03_training_loop.ipynb", "weighted_loss_and_gradient", check_weighted,
     lambda a, b, w: (0.5 * float(np.sum(w[:, None] * (a - b) ** 2)) / len(b), w * (a - b) / len(b)),
     "the weighted hint"),  # w broadcast along the wrong axis
    ("04_gd_vs_momentum.ipynb", "nesterov_velocity_step", lambda f: h.check_velocity_form("n", f, hint="the n hint"),
     lambda x, v, grad, eta, beta: (x + beta * v - eta * grad(x), beta * v - eta * grad(x)), "the n hint"),
    ("04_gd_vs_momentum.ipynb", "heavy_ball_rate", lambda f: h.check_rate("r", f, hint="the rate hint"),
     lambda eta, beta, lam: abs(1 - eta * lam), "the rate hint"),  # gradient descent's rate
    ("05_conv_kernels.ipynb", "maxpool2x2", lambda f: h.check_maxpool("p", f, hint="the pool hint"),
     lambda x: x.reshape(x.shape[0] // 2, 2, x.shape[1] // 2, 2).mean(axis=(1, 3)), "the pool hint"),  # average
    ("05_conv_kernels.ipynb", "maxpool2x2_backward", lambda f: h.check_maxpool_backward("pb", f, hint="the pb hint"),
     lambda x, g: np.repeat(np.repeat(g, 2, axis=0), 2, axis=1), "the pb hint"),  # to every pixel of the block
]
IDS = [name for _, name, *_ in EXERCISES]


@pytest.mark.parametrize("notebook,name,check,wrong,hint", EXERCISES, ids=IDS)
def test_the_solution_passes(notebook, name, check, wrong, hint, capsys):
    assert check(solution_namespace(notebook)[name]) is None  # a cell ending with it shows only the verdict
    assert "correct on" in capsys.readouterr().out


@pytest.mark.parametrize("notebook,name,check,wrong,hint", EXERCISES, ids=IDS)
def test_an_unanswered_exercise_says_so(notebook, name, check, wrong, hint, capsys):
    assert check(not_done) is None
    assert "not implemented yet" in capsys.readouterr().out


@pytest.mark.parametrize("notebook,name,check,wrong,hint", EXERCISES, ids=IDS)
def test_a_wrong_answer_is_rejected_with_its_hint(notebook, name, check, wrong, hint):
    with pytest.raises(AssertionError, match=r"case 1 of \d+ .*Hint: " + hint):
        check(wrong)


def test_shape_and_type_mistakes_are_named():
    def as_list(eta, beta, lam):
        return [0.5]

    with pytest.raises(AssertionError, match=r"shape \(1,\) where a single number was asked"):
        h.check_rate("r", as_list)
    with pytest.raises(AssertionError, match=r"a list where a tuple was asked"):
        h.check_velocity_form("n", lambda x, v, grad, eta, beta: [x, v])

    def column_biases(params, grads, velocity, lr, beta):  # b0 comes back as a (3, 1) column
        velocity = {k: beta * velocity[k] - lr * grads[k] for k in params}
        new = {k: params[k] + velocity[k] for k in params}
        return {**new, "b0": new["b0"][:, None]}, velocity

    with pytest.raises(AssertionError, match=r"a \(3, 1\) where \(3,\) was asked"):
        h.check_momentum_update("m", column_biases)


def test_every_notebook_has_two_write_the_code_exercises():
    for path in NOTEBOOKS:
        cells = [c.source for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        functions = [s for s in cells if s.startswith("def ") and "# BEGIN SOLUTION" in s]
        assert len(functions) >= 2, path.name
        assert sum(s.count("check_") for s in cells) >= 3, f"{path.name}: fewer than three checked exercises"


# The student edition


def load_make_student():
    import runpy

    return runpy.run_path(str(ROOT / "tools" / "make_student.py"))


@pytest.mark.parametrize("value", [0.041666666666666664, 263, np.float64(0.92), (7, 6), {"W0", "b2"},
                                   np.array([[-6.0, 6.0], [0.0, 1.5]])], ids=repr)
def test_a_sealed_answer_opens_to_the_same_value(value):
    from coursekit.exercises import seal

    token = seal(value)
    opened = h.sealed(token).open()
    assert type(opened) is type(value.item() if isinstance(value, np.generic) else value)
    assert np.allclose(opened, value, rtol=1e-12, atol=0) if not isinstance(value, set) else opened == value
    assert str(value) not in token and "W0" not in token  # not readable at a glance
    h.check_answer("sealed", value, h.sealed(token))


def test_sealing_names_its_bad_argument():
    from coursekit.exercises import seal

    for bad in ("0.5", ((1, 2), (3, 4)), 1 + 2j, np.array([1j])):
        with pytest.raises(ValueError, match="value"):
            seal(bad)
    with pytest.raises(ValueError, match="token"):
        h.sealed("not a token")


SEALED = re.compile(r'h\.sealed\("([^"]*)"\)')


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_edition_is_current(path):
    """Its sources are what make student makes, with the sealed values it holds (checked below)."""
    saved = nbformat.read(ROOT / "student" / path.name, as_version=4)
    sealed = {c.id: m.group(1) for c in saved.cells for m in [SEALED.search(c.source)] if m}
    expected = load_make_student()["student_edition"](path, sealed)  # a check without a sealed value raises
    assert [(c.id, c.cell_type, c.source) for c in saved.cells] == [
        (c.id, c.cell_type, c.source) for c in expected.cells], "run make student"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_edition_accepts_the_solutions_and_shows_no_expected_value(path):
    """The student edition, with the solutions' answers typed in, passes every number check: its
    sealed values are right. And no check cell there shows how its expected value is computed."""
    from nbclient import NotebookClient

    answers = dict(re.findall(r"^(\w+) = (.*?)\s*# SOLUTION$", "\n".join(
        c.source for c in nbformat.read(path, as_version=4).cells), flags=re.M))
    nb = nbformat.read(ROOT / "student" / path.name, as_version=4)
    checks = [c for c in nb.cells if "h.check_answer(" in c.source]
    for cell in nb.cells:
        cell.source = re.sub(r"^(\w+) = \.\.\.$", lambda m: f"{m.group(1)} = {answers.get(m.group(1), '...')}",
                             cell.source, flags=re.M)
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "student")}}
                   ).execute()
    assert checks, "no number exercise"
    for cell in checks:
        assert SEALED.search(cell.source) and cell.source.startswith("h.check_answer("), cell.source
        said = "".join(o.get("text", "") for o in cell.outputs)
        assert said.endswith(": correct.\n"), f"{path.name}: {cell.source}: {said}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_student_edition_holds_no_solution(path):
    student = nbformat.read(ROOT / "student" / path.name, as_version=4)
    code = "\n".join(c.source for c in student.cells)
    lessons = "\n".join(c.source for c in student.cells if "h.check_" not in c.source)  # hints may quote a step
    assert "SOLUTION" not in code and "SOLUTION" not in (ROOT / "student" / path.name).read_text(encoding="utf-8")
    for cell in nbformat.read(path, as_version=4).cells:
        blocks = re.findall(r"# BEGIN SOLUTION\n(.*?)# END SOLUTION", cell.source, flags=re.S)
        lines = [ln.strip() for block in blocks for ln in block.splitlines() if len(ln.strip()) > 12]
        for name in re.findall(r"^(\w+) = [^\n]*#\s*SOLUTION$", cell.source, flags=re.M):
            assert f"{name} = ..." in code, f"{path.name}: {name} is not left as ... in the student edition"
        for line in lines:
            assert line not in lessons, f"{path.name}: solution text {line!r} in the student edition"


WRONG = '''def _wrong(value):  # a plausible wrong answer of the right kind
    if isinstance(value, tuple):
        return tuple(v + 1 for v in value)
    if isinstance(value, set):
        return set(sorted(value)[:1])
    return value * 2 + 1'''


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_number_exercise_rejects_a_wrong_answer_with_its_hint(path):
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    checks = []
    for k, cell in enumerate(nb.cells):
        if cell.cell_type == "code" and "# SOLUTION" in cell.source:
            cell.source = re.sub(r"^(\w+) = (.*?)\s*# SOLUTION$", r"\1 = _wrong(\2)", cell.source, flags=re.M)
        if cell.cell_type == "code" and "h.check_answer(" in cell.source:
            checks.append(k)
    nb.cells.insert(1, nbformat.v4.new_code_cell(WRONG))
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    assert checks, "no number exercise"
    for k in checks:
        errors = [o for o in nb.cells[k + 1].outputs if o.output_type == "error"]
        assert errors and errors[0].ename == "AssertionError", f"cell {k}: a wrong answer was not rejected"
        label, _, hint = errors[0].evalue.partition(" is not right.")
        assert hint.strip(), f"cell {k}: rejected without a hint: {errors[0].evalue}"
