# The course bundle's commands. Each (but install-check and binder-check, which build their own
# throw-away venvs) creates .venv and installs requirements.txt (which installs the course itself,
# helpers.py and coursekit, in place) first when needed, so a fresh clone needs
# nothing but python3 (3.11 or newer). `make lab` and `make test` run exactly the README's plain
# Python commands (.ci/run checks that they match, and runs the plain ones).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab present hub-links test test-latest lint lessons notebooks student golden bench e2e grade-check mutation install-check binder-check clean

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -r requirements.txt
	touch $@

## make lab: open the course (the student edition) in JupyterLab (localhost only, token authentication on)
lab: $(STAMP)
	$(BIN)/python -m jupyter lab student

## make present NOTEBOOK=04: one notebook's explorer alone, for a lecture screen: Voilà on 127.0.0.1 with a
## token, without the lesson and the exercises (tools/present.py; the URL to open is printed)
PRESENT_STAMP := $(VENV)/.installed-present
$(PRESENT_STAMP): $(STAMP) requirements-present.txt
	$(BIN)/python -m pip install -r requirements-present.txt
	touch $@

present: $(PRESENT_STAMP)
	$(BIN)/python tools/present.py $(NOTEBOOK)

## make hub-links HUB=https://hub.example.edu [REPO=...] [BRANCH=main]: the nbgitpuller link of each student
## notebook, for a class on a JupyterHub (tools/hub_links.py)
hub-links:
	$(PYTHON) tools/hub_links.py $(HUB) $(REPO) $(BRANCH)

## make test: all the checks: ruff, unit and widget tests, strict nbval over every notebook
test: $(STAMP)
	$(BIN)/python -m pytest

## make test-latest: make test in a venv of its own (.venv-latest) where the course's own dependencies are the
## newest releases pyproject.toml admits, the rest as pinned: a release that breaks the course is seen here
## before a student's `pip install` meets it (not in CI: a second install and run, about 6 minutes)
LATEST := .venv-latest
test-latest:
	rm -rf $(LATEST)
	$(PYTHON) -m venv $(LATEST)
	$(LATEST)/bin/python -m pip install -q -r requirements.txt
	$(LATEST)/bin/python -m pip install -q --upgrade $$($(PYTHON) -c 'import tomllib; print(" ".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))')
	$(LATEST)/bin/python -m pip check
	$(LATEST)/bin/python -m pip list | grep -iE "^(numpy|matplotlib|ipywidgets|isal) "
	$(LATEST)/bin/python -m pytest

## make lint: ruff alone (make test runs it too, as tests/test_lint.py)
lint: $(STAMP)
	$(BIN)/python -m ruff check

## make lessons: regenerate coursekit/lessons/ from the notebooks' #@save cells
lessons: $(STAMP)
	$(BIN)/python tools/export_lessons.py

## make notebooks: regenerate the lessons, re-execute and save every notebook, then the student edition
notebooks: lessons
	$(BIN)/python tools/save_notebooks.py notebooks/*.ipynb
	$(MAKE) student

## make student: the student edition (student/) from the notebooks' solutions, executed and saved; it stops
## rather than overwrite a student notebook that holds edits of its own (FORCE=1 overwrites it)
student: $(STAMP)
	$(BIN)/python tools/make_student.py $(if $(FORCE),--force)
	$(BIN)/python tools/save_notebooks.py student/*.ipynb

## make golden: record the explorers' golden pictures (tests/golden_pictures.json) once they look right
golden: $(STAMP)
	UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_pictures.py -k golden_pictures

## make bench: time every explorer's slider update and every notebook's execution
bench: $(STAMP)
	$(BIN)/python tools/bench.py

## make install-check: install the course into a fresh venv and run each notebook alone, outside the repo
## (this check and the next need only python3: each builds its own throw-away venv)
install-check:
	$(PYTHON) tools/check_install.py

## make binder-check: binder/requirements.txt over Binder's base environment: pip check, and JupyterLab serves
binder-check:
	$(PYTHON) tools/binder_check.py

## make e2e: the browser test (needs Debian's chromium, apt-get install chromium, and npm for axe-core and the static page's
## widget manager)
E2E_STAMP := $(VENV)/.installed-e2e
$(E2E_STAMP): $(STAMP) requirements-e2e.txt requirements-present.txt tests/e2e/static/package-lock.json
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements-e2e.txt
	npm ci --prefix tests/e2e/static --no-audit --no-fund --ignore-scripts
	touch $@

e2e: $(E2E_STAMP)
	$(BIN)/python -m pytest tests/e2e -o addopts="" -p no:cacheprovider -s -q

## make grade-check: the nbgrader round trip (release, three submissions autograded, scores compared), in its
## own venv: nbgrader adds JupyterLab extensions that the course's venv (make lab, make e2e) does without
GRADE_VENV := .venv-grade
GRADE_STAMP := $(GRADE_VENV)/.installed
$(GRADE_STAMP): requirements.txt requirements-grade.txt pyproject.toml
	test -x $(GRADE_VENV)/bin/python || $(PYTHON) -m venv $(GRADE_VENV)
	$(GRADE_VENV)/bin/python -m pip install --disable-pip-version-check -r requirements-grade.txt
	$(GRADE_VENV)/bin/python -m pip check
	touch $@

grade-check: $(GRADE_STAMP)
	$(GRADE_VENV)/bin/python tools/grade_check.py

## make mutation: mutmut over what guards students (pyproject.toml says which modules), then the score per
## module; not in CI (it takes minutes)
MUTATION_STAMP := $(VENV)/.installed-mutation
$(MUTATION_STAMP): $(STAMP) requirements-mutation.txt
	$(BIN)/python -m pip install --disable-pip-version-check -r requirements-mutation.txt
	$(BIN)/python -m pip check
	touch $@

mutation: $(MUTATION_STAMP)
	rm -rf mutants
	$(BIN)/mutmut run --max-children 2 > mutants.log 2>&1 || (tail -n 30 mutants.log; exit 1)
	$(BIN)/python tools/mutation_report.py

clean:
	rm -rf mutants mutants.log $(VENV) $(GRADE_VENV) $(LATEST) .pytest_cache .ruff_cache *.egg-info build
