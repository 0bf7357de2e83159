"""Camera sources (no Qt): a real device through OpenCV, a file played as a camera, and a
simulated camera that shows real faces with scripted defects.

``open_camera(spec, width, height, fps)`` picks one from a spec string:

* ``""`` or ``"simulated"``: the simulated camera, scenario "good";
* ``"simulated:<scenario>"``: a scripted scenario (see ``SCENARIOS``); ``card``, ``card_back`` and
  ``signature`` show the national card (front, back) or a signed sheet on a desk instead of a face;
* ``"0"``, ``"1"``, ...: an OpenCV device index; ``"device:<name>"`` or any other word: a device
  by name (on Linux, ``/sys/class/video4linux/*/name``);
* a path: a video file, an image, a folder of images, or an OpenCV sequence pattern
  (``seq/%04d.png``), played at its frame rate and looping.

Every source returns ``kiosk.capture.base.Frame`` (BGR uint8, ``time.monotonic()`` timestamp),
paced to the frame rate (OpenCV reads files as fast as it can; the pacing is done here). Errors
are ``CaptureError`` with a ``message_key`` from ``SENTENCES``.
"""
from __future__ import annotations

import glob
import logging
import math
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

from kiosk.capture.base import CameraSource, CaptureError, Frame, SourceInfo, now
from kiosk.capture.simdocs import DocumentScene
from kiosk.cvcompat import cv2
from kiosk.i18n.messages import section
from kiosk.resources import resource

log = logging.getLogger(__name__)

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp", ".pgm", ".ppm"}
VIDEO_SUFFIXES = {".mp4", ".webm", ".mkv", ".avi", ".mov", ".m4v", ".mpg", ".mpeg", ".ogv", ".y4m", ".gif"}

#: This module's sentences, kept in the one catalogue (``kiosk.i18n.messages``).
SENTENCES: dict[str, dict[str, str]] = section("camera.")


def _bgr8(image: np.ndarray) -> np.ndarray:
    """Decoded picture -> HxWx3 uint8 BGR."""
    if image.dtype == np.uint16:
        image = (image >> 8).astype(np.uint8)
    elif image.dtype != np.uint8:
        image = np.clip(image, 0, 255).astype(np.uint8)
    if image.ndim == 2:
        return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_BGRA2BGR)
    if image.shape[2] == 1:
        return cv2.cvtColor(image[:, :, 0], cv2.COLOR_GRAY2BGR)
    return np.ascontiguousarray(image)


def _sleep(seconds: float) -> None:
    """``time.sleep``, looked up here so that tests can run the pacing on a virtual clock."""
    time.sleep(seconds)


class _Pacer:
    """Hands out frame times on a fixed grid of 1/fps from the first frame; sleeps until each is
    due. When the reader falls more than a frame behind, the grid restarts (no burst)."""

    def __init__(self, fps: float, sleep: Callable[[float], None] | None = None):
        self.period = 1.0 / fps if fps > 0 else 0.0
        self.next: float | None = None
        self.sleep = sleep or _sleep

    def wait(self) -> float:
        t = now()
        if self.period <= 0:
            return t
        if self.next is None or t - self.next > self.period:
            self.next = t
        delay = self.next - t
        if delay > 0:
            self.sleep(delay)
        stamp = max(now(), self.next)
        self.next += self.period
        return stamp


# -- devices ---------------------------------------------------------------------------------
def linux_camera_names(root: str = "/sys/class/video4linux") -> dict[int, str]:
    """index -> name of the V4L2 devices (empty on other systems or without devices)."""
    names: dict[int, str] = {}
    for entry in sorted(glob.glob(os.path.join(root, "video*"))):
        try:
            index = int(os.path.basename(entry)[5:])
            names[index] = Path(entry, "name").read_text("utf-8", "replace").strip()
        except (ValueError, OSError):
            continue
    return names


