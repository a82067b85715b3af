"""An unfilled exercise reads "not written yet", and its verdict has its own type."""

import numpy as np
from checking import assert_fails

from helpers import check
from helpers.check import CheckFailed, NotWrittenYet
from helpers.nn import Module


def test_not_written_yet_is_a_check_failure():
    assert issubclass(NotWrittenYet, CheckFailed)


def test_nbgrader_bare_stub_reads_not_written_yet():
    def sigmoid(z):
        raise NotImplementedError()

    failure = assert_fails(check.sigmoid, sigmoid, "not written yet",
                           "`raise NotImplementedError()`")
    assert isinstance(failure, NotWrittenYet)


def test_generated_stub_reads_not_written_yet():
    def sigmoid(z):
        raise NotImplementedError("exercise: sigmoid")

    failure = assert_fails(check.sigmoid, sigmoid, "not written yet", '"exercise: sigmoid"')
    assert isinstance(failure, NotWrittenYet)


def test_a_stub_inside_a_class_reads_not_written_yet():
    class Linear(Module):
        def __init__(self, n_in, n_out, rng=None):
            raise NotImplementedError()

    assert isinstance(assert_fails(check.linear, Linear, "not written yet"), NotWrittenYet)


def test_a_library_bare_not_implemented_is_not_a_stub():
    class Linear(Module):  # forward forgotten: the package's abstract method raises
        def __init__(self, n_in, n_out, rng=None):
            scale = np.sqrt(2 / (n_in + n_out))  # the docstring's: the check reaches forward
            self.W = np.random.default_rng(0).normal(size=(n_in, n_out)) * scale
            self.b = np.zeros(n_out)

    failure = assert_fails(check.linear, Linear, "NotImplementedError")
    assert not isinstance(failure, NotWrittenYet)


def test_a_message_other_than_the_stubs_is_not_a_stub():
    def sigmoid(z):
        raise NotImplementedError("float16 is not supported")

    failure = assert_fails(check.sigmoid, sigmoid, "float16 is not supported")
    assert not isinstance(failure, NotWrittenYet)
