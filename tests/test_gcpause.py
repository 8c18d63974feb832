import gc

import pytest

from xtalent.gcpause import collector_paused, pause_collector


def test_the_collector_is_paused_inside_and_back_on_after() -> None:
    assert gc.isenabled()
    with collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause leaves it to the outer one
    assert gc.isenabled()


def test_an_error_inside_still_turns_the_collector_back_on() -> None:
    with pytest.raises(RuntimeError):
        with collector_paused():
            raise RuntimeError("boom")
    assert gc.isenabled()


def test_a_collector_switched_off_by_the_caller_stays_off() -> None:
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_launch_pause_resumes_once_and_only_what_it_paused() -> None:
    resume = pause_collector()
    assert not gc.isenabled()
    with collector_paused():  # bulk work during the launch: still off after it
        pass
    assert not gc.isenabled()
    resume()
    assert gc.isenabled()
    gc.disable()
    try:
        resume()  # a second call does nothing: it does not undo someone else's pause
        assert not gc.isenabled()
    finally:
        gc.enable()