def resolve_device(name: str, names: dict[int, str] | None = None) -> int:
    """The device index of a camera called ``name`` (exact, then case-insensitive substring)."""
    names = linux_camera_names() if names is None else names
    for index, n in sorted(names.items()):
        if n == name:
            return index
    for index, n in sorted(names.items()):
        if name.lower() in n.lower():
            return index
    known = ", ".join(f"{i}: {n}" for i, n in sorted(names.items())) or "none"
    raise CaptureError(f"no camera named {name!r} (cameras: {known})", "camera.not_found")


class DeviceCamera(CameraSource):
    """A camera by OpenCV index or by name. Requests ``width``x``height`` at ``fps`` and reports
    what was granted in ``info``. When a read fails (unplugged), it tries to reopen the device
    with back-off for ``reconnect_seconds`` before raising ``CaptureError("camera.lost")``."""

    def __init__(self, device: int | str, width: int = 640, height: int = 480, fps: float = 30.0,
                 reconnect_seconds: float = 5.0):
        self.device = device
        self.width, self.height, self.fps = int(width), int(height), float(fps)
        self.reconnect_seconds = float(reconnect_seconds)
        self.cap = None
        self.index = 0
        self.info = SourceInfo("device", str(device))
        self.reconnects = 0

    def _open_capture(self):
        api = cv2.CAP_V4L2 if sys.platform.startswith("linux") else cv2.CAP_ANY
        cap = cv2.VideoCapture(self.index, api)
        if not cap.isOpened():
            cap.release()
            return None
        cap.set(cv2.CAP_PROP_FOURCC, cv2.VideoWriter.fourcc(*"MJPG"))
        cap.set(cv2.CAP_PROP_FRAME_WIDTH, self.width)
        cap.set(cv2.CAP_PROP_FRAME_HEIGHT, self.height)
        cap.set(cv2.CAP_PROP_FPS, self.fps)
        return cap

    def open(self) -> SourceInfo:
        if isinstance(self.device, str) and not self.device.strip().lstrip("-").isdigit():
            self.index = resolve_device(self.device)
        else:
            self.index = int(self.device)
        if self.index < 0:
            raise CaptureError(f"camera index {self.index} is not valid", "camera.not_found")
        self.cap = self._open_capture()
        if self.cap is None:
            raise CaptureError(f"camera {self.device!r} (index {self.index}) could not be opened", "camera.not_found")
        w = int(self.cap.get(cv2.CAP_PROP_FRAME_WIDTH) or 0)
        h = int(self.cap.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0)
        fps = float(self.cap.get(cv2.CAP_PROP_FPS) or 0.0)
        names = linux_camera_names()
        self.info = SourceInfo("device", names.get(self.index, f"camera {self.index}"), w, h, fps or self.fps,
                               extra={"index": self.index, "requested": [self.width, self.height, self.fps]})
        return self.info

    def _reconnect(self) -> bool:
        if self.cap is not None:
            self.cap.release()
            self.cap = None
        deadline = now() + self.reconnect_seconds
        delay = 0.1
        while now() < deadline:
            _sleep(min(delay, max(0.0, deadline - now())))
            delay = min(delay * 2, 1.0)
            cap = self._open_capture()
            if cap is not None:
                ok, _ = cap.read()
                if ok:
                    self.cap = cap
                    self.reconnects += 1
                    log.warning("camera %s reconnected", self.index)
                    return True
                cap.release()
        return False

    def read(self) -> Frame | None:
        if self.cap is None:
            raise CaptureError("camera is not open", "camera.open_failed")
        ok, image = self.cap.read()
        if not ok or image is None:
            log.warning("camera %s stopped delivering; trying to reconnect", self.index)
            if not self._reconnect():
                raise CaptureError(f"camera {self.index} stopped delivering frames", "camera.lost")
            ok, image = self.cap.read()
            if not ok or image is None:
                raise CaptureError(f"camera {self.index} stopped delivering frames", "camera.lost")
        self._count = getattr(self, "_count", 0) + 1
        return Frame(_bgr8(image), now(), self._count - 1)

    def close(self) -> None:
        if self.cap is not None:
            self.cap.release()
            self.cap = None


