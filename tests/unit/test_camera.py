"""Camera sources: files played at their frame rate, simulated scenarios, devices."""
from __future__ import annotations

import numpy as np
import pytest

from kiosk.capture import camera as cam
from kiosk.capture.base import CaptureError
from kiosk.capture.camera import DeviceCamera, FileCamera, SimulatedCamera, open_camera
from kiosk.cvcompat import cv2
from kiosk.quality.face import FaceAnalyzer


class VirtualClock:
    """Time that passes only when the camera code sleeps: the pacing is checked exactly, whatever
    the machine's speed."""

    def __init__(self) -> None:
        self.t = 1000.0
        self.slept: list[float] = []

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += max(0.0, seconds)


@pytest.fixture
def clock(monkeypatch):
    c = VirtualClock()
    monkeypatch.setattr(cam, "now", c.now)
    monkeypatch.setattr(cam, "_sleep", c.sleep)
    return c


@pytest.fixture(scope="module")
def analyzer():
    with FaceAnalyzer() as a:
        yield a


def _seq(folder, n=10, size=(64, 48)):
    folder.mkdir()
    for i in range(n):
        img = np.full((size[1], size[0], 3), i * 20, np.uint8)
        cv2.imwrite(str(folder / f"{i:04d}.png"), img)
    return folder


def test_image_folder_is_paced_to_its_frame_rate(tmp_path, clock):
    folder = _seq(tmp_path / "seq")
    with FileCamera(folder, fps=20, loop=False) as c:
        assert c.info.fps == 20 and (c.info.width, c.info.height) == (64, 48)
        t0 = clock.now()
        frames = []
        while (f := c.read()) is not None:
            frames.append(f)
        elapsed = clock.now() - t0
    assert [int(f.image[0, 0, 0]) for f in frames] == [i * 20 for i in range(10)]
    assert elapsed == pytest.approx(0.45)  # 9 periods of 50 ms, waited for, not busy-looped
    assert len(clock.slept) == 9
    gaps = np.diff([f.timestamp for f in frames])
    assert gaps == pytest.approx([0.05] * 9)
    assert all(f.image.dtype == np.uint8 and f.image.shape == (48, 64, 3) for f in frames)


def test_video_file_uses_its_own_frame_rate_and_loops(tmp_path, clock):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 25, (80, 60))
    for i in range(5):
        writer.write(np.full((60, 80, 3), 40 * i, np.uint8))
    writer.release()
    with FileCamera(path, loop=True) as c:
        assert c.info.fps == pytest.approx(25)
        frames = [c.read() for _ in range(12)]  # more than the file holds: it loops
    assert all(f is not None for f in frames)
    assert [f.index for f in frames] == list(range(12))
    assert np.diff([f.timestamp for f in frames]) == pytest.approx([0.04] * 11)
    with FileCamera(path, loop=False, paced=False) as c:
        n = 0
        while c.read() is not None:
            n += 1
    assert n == 5


def test_single_image_and_unpaced(tmp_path, clock):
    img = tmp_path / "one.png"
    cv2.imwrite(str(img), np.full((30, 40), 77, np.uint8))  # grey file -> BGR frames
    with FileCamera(img, fps=30, paced=False) as c:
        frames = [c.read() for _ in range(50)]
    assert clock.slept == []  # unpaced: never waits
    assert frames[-1].image.shape == (30, 40, 3) and int(frames[-1].image[0, 0, 2]) == 77


def test_unreadable_files(tmp_path):
    with pytest.raises(CaptureError) as e:
        FileCamera(tmp_path / "missing.mp4").open()
    assert e.value.message_key == "camera.file_unreadable"
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"nope")
    with pytest.raises(CaptureError):
        FileCamera(bad).open()


@pytest.mark.parametrize("scenario,faces,failure", [
    ("good", 1, None), ("none", 0, "no_face"), ("two", 2, "multiple_faces"),
    ("dark", 1, "too_dark"), ("blur", 1, "blurred"), ("far", 1, "too_far"),
])
def test_simulated_scenarios(analyzer, scenario, faces, failure):
    with SimulatedCamera(scenario, paced=False) as c:
        reports = [analyzer.analyze(c.read().image) for _ in range(3)]
    for r in reports:
        assert r.faces == faces, (scenario, r.to_dict())
        if failure is None:
            assert r.ok, r.to_dict()
        else:
            assert failure in r.failures


