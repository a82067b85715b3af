"""The instructor's batch grader: ``nn-workbook-grade submissions/`` (see the README).

- :mod:`helpers.course` (below both the grader and the checks): course notebooks and
  submitted notebooks;
- :mod:`~helpers.grading.judge`: one exercise, its code in a sandbox, its check here;
- :mod:`~helpers.grading.sandbox`: the fork server that starts each confined process, and
  the judge's client for it; :mod:`~helpers.grading.confine`: the confinement itself;
- :mod:`~helpers.grading.rpc`: calls across the boundary (the request loop), with
  :mod:`~helpers.grading.wire` (frames), :mod:`~helpers.grading.codec` (values),
  :mod:`~helpers.grading.mirror` (arrays, dicts, Generators on both sides) and
  :mod:`~helpers.grading.proxy` (objects lent by handle);
- :mod:`~helpers.grading.batch`: a whole class, and the output files; on the worker
  processes of :mod:`~helpers.grading.pool`, which end with the grader; one run per output
  folder (:mod:`~helpers.grading.lock`);
- :mod:`~helpers.grading.merge`: the parts of a sharded run (``--shard``), joined;
- :mod:`~helpers.grading.preflight`: the environment check before anyone is graded;
- :mod:`~helpers.grading.report`, :mod:`~helpers.grading.export`: the class report and
  the platforms' gradebooks;
- :mod:`~helpers.grading.cli`: the command line.
"""
