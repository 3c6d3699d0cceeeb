"""The nbgrader round trip, with the real tools (make grade-check; CI runs it).

Usage: python tools/grade_check.py   (needs requirements-grade.txt installed: make grade-check does it)

In a throw-away course directory holding the course's nbgrader_config.py and notebooks/:
1. ``nbgrader generate_assignment notebooks`` releases the student edition: the test proves that the
   release is make student's edition cell for cell (the number checks show ``h.answered`` where the
   self-study edition holds a sealed check; the cells of hidden tests alone are empty), and that it
   holds no check's expected value;
2. three students submit: "blank" (the release as it is), "solutions" (the solution edition's
   answers typed into the release under each kept "# YOUR CODE HERE" line, as students do) and
   "wrong" (the solutions, but one exercise per notebook wrong);
3. ``nbgrader autograde`` scores them: blank 0, solutions full marks, wrong full marks less that
   exercise's points, lost in its cell alone; ``nbgrader generate_feedback`` shows the wrong student
   the course's own message, and no hidden test.
Exits non-zero, saying why, when any of that does not hold.
"""

import html
import os
import re
import runpy
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

MAKE_STUDENT = runpy.run_path(str(Path(__file__).with_name("make_student.py")))
check_answer_call, released, regions = (MAKE_STUDENT[name] for name in ("check_answer_call", "released", "regions"))
SOLUTION, STUB, TEXT_STUB = MAKE_STUDENT["SOLUTION"], MAKE_STUDENT["STUB"], MAKE_STUDENT["TEXT_STUB"]
ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT = "notebooks"
#: one realistic wrong answer per notebook: (the solution cell, what it holds, what the student wrote
#: instead, the grade cell that must fail, a phrase of the feedback the student then reads)
WRONG = {
    "01_computing_graph": ("cell-30", "answer_3 = 17", "answer_3 = 18", "cell-31", "18 is not right"),
    "02_backprop": ("cell-22", "answer_3 = (6, 7)", "answer_3 = (7, 6)", "cell-23", "(7, 6) is not right"),
    "03_training_loop": ("cell-27", "params[k] + velocity[k] for k in params}, velocity",
                         "params[k] - lr * grads[k] for k in params}, velocity", "cell-28", "the new params"),
    # two homework functions: each costs its own points only, since the cells below then use the course's
    "04_gd_vs_momentum": ("cell-05", "return x - eta * grad(x) + beta * (x - x_prev)",
                          "return x - eta * grad(x) + beta * (x_prev - x)", "hw04-heavy-ball-slips",
                          "The cells below use the course's heavy_ball_step until yours passes"),
    "05_conv_kernels": ("cell-08", "[:, ::stride, ::stride]", "", "hw05-slips", "where (1, 5, 3) was asked"),
}


CHECKS = 7  # per notebook: the release, three scores, the wrong cell's grades, the feedback's verdict, no hidden test
#: what would show the hidden tests (the expected values, the slips) in a student's feedback
HIDDEN_SIGNS = ("HIDDEN TESTS", "check_answer(", "check_slips(", "declared slips", "h.passed(")


def nbgrader(course, *args):
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")  # alembic
    done = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True,
                          text=True)
    if done.returncode:
        sys.exit(f"nbgrader {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")


def problems_of_release(source, release, student):
    """How nbgrader's release of one notebook differs from make student's edition (nothing, when they agree)."""
    problems = []
    by_id = {c.id: c for c in source.cells}
    slip_cell = {i for i, c in by_id.items() if c.source.strip() and not released(c).strip()}  # all hidden
    kept = [c for c in release.cells if c.id not in slip_cell]
    if [c.id for c in kept] != [c.id for c in student.cells]:
        problems.append(f"other cells: {[c.id for c in kept]} against {[c.id for c in student.cells]}")
    for ours, theirs in zip(student.cells, kept, strict=False):
        if check_answer_call(by_id[ours.id].source):
            label, answer = re.match(r"h\.check_answer\((\"[^\"]*\"), (\w+),", ours.source).groups()
            if theirs.source != f"h.answered({label}, {answer})":
                problems.append(f"cell {ours.id}: the release shows {theirs.source!r}")
        elif theirs.source != ours.source:
            problems.append(f"cell {ours.id}: the release holds {theirs.source!r}, make student {ours.source!r}")
    text = nbformat.writes(release)
    for answer_sign in ("h.sealed(", "HIDDEN TESTS", "SOLUTION", "check_slips", "check_answer("):
        if answer_sign in text:
            problems.append(f"the release holds {answer_sign!r}")
    return problems


