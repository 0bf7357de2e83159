"""Small real WebM files (VP8 + Opus, PyAV) for tests and the soak benchmark: one picture held
for ``seconds`` and a sound track the sandbox and the speech checks can measure."""
from __future__ import annotations

import io

import numpy as np

RATE = 48000


def sound(kind: str, seconds: float) -> np.ndarray:
    """Mono float32 at 48 kHz: "speech-like" (a 220 Hz tone swelling 3 times a second, as a voice
    comes and goes), "sine" (a steady tone with a little noise), "silent"."""
    n = int(RATE * seconds)
    t = np.arange(n) / RATE
    if kind == "speech-like":
        wave = 0.3 * np.sin(2 * np.pi * 220 * t) * (1 + np.sin(2 * np.pi * 3 * t)) / 2
    elif kind == "sine":
        wave = 0.3 * np.sin(2 * np.pi * 220 * t) + 0.05 * np.random.default_rng(7).standard_normal(n)
    elif kind == "silent":
        wave = np.zeros(n)
    else:
        raise ValueError(f"unknown sound {kind!r}")
    return wave.astype(np.float32)


def encode_webm(frame_rgb: np.ndarray, seconds: float, fps: int = 10, audio: str | None = "speech-like",
                fast: bool = False) -> bytes:
    """A WebM of ``frame_rgb`` (H x W x 3 RGB, even sides) for ``seconds`` at ``fps``, with the
    ``sound(audio)`` track as Opus (``audio=None``: no audio track). ``fast``: VP8 realtime."""
    import av

    h, w = frame_rgb.shape[:2]
    frame_rgb = np.ascontiguousarray(frame_rgb)
    buf = io.BytesIO()
    with av.open(buf, "w", format="webm") as out:
        vs = out.add_stream("libvpx", rate=fps)
        vs.width, vs.height, vs.pix_fmt = w, h, "yuv420p"
        if fast:
            vs.options = {"deadline": "realtime", "cpu-used": "8"}
        aus = out.add_stream("libopus", rate=RATE) if audio else None
        if aus is not None:
            aus.layout = "mono"
        for i in range(int(round(seconds * fps))):
            f = av.VideoFrame.from_ndarray(frame_rgb, format="rgb24")
            f.pts = i
            for p in vs.encode(f):
                out.mux(p)
        for p in vs.encode():
            out.mux(p)
        if aus is not None:
            wave = sound(audio, seconds)
            for k in range(0, len(wave) - 959, 960):
                af = av.AudioFrame.from_ndarray(wave[None, k:k + 960].copy(), format="flt", layout="mono")
                af.sample_rate = RATE
                af.pts = k
                for p in aus.encode(af):
                    out.mux(p)
            for p in aus.encode():
                out.mux(p)
    return buf.getvalue()