def test_simulated_tour_turns_both_ways(analyzer):
    c = SimulatedCamera("tour", paced=False)
    c.open()
    try:
        starts, t = {}, 0.0
        for duration, step in cam.TOUR:
            starts[tuple(sorted(step.items()))] = t + duration / 2
            t += duration
        right = analyzer.analyze(c.render(starts[(("yaw", 25.0),)]))
        left = analyzer.analyze(c.render(starts[(("yaw", -25.0),)]))
        good = analyzer.analyze(c.render(starts[()]))
    finally:
        c.close()
    assert right.yaw > 8 and "turn_right" in right.failures
    assert left.yaw < -8 and "turn_left" in left.failures
    assert good.ok


def test_simulated_camera_is_paced_and_moves(clock):
    with SimulatedCamera("good", fps=30) as c:
        t0 = clock.now()
        frames = [c.read() for _ in range(10)]
        elapsed = clock.now() - t0
    assert elapsed == pytest.approx(9 / 30)
    assert frames[0].image.shape == (480, 640, 3) and frames[0].image.dtype == np.uint8
    assert not np.array_equal(frames[0].image, frames[-1].image)  # a person is never still


def test_simulated_runs_without_test_extras():
    """The faces come from resources/sim, not from scikit-image or matplotlib."""
    from kiosk.resources import resource

    for fname, *_ in cam.SIM_FACES.values():
        p = resource("sim", fname)
        assert p.exists() and p.stat().st_size < 400_000
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(cam))
    imported = {n.names[0].name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import)}
    imported |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    assert not imported & {"skimage", "matplotlib", "PySide6"}


def test_unknown_scenario():
    with pytest.raises(CaptureError) as e:
        open_camera("simulated:party")
    assert e.value.message_key == "camera.bad_spec"


def test_device_with_a_bad_index():
    with pytest.raises(CaptureError) as e:
        DeviceCamera(97).open()
    assert e.value.message_key == "camera.not_found"


def test_device_by_name(tmp_path):
    for i, name in ((0, "Integrated Camera: Integrated C"), (2, "HD Pro Webcam C920")):
        (tmp_path / f"video{i}").mkdir()
        (tmp_path / f"video{i}" / "name").write_text(name + "\n")
    names = cam.linux_camera_names(str(tmp_path))
    assert names == {0: "Integrated Camera: Integrated C", 2: "HD Pro Webcam C920"}
    assert cam.resolve_device("HD Pro Webcam C920", names) == 2
    assert cam.resolve_device("c920", names) == 2
    with pytest.raises(CaptureError) as e:
        cam.resolve_device("Logitech Brio", names)
    assert e.value.message_key == "camera.not_found"


class _FakeCap:
    def __init__(self, frames):
        self.frames = frames
        self.released = False

    def read(self):
        if self.frames:
            return True, self.frames.pop(0)
        return False, None

    def release(self):
        self.released = True


def test_device_survives_unplug_and_replug(monkeypatch, clock):
    img = np.zeros((48, 64, 3), np.uint8)
    caps = [_FakeCap([img, img]), _FakeCap([img, img, img])]  # unplugged after 2 frames, then back
    d = DeviceCamera(0, reconnect_seconds=2.0)
    monkeypatch.setattr(d, "_open_capture", lambda: caps.pop(0) if caps else None)
    d.cap = d._open_capture()
    frames = [d.read() for _ in range(4)]
    assert all(f is not None for f in frames) and d.reconnects == 1


def test_device_gone_for_good_raises(monkeypatch, clock):
    d = DeviceCamera(0, reconnect_seconds=0.4)
    attempts = []
    monkeypatch.setattr(d, "_open_capture", lambda: attempts.append(clock.now()))
    d.cap = _FakeCap([])
    t0 = clock.now()
    with pytest.raises(CaptureError) as e:
        d.read()
    assert e.value.message_key == "camera.lost"
    # tried again with a growing back-off for the reconnect time, then gave up
    assert clock.now() - t0 == pytest.approx(0.4)
    assert [round(a - t0, 3) for a in attempts] == [0.1, 0.3, 0.4]


def test_open_camera_specs(tmp_path):
    assert isinstance(open_camera(""), SimulatedCamera) and open_camera("").scenario == "good"
    assert open_camera("simulated:two").scenario == "two"
    assert isinstance(open_camera("0"), DeviceCamera) and open_camera("0").device == 0
    assert isinstance(open_camera("device:USB Cam"), DeviceCamera)
    assert isinstance(open_camera("HD Pro Webcam C920"), DeviceCamera)
    f = tmp_path / "a.png"
    cv2.imwrite(str(f), np.zeros((10, 10, 3), np.uint8))
    assert isinstance(open_camera(str(f)), FileCamera)
    assert isinstance(open_camera(str(tmp_path / "seq" / "%04d.png")), FileCamera)
    c = open_camera("simulated", 320, 240, 15)
    assert (c.width, c.height, c.fps) == (320, 240, 15)