def typed_in(released_source, solution_source):
    """A released cell with the solution typed in as a student does: under each kept stub line."""
    solutions, lines = iter(regions(solution_source, SOLUTION)[1]), []
    for line in released_source.split("\n"):
        lines.append(line)
        if line.strip() in (STUB, TEXT_STUB):
            lines.append(next(solutions))
    return "\n".join(lines)


def submission(release, source, wrong=None):
    """The release with the solution edition's answers typed in (and one of them wrong)."""
    nb = nbformat.from_dict(release)
    by_id = {c.id: c.source for c in source.cells}
    for cell in nb.cells:
        if cell.get("metadata", {}).get("nbgrader", {}).get("solution"):
            cell.source = typed_in(cell.source, by_id[cell.id])
        if wrong and cell.id == wrong[0]:
            if cell.source.count(wrong[1]) != 1:
                sys.exit(f"cell {cell.id} does not hold {wrong[1]!r} exactly once: update WRONG")
            cell.source = cell.source.replace(wrong[1], wrong[2])
    return nb


def main():
    from nbgrader.api import Gradebook

    course = Path(tempfile.mkdtemp(prefix="grade-check-"))
    try:
        shutil.copy(ROOT / "nbgrader_config.py", course)
        shutil.copytree(ROOT / "notebooks", course / ASSIGNMENT)
        nbgrader(course, "generate_assignment", ASSIGNMENT)
        failures, names = [], sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
        for name in names:
            source = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
            release = nbformat.read(course / "release" / ASSIGNMENT / f"{name}.ipynb", as_version=4)
            student = nbformat.read(ROOT / "student" / f"{name}.ipynb", as_version=4)
            problems = problems_of_release(source, release, student)
            failures += [f"{name}: the release is not make student's edition: {'; '.join(problems)}"] * bool(problems)
            for who, wrong in (("blank", None), ("solutions", None), ("wrong", WRONG[name])):
                folder = course / "submitted" / who / ASSIGNMENT
                folder.mkdir(parents=True, exist_ok=True)
                nb = release if who == "blank" else submission(release, source, wrong)
                nbformat.write(nb, folder / f"{name}.ipynb")
        nbgrader(course, "autograde", ASSIGNMENT, "--create")
        nbgrader(course, "generate_feedback", ASSIGNMENT)
        print(f"{'notebook':<22} {'blank':>7} {'solutions':>10} {'wrong':>7}  the wrong exercise")
        with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
            for name in names:
                scores = {who: gradebook.find_submission_notebook(name, ASSIGNMENT, who)
                          for who in ("blank", "solutions", "wrong")}
                full = scores["solutions"].max_score
                lost = sum(g.max_score for g in scores["wrong"].grades if g.cell.name == WRONG[name][3])
                print(f"{name:<22} {scores['blank'].score:>7g} {scores['solutions'].score:>10g} "
                      f"{scores['wrong'].score:>7g}  of {full:g}: {WRONG[name][3]} ({lost:g} points)")
                wanted = {"blank": 0, "solutions": full, "wrong": full - lost if lost else "less than full marks"}
                failures += [f"{name}: {who} scores {scores[who].score:g}, not {want}"
                             for who, want in wanted.items() if scores[who].score != want]
                off = [g.cell.name for g in scores["wrong"].grades  # the wrong cell alone loses, all it has
                       if g.score != (0 if g.cell.name == WRONG[name][3] else g.max_score)]
                failures += [f"{name}: the wrong answer's grades are off in {off}"] * bool(off)
                feedback = html.unescape((course / "feedback" / "wrong" / ASSIGNMENT / f"{name}.html").read_text(
                    encoding="utf-8"))
                if WRONG[name][4] not in feedback:
                    failures.append(f"{name}: the feedback does not show {WRONG[name][4]!r}")
                shown = [sign for sign in HIDDEN_SIGNS if sign in feedback]
                failures += [f"{name}: the feedback shows the hidden tests: {shown}"] * bool(shown)
    finally:
        shutil.rmtree(course, ignore_errors=True)
    print("\n".join(failures))
    print(f"grade-check: {CHECKS * len(names) - len(failures)} passed, {len(failures)} failed")
    sys.exit(bool(failures))


if __name__ == "__main__":
    main()