# -- files -----------------------------------------------------------------------------------
class FileCamera(CameraSource):
    """A video file, an image, a folder of images or an OpenCV sequence pattern played as a
    camera at its own frame rate (``fps`` when the file has none, or for images), looping when
    ``loop``. ``paced=False`` hands frames out as fast as they are read (tests, benchmarks)."""

    def __init__(self, path: str | Path, fps: float | None = None, loop: bool = True, paced: bool = True):
        self.path = str(path)
        self.fps = fps
        self.loop = loop
        self.paced = paced
        self.cap: cv2.VideoCapture | None = None
        self.images: list[np.ndarray] | None = None
        self.pos = 0
        self.count = 0
        self.info = SourceInfo("file", Path(self.path).name)
        self._pacer: _Pacer | None = None

    def _open_video(self) -> cv2.VideoCapture:
        cap = cv2.VideoCapture(self.path)
        if not cap.isOpened():
            cap.release()
            raise CaptureError(f"cannot open {Path(self.path).name} as a video", "camera.file_unreadable")
        return cap

    def open(self) -> SourceInfo:
        p = Path(self.path)
        if "%" not in self.path and not p.exists():
            raise CaptureError(f"camera file {p.name} does not exist", "camera.file_unreadable")
        if p.is_dir():
            files = sorted(f for f in p.iterdir() if f.suffix.lower() in IMAGE_SUFFIXES)
            self.images = [self._load(f) for f in files]
            if not self.images:
                raise CaptureError(f"folder {p.name} has no images", "camera.file_unreadable")
        elif p.suffix.lower() in IMAGE_SUFFIXES and "%" not in self.path:
            self.images = [self._load(p)]
        if self.images is not None:
            fps = float(self.fps or 30.0)
            h, w = self.images[0].shape[:2]
        else:
            self.cap = cap = self._open_video()
            fps = float(self.fps or cap.get(cv2.CAP_PROP_FPS) or 30.0)
            if not (0 < fps <= 240):
                fps = 30.0
            w = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH) or 0)
            h = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT) or 0)
        self.fps = fps
        self._pacer = _Pacer(fps if self.paced else 0.0)
        self.info = SourceInfo("file", p.name, w, h, fps, extra={"loop": self.loop})
        return self.info

    @staticmethod
    def _load(path: Path) -> np.ndarray:
        data = np.fromfile(str(path), dtype=np.uint8)
        image = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
        if image is None:
            raise CaptureError(f"{path.name} is not a picture", "camera.file_unreadable")
        return _bgr8(image)

    def _next_image(self) -> np.ndarray | None:
        if self.images is not None:
            if self.pos >= len(self.images):
                if not self.loop:
                    return None
                self.pos = 0
            image = self.images[self.pos]
            self.pos += 1
            return image
        if self.cap is None:
            raise CaptureError("camera file is not open", "camera.open_failed")
        ok, image = self.cap.read()
        if not ok:
            if not self.loop or self.count == 0:
                return None
            self.cap.release()
            self.cap = cap = self._open_video()
            ok, image = cap.read()
            if not ok:
                return None
        return _bgr8(image)

    def read(self) -> Frame | None:
        if self._pacer is None:
            raise CaptureError("camera file is not open", "camera.open_failed")
        image = self._next_image()
        if image is None:
            return None
        stamp = self._pacer.wait()
        self.count += 1
        return Frame(image, stamp, self.count - 1)

    def close(self) -> None:
        if self.cap is not None:
            self.cap.release()
            self.cap = None
        self.images = None
        self._pacer = None


