"""The instructor's batch grader: ``nn-workbook-grade submissions/`` (see the README).

- :mod:`helpers.course` (below both the grader and the checks): course notebooks and
  submitted notebooks;
- :mod:`~helpers.grading.judge`: one exercise, its code in a sandbox, its check here;
- :mod:`~helpers.grading.sandbox`: the fork server that starts each confined process, and
  the judge's client for it; :mod:`~helpers.grading.confine`: the confinement itself;
- :mod:`~helpers.grading.rpc`, :mod:`~helpers.grading.wire`: calls across the boundary;
- :mod:`~helpers.grading.batch`: a whole class in parallel, and the output files;
- :mod:`~helpers.grading.cli`: the command line.
"""
