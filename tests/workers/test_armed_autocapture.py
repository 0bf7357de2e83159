"""ArmedAutoCapture: the autocapture behind a preparation view sees no frame before Start."""
from __future__ import annotations

import threading

from kiosk.workers.capture import ArmedAutoCapture, document_autocapture


class Recording:
    """An autocapture that fires on the third frame it is fed and remembers what it saw."""

    steady_frames = 3

    def __init__(self):
        self.seen: list[int] = []

    def feed(self, frame, report):
        self.seen.append(frame)
        return f"shot{frame}" if len(self.seen) >= 3 else None


def test_nothing_reaches_the_autocapture_before_it_is_armed():
    inner = Recording()
    gate = ArmedAutoCapture(inner, armed=False)
    assert [gate.feed(i, None) for i in range(10)] == [None] * 10  # a perfect document, ten times
    assert inner.seen == [] and not gate.armed
    gate.arm()
    assert [gate.feed(i, None) for i in (10, 11, 12)] == [None, None, "shot12"]
    assert inner.seen == [10, 11, 12]  # only the frames after Start counted
    assert gate.steady_frames == 3  # the wrapped autocapture's own attributes read through


def test_armed_from_another_thread_and_armed_by_default():
    gate = ArmedAutoCapture(document_autocapture("id_front"), armed=False)
    t = threading.Thread(target=gate.arm)
    t.start()
    t.join()
    assert gate.armed and gate.run == 0
    assert ArmedAutoCapture(Recording()).armed  # no preparation view: counts at once
