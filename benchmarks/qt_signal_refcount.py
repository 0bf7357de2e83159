"""Does the installed PySide6 keep Python's reference counts right when signals are emitted?

PySide6 6.12.0 (shiboken6 6.12.0) drops one reference to ``True`` on every ``Signal.emit`` made
from Python, and references to ``None`` on queued deliveries to Python slots. In Python 3.11
``True`` and ``None`` are not immortal: once their count reaches zero the interpreter aborts
("Fatal Python error: bool_dealloc" / "none_dealloc"). A kiosk emitting signals all day (camera
frames, worker results) dies after a number of emits set by how many references the process
happened to hold. ``benchmarks/soak.py`` hit it after about 150 sessions.

    .venv/bin/python benchmarks/qt_signal_refcount.py     # exit 0: no drift; 1: drift (the bug)
"""
from __future__ import annotations

import gc
import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    import PySide6
    from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

    app = QCoreApplication.instance() or QCoreApplication([])

    class Direct(QObject):
        s = Signal(int, object)

    class Worker(QThread):
        done = Signal(int, object)

        def run(self):
            for i in range(200):
                self.done.emit(i, None)

    def counts():
        gc.collect()
        return sys.getrefcount(True), sys.getrefcount(None)

    o = Direct()
    o.s.connect(lambda *a: None)
    t0, n0 = counts()
    for i in range(200):
        o.s.emit(i, None)
    t1, n1 = counts()
    w = Worker()
    w.done.connect(lambda *a: None)
    w.start()
    w.wait()
    for _ in range(50):
        app.processEvents()
    t2, n2 = counts()
    report = {"pyside6": PySide6.__version__, "python": sys.version.split()[0],
              "direct_emit_true_drift_per_emit": (t1 - t0) / 200, "direct_emit_none_drift_per_emit": (n1 - n0) / 200,
              "queued_emit_true_drift_per_emit": (t2 - t1) / 200, "queued_emit_none_drift_per_emit": (n2 - n1) / 200}
    print(json.dumps(report, indent=1))
    bad = any(v < 0 for k, v in report.items() if k.endswith("per_emit"))
    os._exit(1 if bad else 0)  # skip finalisation: with the bug it may abort on the way out


if __name__ == "__main__":
    sys.exit(main())
