"""The judge's end of the RPC against a fake hostile sandbox that writes raw frames.

A real sandbox only speaks through :mod:`helpers.grading.rpc`; a submission that takes
over its process can write anything on its socket. Each test plays that sandbox on one
end of a socket pair and checks that the judge refuses what it sends, without harm: the
judge raises ``SandboxStopped`` (and grades the exercise from that), or answers the
request with an error, and its own objects stay as they were.
"""

import pickle
import socket
import struct
import time

import numpy as np
import pytest

from helpers.grading import judge, rpc, wire
from helpers.grading.rpc import Connection, SandboxStopped
from helpers.nn import Linear

HEADER = struct.Struct("!Q")


class FakeSandbox:
    """The hostile end: writes raw frames, reads what the judge says."""

    def __init__(self, deadline: float = 5.0):
        self.sock, judge_end = socket.socketpair()
        self.judge = Connection(judge_end, side="j", guarded=True,
                                rebuild_error=judge._student_error)
        self.judge.deadline = time.monotonic() + deadline

    def raw(self, data: bytes) -> None:
        self.sock.sendall(data)

    def frame(self, value) -> None:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        self.raw(HEADER.pack(len(data)) + data)

    def send(self, kind: str, body, sync=None) -> None:
        self.frame((kind, body, sync or []))

    def reply(self, value) -> None:
        self.send("rep", (True, value, []))

    def heard(self) -> list:
        """Every message the judge sent so far."""
        self.sock.settimeout(1)
        found = []
        while True:
            try:
                found.append(wire.recv(self.sock, time.monotonic() + 0.2))
            except (wire.TimedOut, wire.Closed):
                return found

    def refusals(self) -> list[tuple]:
        """The error reports the judge sent back for the sandbox's requests."""
        return [body[1] for kind, body, _ in self.heard()
                if kind == "rep" and body[0] is False]


def stopped(fake: FakeSandbox) -> SandboxStopped:
    with pytest.raises(SandboxStopped) as caught:
        fake.judge.request("define")
    return caught.value


# -- frames the judge cannot even read: the exercise is stopped, the judge goes on ----------
def test_a_frame_over_the_size_limit_is_refused_before_it_is_read():
    fake = FakeSandbox()
    fake.raw(HEADER.pack(wire.MAX_FRAME + 1))
    assert stopped(fake).kind == "protocol"


def test_a_pickle_that_asks_for_any_global_is_refused():
    fake = FakeSandbox()
    data = b"\x80\x04cos\nsystem\n(S'echo pwned'\ntR."
    fake.raw(HEADER.pack(len(data)) + data)
    stop = stopped(fake)
    assert stop.kind == "protocol" and "only builtin values" in stop.detail


