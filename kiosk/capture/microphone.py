"""Microphones: a real device through sounddevice (PortAudio), a WAV file played in real time,
and silence. No Qt here.

Every microphone delivers ``AudioChunk`` objects (float32, shape ``(n, channels)``) stamped with
``time.monotonic()`` of their first sample, the same clock the cameras use, through a bounded
queue: ``read(timeout)`` returns the next chunk or ``None`` when none came in time. When nobody
reads (a microphone opened early, before the countdown ends), the oldest chunks are dropped and
counted in ``info.extra["overruns"]``; the recorder trims whatever lies before its start anyway.

``open_microphone(spec, sample_rate)`` picks the microphone from the ``microphone.source``
setting:

* ``""`` or ``"simulated"``: a Persian voice (``resources/sounds/speech_fa.wav``) played in real
  time, looping;
* ``"silent"``: silence, in real time;
* ``"wav:<path>"`` or a path ending in ``.wav``: that file played in real time, looping;
  ``"wav-once:<path>"`` plays it once and then delivers silence;
* ``"default"``, a device index (``"3"``) or a part of a device name (``"pulse"``): a real input
  device through sounddevice.
"""
from __future__ import annotations

import logging
import math
import queue
import threading
from pathlib import Path

import numpy as np
import soundfile as sf

from kiosk.capture.base import AudioChunk, CaptureError, Microphone, SourceInfo, now
from kiosk.resources import resource

log = logging.getLogger(__name__)

SIMULATED_WAV = "speech_fa.wav"
CHUNK_SECONDS = 0.02  # 20 ms chunks from the simulated microphones (one Opus frame)
QUEUE_SECONDS = 10.0  # how much audio the queue holds before it drops the oldest chunks
WARMUP_SECONDS = 0.1  # a real device's first samples (often clicks or zeros) are dropped
LEVEL_FLOOR_DB = -60.0  # level() maps [-60 dBFS, 0 dBFS] onto [0, 1]


def dbfs(value: float) -> float:
    """Amplitude (1.0 = full scale) in dBFS, floored at -120."""
    return 20.0 * math.log10(value) if value > 1e-6 else -120.0