# -- simulated -------------------------------------------------------------------------------
#: face pictures shipped in resources/sim: crop (x0, y0, x1, y1) around the head, eye distance
#: in the source pixels, and the face centre in the source
SIM_FACES = {
    "astronaut": ("astronaut.jpg", (135, 15, 315, 235), 42.6, (225.0, 125.0)),
    "grace_hopper": ("grace_hopper.jpg", (110, 55, 415, 420), 83.7, (262.0, 233.0)),
}
SCENARIOS = ("good", "tour", "dark", "blur", "far", "none", "two", "card", "card_back", "signature")
#: scenarios that show a document instead of a face (``kiosk.capture.simdocs``)
DOCUMENT_SCENARIOS = ("card", "card_back", "signature")
#: the "tour": (seconds, state) steps cycled in order; every defect, then a good face
TOUR: tuple[tuple[float, dict[str, float]], ...] = (
    (2.0, {"eye": 45.0}),  # too far
    (2.0, {"dx": 0.32}),  # off-centre
    (2.0, {"yaw": 25.0}),  # turned to the picture's right
    (2.0, {"yaw": -25.0}),  # turned to the picture's left
    (2.0, {"roll": 14.0}),  # tilted
    (2.0, {"light": 0.22}),  # dark
    (2.0, {"blur": 4.0}),  # blurred
    (2.0, {"faces": 0}),  # nobody
    (2.0, {"faces": 2}),  # two people
    (4.0, {}),  # good
)
GOOD_EYE_PX = 112.0  # eye distance of the "good" face at 480 lines (above the 90 px threshold)


