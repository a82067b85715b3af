"""nbgrader configuration for courses that use the workbook's solution notebooks as sources.

Copy this file into your nbgrader course directory (or merge its lines into your own
nbgrader_config.py). With it, `nbgrader generate_assignment` gives students the same cells
as the workbook's `notebooks/`:

- cells tagged `solution-only` (a demonstration of a wrong answer and its feedback, say,
  which would hand students most of an answer) are removed before anything else happens;
- each solution region becomes `raise NotImplementedError("exercise: <grade_id>")`, the
  stub of `notebooks/`, instead of nbgrader's `# YOUR CODE HERE` and a bare
  `raise NotImplementedError()`.

Everything else is nbgrader's own pipeline, unchanged.
"""

from nbconvert.preprocessors import TagRemovePreprocessor
from nbgrader.converters import GenerateAssignment
from nbgrader.preprocessors import ClearSolutions

c = get_config()  # noqa: F821 - provided by traitlets when it loads this file


class WorkbookClearSolutions(ClearSolutions):
    """nbgrader's ClearSolutions, with the workbook's stub naming the exercise."""

    def preprocess_cell(self, cell, resources, index):
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id:
            self.code_stub = {"python": f'raise NotImplementedError("exercise: {grade_id}")'}
        return super().preprocess_cell(cell, resources, index)


_steps = GenerateAssignment.class_traits()["preprocessors"].default()
c.GenerateAssignment.preprocessors = [TagRemovePreprocessor] + [
    WorkbookClearSolutions if step is ClearSolutions else step for step in _steps
]
c.TagRemovePreprocessor.enabled = True
c.TagRemovePreprocessor.remove_cell_tags = {"solution-only"}
