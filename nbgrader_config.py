"""nbgrader's settings for this course: run nbgrader from the repository's root, and the notebooks/
folder (the solution edition) is the assignment "notebooks"; release/, submitted/, autograded/,
feedback/ and gradebook.db are made beside it (git ignores them). See the README's instructors' section."""

from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades

from coursekit.exercises import STUB, TEXT_STUB

c = get_config()  # noqa: F821 (nbgrader's config loader defines it)
c.CourseDirectory.source_directory = "."  # the assignment "notebooks" is ./notebooks
# The same blanks as make student: a blank function says "not implemented yet" (nbgrader's default
# stub would add `raise NotImplementedError()`, which also works, but makes a number answer's cell raise).
c.ClearSolutions.code_stub = {"python": STUB}
c.ClearSolutions.text_stub = TEXT_STUB
# The feedback shows each check's verdict and hint, not the hidden tests that hold the expected values
# (nbgrader's default shows them: jupyter/nbgrader#917); the checks skip the slips when graded.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