class SimulatedCamera(CameraSource):
    """Real faces (astronaut, Grace Hopper; ``resources/sim``) composited on a wall, moving a
    little, turned (yaw: the face wrapped on a turning cylinder, a horizontal squeeze and shift), tilted, dimmed and blurred over time
    by ``scenario``. The scene clock is ``frame index / fps`` so a scenario is reproducible;
    frames are paced to ``fps`` (``paced=False``: as fast as they are made)."""

    def __init__(self, scenario: str = "good", width: int = 640, height: int = 480, fps: float = 30.0,
                 face: str = "astronaut", paced: bool = True, seed: int = 0):
        if scenario not in SCENARIOS:
            raise CaptureError(f"unknown simulated scenario {scenario!r}; known: {', '.join(SCENARIOS)}",
                               "camera.bad_spec")
        if face not in SIM_FACES:
            raise CaptureError(f"unknown simulated face {face!r}", "camera.bad_spec")
        self.scenario = scenario
        self.width, self.height, self.fps = int(width), int(height), float(fps)
        self.face = face
        self.paced = paced
        self.seed = seed
        self.count = 0
        self._pacer: _Pacer | None = None
        self._sources: dict[str, tuple[np.ndarray, np.ndarray, float, tuple[float, float]]] = {}
        self._sprites: dict = {}
        self._wall: np.ndarray | None = None
        self._document: DocumentScene | None = None  # for the document scenarios
        self.info = SourceInfo("simulated", f"simulated:{scenario}", self.width, self.height, self.fps)

    # scene ---------------------------------------------------------------------------------
    def _load_faces(self) -> None:
        for name, (fname, (x0, y0, x1, y1), eye, centre) in SIM_FACES.items():
            path = resource("sim", fname)
            data = np.fromfile(str(path), dtype=np.uint8) if path.exists() else np.zeros(0, np.uint8)
            image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
            if image is None:
                raise CaptureError(f"simulated camera picture {fname} is missing", "camera.file_unreadable")
            crop = image[y0:y1, x0:x1].astype(np.float32)
            h, w = crop.shape[:2]
            mask: np.ndarray = np.zeros((h, w), np.float32)
            cv2.ellipse(mask, (w // 2, h // 2), (int(w * 0.45), int(h * 0.47)), 0, 0, 360, 1.0, -1)
            mask = cv2.GaussianBlur(mask, (0, 0), max(2.0, w * 0.03))
            self._sources[name] = (crop, mask, eye, (centre[0] - x0, centre[1] - y0))

    def _make_wall(self) -> np.ndarray:
        h, w = self.height, self.width
        ys = np.linspace(0, 1, h, dtype=np.float32)[:, None]
        xs = np.linspace(0, 1, w, dtype=np.float32)[None, :]
        base: np.ndarray = 150 + 40 * (1 - ys) + 10 * xs
        wall = np.stack([base * 0.92, base * 0.97, base], axis=-1)
        rng = np.random.default_rng(self.seed)
        wall = wall + rng.normal(0, 3.0, wall.shape).astype(np.float32)
        wall = cv2.GaussianBlur(wall, (0, 0), 1.0)
        # a door frame and a poster give the background some edges, as a branch wall has
        cv2.rectangle(wall, (int(w * 0.04), int(h * 0.1)), (int(w * 0.16), h), (95, 110, 125), -1)
        cv2.rectangle(wall, (int(w * 0.80), int(h * 0.15)), (int(w * 0.95), int(h * 0.45)), (70, 120, 170), -1)
        return wall

    def state(self, t: float) -> dict:
        """The scene at scene time ``t`` (seconds): faces, eye distance, offsets, pose, light, blur."""
        s = {"faces": 1, "eye": GOOD_EYE_PX * self.height / 480.0, "dx": 0.0, "dy": 0.0, "yaw": 0.0,
             "roll": 0.0, "light": 1.0, "blur": 0.0}
        s["dx"] += 0.006 * math.sin(2 * math.pi * t / 3.7)  # a person is never quite still
        s["dy"] += 0.004 * math.sin(2 * math.pi * t / 2.9)
        if self.scenario == "dark":
            s["light"] = 0.22
        elif self.scenario == "blur":
            s["blur"] = 4.0
        elif self.scenario == "far":
            s["eye"] = 45.0 * self.height / 480.0
        elif self.scenario == "none":
            s["faces"] = 0
        elif self.scenario == "two":
            s["faces"] = 2
        elif self.scenario == "tour":
            period = sum(d for d, _ in TOUR)
            u = t % period
            for duration, step in TOUR:
                if u < duration:
                    s.update(step)
                    if "eye" in step:
                        s["eye"] = step["eye"] * self.height / 480.0
                    break
                u -= duration
        return s

    def _sprite(self, name: str, eye: float, yaw: float, roll: float):
        key = (name, round(eye, 1), round(yaw, 2), round(roll, 1))
        hit = self._sprites.get(key)
        if hit is not None:
            return hit
        crop, mask, src_eye, (cx, cy) = self._sources[name]
        scale = eye / src_eye
        h, w = crop.shape[:2]
        sw, sh = max(4, int(round(w * scale))), max(4, int(round(h * scale)))
        img = cv2.resize(crop, (sw, sh), interpolation=cv2.INTER_AREA if scale < 1 else cv2.INTER_CUBIC)
        m = cv2.resize(mask, (sw, sh), interpolation=cv2.INTER_LINEAR)
        cx, cy = cx * scale, cy * scale
        if abs(yaw) > 1e-3:
            # a turned head: the face is wrapped on a vertical cylinder (radius ~ half a face
            # width) and the cylinder is turned; the side turning away is squeezed and the nose
            # shifts towards it, which is what the landmarker reads as yaw
            phi = math.radians(max(-60.0, min(60.0, yaw)))
            r = 1.25 * eye
            xs = np.arange(sw, dtype=np.float32) - cx
            u = np.clip(xs / r, -1.0, 1.0)
            theta = np.arcsin(u) - phi
            visible = (np.abs(xs) < r) & (np.abs(theta) < math.pi / 2)
            src_x = np.where(visible, cx + r * np.sin(theta), -1.0).astype(np.float32)
            map_x = np.repeat(src_x[None, :], sh, axis=0)
            map_y = np.repeat(np.arange(sh, dtype=np.float32)[:, None], sw, axis=1)
            img = cv2.remap(img, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
            m = cv2.remap(m, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
            m[:, ~visible] = 0.0
        if abs(roll) > 1e-3:
            R = cv2.getRotationMatrix2D((cx, cy), roll, 1.0)
            img = cv2.warpAffine(img, R, (sw, sh), flags=cv2.INTER_LINEAR)
            m = cv2.warpAffine(m, R, (sw, sh), flags=cv2.INTER_LINEAR)
        sprite = (img, m[:, :, None], cx, cy)
        if len(self._sprites) > 64:
            self._sprites.clear()
        self._sprites[key] = sprite
        return sprite

    def _paste(self, canvas: np.ndarray, sprite, px: float, py: float) -> None:
        img, m, cx, cy = sprite
        H, W = canvas.shape[:2]
        x0, y0 = int(round(px - cx)), int(round(py - cy))
        sh, sw = img.shape[:2]
        xa, ya, xb, yb = max(0, x0), max(0, y0), min(W, x0 + sw), min(H, y0 + sh)
        if xa >= xb or ya >= yb:
            return
        s_img = img[ya - y0:yb - y0, xa - x0:xb - x0]
        s_m = m[ya - y0:yb - y0, xa - x0:xb - x0]
        region = canvas[ya:yb, xa:xb]
        region += (s_img - region) * s_m

    def render(self, t: float) -> np.ndarray:
        """The picture at scene time ``t`` (BGR uint8)."""
        if self.scenario in DOCUMENT_SCENARIOS:
            if self._document is None:
                self._document = DocumentScene(self.scenario, self.width, self.height, self.seed)
            return self._document.render(t)
        if not self._sources:
            self._load_faces()
        if self._wall is None:
            self._wall = self._make_wall()
        s = self.state(t)
        canvas = self._wall.copy()
        W, H = self.width, self.height
        if s["faces"] == 1:
            sprite = self._sprite(self.face, s["eye"], s["yaw"], s["roll"])
            self._paste(canvas, sprite, W * (0.5 + s["dx"]), H * (0.44 + s["dy"]))
        elif s["faces"] >= 2:
            eye = s["eye"] * 0.55
            other = "grace_hopper" if self.face == "astronaut" else "astronaut"
            self._paste(canvas, self._sprite(self.face, eye, 0.0, 0.0), W * (0.28 + s["dx"]), H * 0.5)
            self._paste(canvas, self._sprite(other, eye, 0.0, 0.0), W * 0.72, H * (0.5 + s["dy"]))
        if s["light"] != 1.0:
            canvas *= s["light"]
        if s["blur"] > 0:
            canvas = cv2.GaussianBlur(canvas, (0, 0), s["blur"])
        return np.clip(canvas, 0, 255).astype(np.uint8)

    # CameraSource ---------------------------------------------------------------------------
    def open(self) -> SourceInfo:
        if self.scenario not in DOCUMENT_SCENARIOS:
            self._load_faces()
            self._wall = self._make_wall()
        self._pacer = _Pacer(self.fps if self.paced else 0.0)
        self.count = 0
        self.info = SourceInfo("simulated", f"simulated:{self.scenario}", self.width, self.height, self.fps,
                               extra={"scenario": self.scenario, "face": self.face})
        return self.info

    def read(self) -> Frame | None:
        if self._pacer is None:
            raise CaptureError("simulated camera is not open", "camera.open_failed")
        image = self.render(self.count / self.fps)
        stamp = self._pacer.wait()
        self.count += 1
        return Frame(image, stamp, self.count - 1)

    def close(self) -> None:
        self._pacer = None
        self._sprites.clear()


# -- spec ------------------------------------------------------------------------------------
def open_camera(spec: str = "", width: int = 640, height: int = 480, fps: float = 30.0) -> CameraSource:
    """A camera for ``spec`` (see the module docstring). The source is returned unopened: use it
    as a context manager (or call ``open()``)."""
    spec = (spec or "").strip()
    if spec in ("", "simulated"):
        return SimulatedCamera("good", width, height, fps)
    if spec.startswith("simulated:"):
        return SimulatedCamera(spec.split(":", 1)[1].strip() or "good", width, height, fps)
    if spec.startswith("device:"):
        return DeviceCamera(spec.split(":", 1)[1], width, height, fps)
    if spec.lstrip("-").isdigit():
        return DeviceCamera(int(spec), width, height, fps)
    if spec.startswith("file:"):
        spec = spec[5:]
    p = Path(spec).expanduser()
    if "%" in spec or p.exists() or p.suffix.lower() in IMAGE_SUFFIXES | VIDEO_SUFFIXES or os.sep in spec:
        return FileCamera(p if "%" not in spec else spec, fps=None, loop=True)
    return DeviceCamera(spec, width, height, fps)


__all__ = ["open_camera", "DeviceCamera", "FileCamera", "SimulatedCamera", "SCENARIOS", "DOCUMENT_SCENARIOS",
           "SENTENCES",
           "linux_camera_names", "resolve_device"]
