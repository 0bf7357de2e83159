"""Bounded image decoding: the picture's size is read from its header before anything is decoded.

A 30000x30000 PNG is a few hundred kilobytes on disk and 2.7 GB once decoded (more with the
copies a face check makes): ``decode_image`` reads the width and height from the header (PNG,
JPEG, WebP, BMP, TIFF, PNM) and refuses a picture above ``MAX_PIXELS`` before OpenCV allocates
anything, refuses formats whose header it cannot read (fail closed), and turns ``cv2.error`` into
"unreadable". ``kiosk check`` (``kiosk.quality.face``) and the sandbox broker
(``kiosk.sandbox.media``) both call it. No Qt here.
"""
from __future__ import annotations

import struct

import numpy as np

from kiosk.cvcompat import cv2
from kiosk.errors import KioskError
from kiosk.i18n.digits import localize_digits
from kiosk.i18n.messages import t

MAX_PIXELS = 50_000_000  # ~50 megapixels: above any camera or scanner the kiosk meets
MAX_SIDE = 30_000
MAX_BYTES = 64 * 1024 * 1024  # an image file larger than this is refused before it is read



class ImageRefused(KioskError, ValueError):
    """An image that is not decoded. ``key``: ``image.unreadable``, ``image.too_large`` or
    ``image.file_too_large``; ``sentence(lang)`` in Persian or English."""

    def __init__(self, text: str, key: str = "image.unreadable", **fields: int):
        super().__init__(text)
        self.key, self.fields = key, fields
        self.message_key = key

    def sentence(self, lang: str = "fa") -> str:
        # sizes as written in the header (no thousands separators), in the language's digits
        return t(self.key, lang, **{k: localize_digits(v, lang) for k, v in self.fields.items()})


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i, n = 2, len(data)
    while i + 4 <= n:
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7:  # no length
            i += 2
            continue
        (length,) = struct.unpack(">H", data[i + 2:i + 4])
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):  # SOFn
            if i + 9 > n:
                return None
            height, width = struct.unpack(">HH", data[i + 5:i + 9])
            return width, height
        if length < 2:
            return None
        i += 2 + length
    return None


def _tiff_size(data: bytes) -> tuple[int, int] | None:
    order = "<" if data[:2] == b"II" else ">"
    try:
        (ifd,) = struct.unpack(order + "I", data[4:8])
        (count,) = struct.unpack(order + "H", data[ifd:ifd + 2])
        dims: dict[int, int] = {}
        for k in range(min(count, 512)):
            at = ifd + 2 + 12 * k
            tag, kind = struct.unpack(order + "HH", data[at:at + 4])
            if tag in (256, 257):
                fmt = order + ("H" if kind == 3 else "I")
                dims[tag] = struct.unpack(fmt, data[at + 8:at + 8 + struct.calcsize(fmt)])[0]
        return (dims[256], dims[257]) if len(dims) == 2 else None
    except (struct.error, KeyError):
        return None


def _pnm_size(data: bytes) -> tuple[int, int] | None:
    fields: list[int] = []
    for line in data[2:512].split(b"\n"):
        for word in line.split(b"#", 1)[0].split():
            if not word.isdigit():
                return None
            fields.append(int(word))
            if len(fields) == 2:
                return fields[0], fields[1]
    return None


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) from the header, or None when the format or header is not recognised."""
    head = bytes(data[:1 << 16])
    try:
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            return struct.unpack(">II", head[16:24])
        if head.startswith(b"\xff\xd8"):
            return _jpeg_size(head)
        if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
            chunk = head[12:16]
            if chunk == b"VP8 ":
                w, h = struct.unpack("<HH", head[26:30])
                return w & 0x3FFF, h & 0x3FFF
            if chunk == b"VP8L":
                b = int.from_bytes(head[21:25], "little")
                return (b & 0x3FFF) + 1, ((b >> 14) & 0x3FFF) + 1
            if chunk == b"VP8X":
                return int.from_bytes(head[24:27], "little") + 1, int.from_bytes(head[27:30], "little") + 1
            return None
        if head.startswith(b"BM"):
            w, h = struct.unpack("<ii", head[18:26])
            return abs(w), abs(h)
        if head[:4] in (b"II*\x00", b"MM\x00*"):
            return _tiff_size(head)
        if head[:1] == b"P" and head[1:2] in b"123456" and len(head) > 2:
            return _pnm_size(head)
    except struct.error:
        return None
    return None


def check_image_bytes(data: bytes, max_pixels: int = MAX_PIXELS, total: int | None = None) -> tuple[int, int]:
    """(width, height) of an image the kiosk may decode (``data``: the file, or at least its
    first 64 KiB; ``total``: the file's size when ``data`` is only its head); raises
    ``ImageRefused`` otherwise."""
    total = len(data) if total is None else total
    if total > MAX_BYTES:
        raise ImageRefused(f"the image file has {total} bytes (at most {MAX_BYTES})", "image.file_too_large")
    size = image_size(data)
    if size is None:
        raise ImageRefused("unreadable: not a PNG, JPEG, WebP, BMP, TIFF or PNM picture with a readable header")
    width, height = size
    if width <= 0 or height <= 0:
        raise ImageRefused(f"unreadable: the header gives {width}x{height}")
    if width * height > max_pixels or max(width, height) > MAX_SIDE:
        raise ImageRefused(f"the image is too large: {width}x{height} ({width * height / 1e6:.0f} megapixels, at most "
                           f"{max_pixels / 1e6:.0f})", "image.too_large", width=width, height=height)
    return width, height


def decode_image(data: bytes | bytearray | memoryview | np.ndarray, flags: int = cv2.IMREAD_COLOR,
                 max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Decode an image after its header passed ``check_image_bytes``; ``cv2.error`` or a failed
    decode is ``ImageRefused`` ("unreadable")."""
    buf = np.frombuffer(data, np.uint8) if not isinstance(data, np.ndarray) else data.reshape(-1).view(np.uint8)
    check_image_bytes(buf[:1 << 16].tobytes(), max_pixels, total=int(buf.size))
    try:
        image = cv2.imdecode(buf, flags)
    except cv2.error as exc:
        raise ImageRefused(f"unreadable: OpenCV could not decode it ({type(exc).__name__})") from None
    if image is None or image.size == 0:
        raise ImageRefused("unreadable: OpenCV could not decode it")
    return image


def read_image_file(path, flags: int = cv2.IMREAD_COLOR, max_pixels: int = MAX_PIXELS) -> np.ndarray:
    """Read and decode an image file with the same bounds (the file's size is checked first)."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ImageRefused(f"the image file is larger than {MAX_BYTES} bytes", "image.file_too_large")
    return decode_image(data, flags, max_pixels)