def test_a_half_closed_socket_mid_frame_is_a_closed_sandbox():
    fake = FakeSandbox()
    data = pickle.dumps(("rep", (True, 1, []), []))
    fake.raw(HEADER.pack(len(data)) + data[: len(data) // 2])
    fake.sock.shutdown(socket.SHUT_WR)
    assert stopped(fake).kind == "closed"


def test_a_silent_sandbox_meets_the_deadline():
    fake = FakeSandbox(deadline=0.5)
    started = time.monotonic()
    assert stopped(fake).kind == "timeout"
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("message", [
    "hello",                                            # not a message at all
    ("rep", (True, 1, [])),                             # no sync list
    ("rep", "ok", []),                                  # a reply that is no triple
    ("what", (True, 1, []), []),                        # an unknown kind
    ("rep", (True, ("zz", 1), []), []),                 # an unknown value tag
    ("rep", (True, ("a", "s1", "|O8", [1], b"\0" * 8), []), []),  # an object array
    ("rep", (True, ("a", "s1", "<f8", [2**32, 2**32], b""), []), []),  # a shape overflow
    ("rep", (True, ("a", "s1", "<f8", [3], b"\0" * 8), []), []),  # bytes that do not fit
    ("rep", (True, ("g", "os.system", {}), []), []),    # a bit generator that is no such
    ("rep", (True, ("y", "j999"), []), []),             # a handle the judge never lent
    ("rep", (True, ("h", 5, "object", "x"), []), []),   # a malformed handle
    ("rep", (False, "garbage", []), []),                # a malformed error report
    ("rep", (False, ("x", 7, "m", None), []), []),      # an error of no type
    ("rep", (True, 1, [("a", "j1")]), [("x",)]),        # a malformed array update
    ("rep", (True, 1, 7), []),                          # warnings that are no list
])
def test_every_malformed_message_stops_the_exercise_not_the_judge(message):
    fake = FakeSandbox()
    fake.frame(message)
    assert stopped(fake).kind == "protocol"


def test_a_value_nested_deeper_than_the_limit_is_refused():
    fake = FakeSandbox()
    value = 1
    for _ in range(200):
        value = ("t", [value])
    fake.reply(value)
    assert stopped(fake).kind == "protocol"


def test_an_error_report_says_what_the_sandbox_says_and_no_more():
    fake = FakeSandbox()
    fake.send("rep", (False, ("x", "SystemExit", "0", None), []))
    assert stopped(fake).kind == "exit"
    fake = FakeSandbox()
    fake.send("rep", (False, ("x", "os.system", "boom", 10**30), []))
    with pytest.raises(Exception) as caught:
        fake.judge.request("define")
    assert not isinstance(caught.value, SandboxStopped)
    assert str(caught.value) == "boom" and caught.value.from_submission


# -- requests the judge serves: refused, the judge answers and goes on ----------------------
def lend(fake: FakeSandbox, obj) -> str:
    """Lend ``obj`` to the fake sandbox (as a check passing it would); its handle."""
    return fake.judge.encode(obj)[1]


def test_a_forged_handle_in_a_request_is_refused_and_the_judge_goes_on():
    fake = FakeSandbox()
    fake.send("req", ("call", [("y", "j999"), ("t", []), ("d", [])], {}))
    fake.reply(42)
    assert fake.judge.request("define") == 42
    (refusal,) = fake.refusals()
    assert refusal[1] == "ProtocolError" and "never lent" in refusal[2]


def test_attribute_writes_on_a_lent_object_are_refused():
    def activation(z):
        return np.tanh(z)

    fake = FakeSandbox()
    handle = lend(fake, activation)
    fake.send("req", ("setattr", [("y", handle), "forward", 0], {}))
    fake.send("req", ("setattr", [("y", handle), "__code__", 0], {}))
    fake.reply(None)
    fake.judge.request("define")
    assert not hasattr(activation, "forward")
    assert activation(0.0) == 0.0
    refusals = fake.refusals()
    assert [r[1] for r in refusals] == ["AttributeError", "AttributeError"]
    assert "read-only" in refusals[0][2] and "does not show" in refusals[1][2]


def test_array_writes_on_a_lent_layer_stay_in_place_and_others_are_refused():
    layer = Linear(2, 3, rng=np.random.default_rng(0))
    weights, before = layer.W, layer.W.copy()
    fake = FakeSandbox()
    handle = lend(fake, layer)
    fake.send("req", ("getattr", [("y", handle), "W"], {}))
    fake.reply(None)
    fake.judge.request("define")
    (_, (ok, sent, _), _) = [m for m in fake.heard() if m[0] == "rep"][0]
    assert ok and sent[0] == "a"
    _, mirror, dtype, shape, data = sent
    step = (np.frombuffer(data, dtype=dtype).reshape(shape) - 1).tobytes()
    twice = (np.frombuffer(data, dtype=dtype).reshape(shape) - 2).tobytes()
    # `layer.W -= 1`: W changed in place, then the same W stored back
    fake.send("req", ("setattr", [("y", handle), "W", ("a", mirror, dtype, shape, step)], {}))
    # `layer.W = layer.W - 1`: a new array of the same shape, copied into W
    fake.send("req", ("setattr", [("y", handle), "W", ("a", "s9", dtype, shape, twice)], {}))
    # refused: another shape, another type, a method, a new attribute
    wrong_shape = ("a", "s10", dtype, [1], np.zeros(1, dtype=dtype).tobytes())
    fake.send("req", ("setattr", [("y", handle), "W", wrong_shape], {}))
    fake.send("req", ("setattr", [("y", handle), "W", 0.0], {}))
    fake.send("req", ("setattr", [("y", handle), "forward", ("y", handle)], {}))
    fake.send("req", ("setattr", [("y", handle), "extra", 1], {}))
    fake.reply(None)
    fake.judge.request("define")
    assert layer.W is weights and np.allclose(layer.W, before - 2)
    assert "forward" not in vars(layer) and not hasattr(layer, "extra")
    refusals = fake.refusals()
    assert len(refusals) == 4 and all("read-only" in r[2] for r in refusals)


@pytest.mark.parametrize("request_", [
    ("getattr", [("y", "HANDLE"), "__class__"]),       # a private attribute
    ("getattr", [("y", "HANDLE"), "_cache"]),
    ("op", ["add", ("y", "HANDLE"), 1]),                # an operator on the judge's object
    ("op", ["setitem", ("y", "HANDLE"), 0, 1]),
    ("op", ["__import__", "os"]),                       # no such operator
    ("define", []),                                     # the sandbox's own operation
    ("rm -rf /", []),                                   # no such request
    ("call", [("y", "HANDLE"), "not a tuple", ("d", [])]),
])
def test_requests_the_judge_does_not_serve_are_refused(request_):
    def activation(z):
        return z

    fake = FakeSandbox()
    handle = lend(fake, activation)
    op, args = request_
    args = [("y", handle) if a == ("y", "HANDLE") else a for a in args]
    fake.send("req", (op, args, {}))
    fake.reply("still here")
    assert fake.judge.request("define") == "still here"
    assert len(fake.refusals()) == 1


def test_a_sandbox_handle_named_like_a_judge_handle_is_only_a_proxy():
    def activation(z):
        return z

    fake = FakeSandbox()
    handle = lend(fake, activation)
    fake.reply(("h", handle, "function", "activation"))
    got = fake.judge.request("define")
    assert isinstance(got, rpc.Remote) and got is not activation


def test_the_judge_refuses_to_lend_what_is_not_a_callable_or_the_packages_own():
    fake = FakeSandbox()
    with pytest.raises(TypeError, match="cannot hand"):
        fake.judge.encode(object())


def test_a_sandbox_that_stops_reading_cannot_block_the_judge():
    layer = Linear(1000, 1000, rng=np.random.default_rng(0))  # 8 MB of weights to send
    fake = FakeSandbox(deadline=1.0)
    handle = lend(fake, layer)
    fake.send("req", ("getattr", [("y", handle), "W"], {}))  # then reads nothing
    started = time.monotonic()
    assert stopped(fake).kind == "timeout"
    assert time.monotonic() - started < 10


def test_a_sandbox_that_could_not_be_confined_is_the_graders_trouble_not_the_students():
    from helpers.course import Exercise
    from helpers.grading.sandbox import _Program

    with pytest.raises(Exception, match="could not be confined"):
        _Program({}, "the sandbox could not be confined (OSError: no)").define()
    fake = FakeSandbox()
    fake.send("rep", (False, ("x", "GraderSetupError", "the sandbox could not be confined "
                              "(OSError: no)", None), []))
    exercise = Exercise("sigmoid", "sigmoid", 1.0, 0)
    result = judge._run(fake.judge, exercise, "", judge.Limits(seconds=5), True)
    assert result.status == "error" and "not your mistake" in result.feedback
    assert "could not be confined" in result.feedback


# -- mirrored dicts and Generators, copies made where the object lives ----------------------
def served(answer):
    """A judge connection to a real (unguarded) sandbox connection serving ``answer``."""
    import threading

    ours, theirs = socket.socketpair()
    sandbox = Connection(theirs, side="s", guarded=False, rebuild_error=judge._student_error,
                         extra_ops={"define": lambda: answer})
    threading.Thread(target=sandbox.serve_forever, daemon=True).start()
    connection = Connection(ours, side="j", guarded=True, rebuild_error=judge._student_error)
    connection.deadline = time.monotonic() + 30
    return connection


def test_the_students_draws_advance_the_judges_generator_exactly_as_in_the_notebook():
    def draws(rng):
        first = rng.normal(size=3)
        return first, rng.integers(0, 10, size=4), rng.permutation(5)

    here, there = np.random.default_rng(7), np.random.default_rng(7)
    expected = draws(here)
    student = served(draws).request("define")
    got = student(there)
    for a, b in zip(got, expected, strict=True):
        assert np.array_equal(a, b)
    assert there.bit_generator.state == here.bit_generator.state
    assert there.normal() == here.normal()  # and the judge's next draw is the notebook's


def test_a_generator_the_student_makes_crosses_with_its_state():
    student = served(lambda seed: np.random.default_rng(seed)).request("define")
    rng = student(3)
    assert isinstance(rng, np.random.Generator)
    assert rng.normal() == np.random.default_rng(3).normal()


def test_a_dict_the_students_code_writes_into_is_written_for_the_check_too():
    def writes(cache):
        cache["dz"] = cache["z"] * 2
        del cache["z"]
        return len(cache)

    cache = {"z": 1.5, "x": np.ones(2)}
    student = served(writes).request("define")
    assert student(cache) == 2
    assert set(cache) == {"x", "dz"} and cache["dz"] == 3.0
    untouched = {"z": 1.5}
    served(lambda c: dict(c, y=1)).request("define")(untouched)  # a new dict: no change
    assert untouched == {"z": 1.5}


def test_the_student_deep_copies_the_judges_model_where_it_lives():
    import copy

    def trains_a_copy(layer):
        mine = copy.deepcopy(layer)
        mine.W -= 1
        return mine

    layer = Linear(2, 3, rng=np.random.default_rng(0))
    before = layer.W.copy()
    student = served(trains_a_copy).request("define")
    mine = student(layer)
    assert isinstance(mine, Linear) and mine is not layer
    assert np.array_equal(layer.W, before) and np.allclose(mine.W, before - 1)


def test_the_judge_makes_a_bounded_number_of_copies(monkeypatch):
    assert 10 <= rpc.MAX_COPIES <= 10_000
    monkeypatch.setattr(rpc, "MAX_COPIES", 3)  # the socket buffer holds a few requests
    layer = Linear(2, 3, rng=np.random.default_rng(0))
    fake = FakeSandbox()
    handle = lend(fake, layer)
    for _ in range(3 + 5):
        fake.send("req", ("op", ["deepcopy", ("y", handle)], {}))
    fake.reply("still here")
    assert fake.judge.request("define") == "still here"
    refusals = fake.refusals()
    assert len(refusals) == 5 and all("at most" in r[2] for r in refusals)


def test_a_forged_dict_or_generator_update_changes_nothing_of_the_judges():
    rng = np.random.default_rng(0)
    cache = {"z": 1.0}
    fake = FakeSandbox()
    fake.judge.encode(rng)
    fake.judge.encode(cache)
    state = rng.bit_generator.state
    # ids the judge never sent: new objects on the judge's side, no change to its own
    fake.send("rep", (True, 1, []), [("dm", "s77", [("z", 9.0)]),
                                     ("g", "s78", "MT19937", fake.judge.encode(
                                         np.random.MT19937(1).state))])
    assert fake.judge.request("define") == 1
    assert cache == {"z": 1.0} and rng.bit_generator.state == state


@pytest.mark.parametrize("sync", [
    [("g", "j1", "PCG64", ("d", [("state", "nonsense")]))],  # a state numpy refuses
    [("g", "j1", "os.system", ("d", []))],                    # no such bit generator
    [("dm", "j1", "not a list")],                             # a dict of no entries
    [("dm", "j1", [(("a", "s1", "<f8", [1], b"\0" * 8), 1)])],  # an unhashable key
])
def test_a_malformed_mirror_update_stops_the_exercise(sync):
    fake = FakeSandbox()
    fake.judge.encode(np.random.default_rng(0))
    fake.send("rep", (True, 1, []), sync)
    assert stopped(fake).kind == "protocol"


def test_a_dict_the_judge_replies_with_crosses_by_value():
    class Box:  # a check's object with a public dict, lent to the sandbox
        def __init__(self):
            self.state = {"lr": 0.1}

        def __call__(self):
            return self.state

    box = Box()
    fake = FakeSandbox()
    handle = lend(fake, box)
    fake.send("req", ("getattr", [("y", handle), "state"], {}))
    fake.send("req", ("call", [("y", handle), ("t", []), ("d", [])], {}))
    fake.reply(None)
    fake.judge.request("define")
    replies = [body for kind, body, _ in fake.heard() if kind == "rep"]
    assert [r[1][0] for r in replies] == ["d", "d"]  # no mirror id the sandbox could update
    assert box.state == {"lr": 0.1}


@pytest.mark.parametrize("name, expected", [
    ("AttributeError", AttributeError), ("KeyError", KeyError), ("TypeError", TypeError),
    ("ValueError", ValueError), ("CheckFailed", RuntimeError), ("SystemExit", RuntimeError),
    ("StopIteration", RuntimeError),
])
def test_an_error_of_the_judges_object_keeps_the_class_student_code_may_catch(name, expected):
    """getattr(layer, "layers", None) on the check's layer gives None in the sandbox too."""
    from helpers.grading import sandbox

    error = sandbox._judge_error(("x", name, "no attribute 'layers'", 0))
    assert type(error) is expected
    assert f"the grader's function raised {name}" in str(error)
    assert getattr(_Raising(error), "layers", None) is None if expected is AttributeError else True


class _Raising:
    def __init__(self, error):
        self._error = error

    def __getattr__(self, name):
        raise self._error


# -- a judge's object's methods: fetched once by the sandbox, then only called ---------------
class _Counted(Linear):
    """A judge's layer whose class counts the sandbox's reads of its attributes."""

    reads: list = []

    def __getattribute__(self, name):
        if not name.startswith("_"):
            type(self).reads.append(name)
        return super().__getattribute__(name)


def test_the_sandbox_fetches_a_judges_method_once_and_then_only_calls_it():
    def trains(layer, x):
        outs = [layer.forward(x) for _ in range(5)]
        return outs, [layer.W.sum() for _ in range(3)]

    layer, x = _Counted(2, 3, rng=np.random.default_rng(0)), np.ones((4, 2))
    _Counted.reads.clear()
    outs, sums = served(trains).request("define")(layer, x)
    reads = list(_Counted.reads)
    assert all(np.allclose(out, x @ layer.W + layer.b) for out in outs)
    # one read of the method for five calls; an array attribute is read every time, since
    # its values change
    assert reads.count("forward") == 1 and reads.count("W") >= 3, reads


def test_an_attribute_of_the_judges_object_that_is_not_its_class_method_is_read_each_time():
    class Holder(Linear):
        pass

    holder = Holder(2, 3, rng=np.random.default_rng(0))
    holder.act = np.tanh  # an instance's own callable: the judge could rebind it
    calls = served(lambda h: [h.act(1.0) for _ in range(2)] + [h.forward(np.ones((1, 2)))])
    student = calls.request("define")
    first = student(holder)
    assert np.isclose(first[0], np.tanh(1.0))
    handles = calls.handles  # the judge's side: nothing cached there, ever
    assert handles.methods == {}
