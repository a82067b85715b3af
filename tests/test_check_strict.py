"""Strict mode (the grader's) only adds trials: what the notebook rejects, it rejects with the
same message, and what the notebook accepts it may still reject."""

import pytest
from checking import own_copy
from test_check_sgd import make_adam

from helpers import check
from helpers.check import CheckFailed
from helpers.optim import Adam


def _message(chk, answer, strict):
    with pytest.raises(CheckFailed) as info:
        chk(answer, strict=strict)
    return str(info.value)


@pytest.mark.parametrize("variant", [{"eps_inside": True}, {"efficient": True},
                                     {"swapped": True}])
def test_strict_mode_gives_the_notebooks_message(variant):
    # the eps-inside Adam fails a strict trial too, before the notebook's own section did;
    # the strict run still reports what the notebook reports
    wrong = make_adam(**variant)
    assert _message(check.adam, wrong, strict=True) == _message(check.adam, wrong, strict=False)


def test_strict_mode_passes_the_reference(capsys):
    check.adam(own_copy(Adam), strict=True)
    assert capsys.readouterr().out == "✓ adam looks right.\n"