def level_of(samples: np.ndarray) -> float:
    """A level-meter value in 0-1: the RMS of ``samples`` in dBFS, with -60 dBFS -> 0 and
    0 dBFS -> 1 (what a VU meter with a 60 dB range shows)."""
    if samples.size == 0:
        return 0.0
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return float(min(1.0, max(0.0, (dbfs(rms) - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB)))


class _QueuedMicrophone(Microphone):
    """Shared part: the bounded queue, the level meter, errors raised on the next read."""

    def __init__(self, sample_rate: int):
        self.sample_rate = int(sample_rate)
        self.info = SourceInfo(kind="", name="", sample_rate=self.sample_rate, channels=1)
        self._queue: queue.Queue[AudioChunk] = queue.Queue(self._queue_size())
        self._level = 0.0
        self._peak = 0.0
        self._error: CaptureError | None = None
        self._overruns = 0
        self._lock = threading.Lock()

    def _queue_size(self) -> int:
        return max(8, int(QUEUE_SECONDS / CHUNK_SECONDS))

    def _push(self, chunk: AudioChunk) -> None:
        """Called from the producing thread (PortAudio callback or pacing thread)."""
        self._level = level_of(chunk.samples)
        peak = float(np.max(np.abs(chunk.samples))) if chunk.samples.size else 0.0
        self._peak = peak
        while True:
            try:
                self._queue.put_nowait(chunk)
                return
            except queue.Full:
                try:
                    self._queue.get_nowait()
                    with self._lock:
                        self._overruns += 1
                        self.info.extra["overruns"] = self._overruns
                except queue.Empty:
                    pass

    def _fail(self, error: CaptureError) -> None:
        if self._error is None:
            self._error = error

    def read(self, timeout: float = 0.5) -> AudioChunk | None:
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            pass
        if self._error is not None:
            raise self._error
        self._check_alive()
        try:
            return self._queue.get(timeout=max(0.0, timeout))
        except queue.Empty:
            if self._error is not None:
                raise self._error from None
            self._check_alive()
            return None

    def _check_alive(self) -> None:  # overridden by the device microphone
        pass

    def level(self) -> float:
        """The level meter, 0-1 (RMS of the newest chunk, -60..0 dBFS mapped linearly)."""
        return self._level

    def peak(self) -> float:
        """Largest |sample| of the newest chunk, 0-1."""
        return self._peak

    def drain(self) -> list[AudioChunk]:
        """Everything queued now, oldest first (does not block)."""
        out = []
        while True:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                return out


class _PacedMicrophone(_QueuedMicrophone):
    """A microphone that synthesises its samples and delivers them in real time from a thread:
    each 20 ms chunk is queued once its last sample 'has been heard', stamped with the monotonic
    time of its first sample, as a real device would."""

    def __init__(self, sample_rate: int):
        super().__init__(sample_rate)
        self._thread: threading.Thread | None = None
        self._stop = threading.Event()
        self._start_time = 0.0

    def _samples(self, start: int, count: int) -> np.ndarray:  # (count,) float32
        raise NotImplementedError

    def open(self) -> SourceInfo:
        if self._thread is not None:
            return self.info
        self._stop.clear()
        self._start_time = now()
        self._thread = threading.Thread(target=self._run, name=f"mic-{self.info.kind}", daemon=True)
        self._thread.start()
        return self.info

    def _run(self) -> None:
        chunk = max(1, int(round(self.sample_rate * CHUNK_SECONDS)))
        emitted = 0
        try:
            while not self._stop.is_set():
                first = self._start_time + emitted / self.sample_rate
                due = first + chunk / self.sample_rate
                wait = due - now()
                if wait > 0 and self._stop.wait(wait):
                    break
                samples = self._samples(emitted, chunk).astype(np.float32, copy=False).reshape(-1, 1)
                self._push(AudioChunk(samples=samples, timestamp=first, rate=self.sample_rate))
                emitted += chunk
        except Exception as exc:  # pragma: no cover - a bug in a sample generator
            log.exception("simulated microphone failed")
            self._fail(CaptureError(f"simulated microphone failed: {exc}", "microphone.failed"))

    def close(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
            self._thread = None


class SilentMicrophone(_PacedMicrophone):
    """Digital silence in real time (for tests and for kiosks with no microphone)."""

    def __init__(self, sample_rate: int = 48000):
        super().__init__(sample_rate)
        self.info.kind = "silent"
        self.info.name = "silence"

    def _samples(self, start: int, count: int) -> np.ndarray:
        return np.zeros(count, np.float32)


def resample(samples: np.ndarray, rate_in: int, rate_out: int) -> np.ndarray:
    """Resample a 1-D float signal with FFmpeg's libswresample (PyAV, a run-time dependency)."""
    if rate_in == rate_out or samples.size == 0:
        return samples.astype(np.float32, copy=False)
    import av  # noqa: PLC0415 - heavy (PyAV loads FFmpeg), only a sound at another rate needs it

    frame = av.AudioFrame.from_ndarray(
        np.ascontiguousarray(samples, dtype=np.float32).reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = int(rate_in)
    resampler = av.AudioResampler(format="flt", layout="mono", rate=int(rate_out))
    parts = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    parts += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(parts).astype(np.float32) if parts else np.zeros(0, np.float32)


def load_wav(path: str | Path, sample_rate: int) -> np.ndarray:
    """A WAV (or any file soundfile reads) as mono float32 at ``sample_rate``."""

    try:
        data, rate = sf.read(str(path), dtype="float32", always_2d=True)
    except Exception as exc:
        raise CaptureError(f"cannot read audio file {path}: {exc}", "microphone.file_unreadable") from exc
    mono = data.mean(axis=1) if data.shape[1] > 1 else data[:, 0]
    return resample(mono, int(rate), int(sample_rate))


class WavMicrophone(_PacedMicrophone):
    """Plays a sound file in real time as if it came from a microphone: resampled to the
    requested rate, mono; at the end it starts again (``loop=True``) or delivers silence."""

    def __init__(self, path: str | Path, sample_rate: int = 48000, loop: bool = True,
                 kind: str = "file", gain: float = 1.0):
        super().__init__(sample_rate)
        self.path = Path(path)
        self.loop = loop
        self.info.kind = kind
        self.info.name = self.path.name
        self._data = (load_wav(self.path, self.sample_rate) * float(gain)).astype(np.float32)
        if self._data.size == 0:
            raise CaptureError(f"audio file {path} is empty", "microphone.file_unreadable")
        self.info.extra.update(loop=loop, file_seconds=round(self._data.size / self.sample_rate, 3))

    def _samples(self, start: int, count: int) -> np.ndarray:
        n = self._data.size
        if not self.loop:
            out = np.zeros(count, np.float32)
            if start < n:
                part = self._data[start:start + count]
                out[:part.size] = part
            return out
        idx = (np.arange(start, start + count) % n)
        return self._data[idx]


class DeviceMicrophone(_QueuedMicrophone):
    """A real input device through sounddevice (PortAudio).

    ``device`` is a PortAudio index, a part of a device name (case-insensitive, first input
    device that matches) or ``None``/"default" for the system default. The granted rate and
    channel count are in ``info``. Chunks carry the monotonic time of their first sample,
    mapped from PortAudio's ``inputBufferAdcTime``; the first ~100 ms are dropped (warm-up).
    A device that disappears raises ``CaptureError`` on the next ``read``; ``close()`` stops the
    stream gracefully (PortAudio delivers the buffers already captured), and those chunks can
    still be read after ``close()``.
    """

    STALL_SECONDS = 1.0  # no callback for this long while open: the device is gone
    STARTUP_SECONDS = 3.0  # ... or, before the first callback, this long

    def __init__(self, device: int | str | None = None, sample_rate: int = 48000, channels: int = 1,
                 blocksize: int = 0, latency: str | float = "high"):
        super().__init__(sample_rate)
        self.device = device
        self.channels = channels
        self.blocksize = blocksize
        self.latency = latency
        self.info.kind = "device"
        self._stream = None
        self._warmup_left = 0
        self._last_callback = 0.0
        self._callbacks = 0
        self._closing = False
        self._samples_seen = 0

    @staticmethod
    def find_device(device: int | str | None) -> int | None:
        """PortAudio index of the input device named by ``device`` (index, name part, default)."""
        import sounddevice as sd  # noqa: PLC0415 - PortAudio may be missing (OSError on import); only a device microphone needs it

        if device is None or (isinstance(device, str) and device.strip().lower() in ("", "default")):
            return None
        try:
            devices = sd.query_devices()
        except Exception as exc:
            raise CaptureError(f"cannot list audio devices: {exc}", "microphone.not_found") from exc
        if isinstance(device, int) or (isinstance(device, str) and device.strip().isdigit()):
            index = int(device)
            if 0 <= index < len(devices) and devices[index]["max_input_channels"] > 0:
                return index
            raise CaptureError(f"no input device with index {index}", "microphone.not_found")
        want = str(device).strip().lower()
        for index, dev in enumerate(devices):
            if dev["max_input_channels"] > 0 and want in dev["name"].lower():
                return index
        raise CaptureError(f"no input device whose name contains {device!r}", "microphone.not_found")

    def open(self) -> SourceInfo:
        if self._stream is not None:
            return self.info
        try:
            import sounddevice as sd  # noqa: PLC0415 - PortAudio may be missing (OSError on import); only a device microphone needs it
        except OSError as exc:  # libportaudio2 missing
            raise CaptureError(f"PortAudio is not available: {exc}", "microphone.unavailable") from exc
        index = self.find_device(self.device)
        self._warmup_left = int(round(WARMUP_SECONDS * self.sample_rate))
        self._error = None
        self._closing = False
        self._callbacks = 0
        try:
            stream = sd.InputStream(device=index, samplerate=self.sample_rate, channels=self.channels,
                                    dtype="float32", blocksize=self.blocksize, latency=self.latency,
                                    callback=self._callback, finished_callback=self._finished)
            stream.start()
        except Exception as exc:
            raise CaptureError(f"cannot open the microphone: {exc}", "microphone.open_failed") from exc
        self._stream = stream
        self._last_callback = now()
        granted = int(round(stream.samplerate))
        self.sample_rate = granted
        try:
            name = sd.query_devices(stream.device)["name"]
        except Exception:  # noqa: BLE001 - the device name is cosmetic; fall back to its number
            name = str(stream.device)
        self.info.name = name
        self.info.sample_rate = granted
        self.info.channels = stream.channels
        self.info.extra.update(device_index=stream.device, latency=round(float(stream.latency), 4))
        log.info("microphone open: %s, %d Hz, %d channel(s)", name, granted, stream.channels)
        return self.info

    def _callback(self, indata, frames, time_info, status) -> None:
        arrived = now()
        self._last_callback = arrived
        self._callbacks += 1
        if status:
            self.info.extra["status"] = str(status)
        duration = frames / self.sample_rate
        first = arrived - duration
        try:  # PortAudio's stream clock -> monotonic: the same offset applies to both stamps
            adc, cur = float(time_info.inputBufferAdcTime), float(time_info.currentTime)
            if adc > 0 and cur > 0 and 0.0 <= cur - adc < 1.0:
                first = arrived - (cur - adc)
        except Exception:  # noqa: BLE001 - PortAudio's timing info is optional; the arrival time stands in
            pass
        samples = np.array(indata, dtype=np.float32, copy=True)
        if self._warmup_left > 0:
            skip = min(self._warmup_left, frames)
            self._warmup_left -= skip
            samples = samples[skip:]
            first += skip / self.sample_rate
            if samples.shape[0] == 0:
                return
        self._samples_seen += samples.shape[0]
        self._push(AudioChunk(samples=samples, timestamp=first, rate=self.sample_rate))

    def _finished(self) -> None:
        if not self._closing:
            self._fail(CaptureError("the microphone stopped delivering (disconnected?)", "microphone.lost"))

    def _check_alive(self) -> None:
        stream = self._stream
        if stream is None or self._closing:
            return
        if not stream.active:
            self._fail(CaptureError("the microphone stopped delivering (disconnected?)", "microphone.lost"))
        elif now() - self._last_callback > (self.STALL_SECONDS if self._callbacks else self.STARTUP_SECONDS):
            self._fail(CaptureError("the microphone has delivered nothing for a second", "microphone.lost"))
        if self._error is not None:
            raise self._error

    def close(self) -> None:
        stream, self._stream = self._stream, None
        if stream is None:
            return
        self._closing = True
        try:
            stream.stop()  # Pa_StopStream: buffers already captured are still delivered
        except Exception as exc:  # noqa: BLE001 - closing goes on whatever PortAudio raises; logged
            log.warning("microphone stop failed: %s", exc)
        finally:
            try:
                stream.close()
            except Exception:  # noqa: BLE001 - closing must not fail the caller
                pass


def open_microphone(spec: str = "", sample_rate: int = 48000) -> Microphone:
    """The microphone named by ``spec`` (see the module docstring); not opened yet."""
    spec = (spec or "").strip()
    low = spec.lower()
    if low in ("", "simulated"):
        return WavMicrophone(resource("sounds", SIMULATED_WAV), sample_rate, loop=True, kind="simulated")
    if low == "silent":
        return SilentMicrophone(sample_rate)
    if low.startswith("wav:"):
        return WavMicrophone(spec[4:], sample_rate, loop=True)
    if low.startswith("wav-once:"):
        return WavMicrophone(spec[9:], sample_rate, loop=False)
    if low.endswith((".wav", ".flac", ".ogg")):
        return WavMicrophone(spec, sample_rate, loop=True)
    return DeviceMicrophone(None if low == "default" else spec, sample_rate)


__all__ = ["open_microphone", "DeviceMicrophone", "WavMicrophone", "SilentMicrophone", "level_of",
           "dbfs", "load_wav", "resample"]
