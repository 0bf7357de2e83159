"""Pure measurements on images and landmarks (no models, no Qt): input normalisation, head pose
from mediapipe's facial transformation matrix, sharpness and light of the face region.

Sharpness is put on the broker's ``AverageSharpness`` scale (below 40: very blurred) as follows:
the face region (the landmarks' box, inner 80 % of its width) is converted to grey and resized to
``SHARPNESS_SIZE`` x ``SHARPNESS_SIZE`` (INTER_AREA), so the figure does not depend on how many
pixels the face has; the variance of its 3x3 Laplacian is the figure (``SHARPNESS_GAIN`` 1).
Calibration (table in ``kiosk/quality/README.md``): sharp real faces (astronaut, Grace Hopper,
and the simulated camera's renderings of them) give 200-1250; a Gaussian blur of sigma 3 px at
the normalised size (about 2 % of the face width) brings every one of them below 40, and the
softer astronaut crosses 40 at sigma 1.5.
"""
from __future__ import annotations

import math

import numpy as np

from kiosk.cvcompat import cv2
from kiosk.errors import KioskError

SHARPNESS_SIZE = 128
SHARPNESS_GAIN = 1.0
OVEREXPOSED_LEVEL = 247  # OFIQ: a face pixel at 247 or more is over-exposed


class ImageError(KioskError, ValueError):
    """The input is not a picture the checks can use (message says why)."""

    message_key = "quality.bad_image"


def to_bgr8(image) -> np.ndarray:
    """Any reasonable picture -> contiguous HxWx3 uint8 BGR.

    Accepts uint8/uint16/float (0-1) arrays with 1, 3 or 4 channels (or 2-D grey). Raises
    ``ImageError`` for anything else (None, empty, wrong shape, NaN)."""
    if image is None:
        raise ImageError("no image")
    arr = np.asarray(image)
    if arr.dtype == object or arr.size == 0:
        raise ImageError("empty image")
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise ImageError(f"unsupported image shape {arr.shape}; expected HxW, HxWx3 or HxWx4")
    if arr.dtype == np.uint8:
        pass
    elif arr.dtype == np.uint16:
        arr = (arr >> 8).astype(np.uint8)
    elif arr.dtype == bool:
        arr = arr.astype(np.uint8) * 255
    elif np.issubdtype(arr.dtype, np.floating):
        if not np.all(np.isfinite(arr)):
            raise ImageError("image has NaN or infinite values")
        top = float(arr.max()) if arr.size else 0.0
        scale = 255.0 if top <= 1.0 else 1.0
        arr = np.clip(arr * scale + 0.5, 0, 255).astype(np.uint8)
    elif np.issubdtype(arr.dtype, np.integer):
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    else:
        raise ImageError(f"unsupported pixel type {arr.dtype}")
    if arr.ndim == 2:
        arr = cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR)
    elif arr.shape[2] == 4:
        arr = cv2.cvtColor(arr, cv2.COLOR_BGRA2BGR)
    return np.ascontiguousarray(arr)


def _ray_alignment(t: np.ndarray) -> np.ndarray:
    """Rotation taking the direction camera->face onto the optical axis (0, 0, -1)."""
    norm = float(np.linalg.norm(t))
    if norm < 1e-9:
        return np.eye(3)
    a = t / norm
    b = np.array([0.0, 0.0, -1.0])
    v = np.cross(a, b)
    s = float(np.linalg.norm(v))
    c = float(a @ b)
    if s < 1e-9:
        return np.eye(3)
    vx = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
    return np.eye(3) + vx + vx @ vx * ((1 - c) / s**2)


#: share of the angle between the optical axis and the line of sight to the face that
#: ``pose_from_matrix`` takes off (calibrated in kiosk/quality/README.md, "Pitch zero"): mediapipe's
#: matrix already follows the face's appearance, so the same face anywhere in the frame reads the
#: same only when about a third of that angle is removed (all of it made a frontal face 80 px
#: above the centre read 6 degrees chin-up and 100 px aside 10 degrees of yaw)
VIEW_SHARE = 0.3


def pose_from_matrix(matrix, relative_to_view: bool = True,
                     view_share: float = VIEW_SHARE) -> tuple[float, float, float]:
    """(yaw, pitch, roll) in degrees from mediapipe's 4x4 facial transformation matrix.

    mediapipe's metric space has the camera at the origin looking down -Z with +Y up. Signs:
    yaw > 0 when the face turns towards the picture's right (the applicant's left, camera not
    mirrored); pitch > 0 when the chin goes down; roll > 0 when the face in the picture is
    rotated anticlockwise. With ``relative_to_view`` the angles are measured against the line
    from the camera to the face rather than the optical axis (a face high in the picture that
    looks into the lens is frontal): ``view_share`` of the rotation between the two is removed,
    the share with which a face looking into the lens reads the same wherever it is in the frame
    (``VIEW_SHARE``; 1 would remove the whole geometric angle)."""
    m = np.asarray(matrix, dtype=np.float64)
    rot = m[:3, :3]
    # remove any scale the geometry pipeline leaves in the matrix
    scale = np.linalg.norm(rot, axis=0)
    scale[scale < 1e-9] = 1.0
    rot = rot / scale
    if relative_to_view and view_share:
        turn = cv2.Rodrigues(_ray_alignment(m[:3, 3]))[0] * float(view_share)
        rot = cv2.Rodrigues(turn)[0] @ rot
    angles = cv2.RQDecomp3x3(rot)[0]
    pitch, yaw, roll = (float(a) for a in angles)
    return yaw, pitch, roll


def face_region(image: np.ndarray, box: tuple[float, float, float, float], inner: float = 0.8) -> np.ndarray | None:
    """The part of ``image`` inside ``box`` (x0, y0, x1, y1), keeping the inner ``inner`` of its
    width (drops background at the cheeks); None when nothing of it is in the picture."""
    h, w = image.shape[:2]
    x0, y0, x1, y1 = box
    cut = (x1 - x0) * (1 - inner) / 2
    xa, xb = int(max(0, math.floor(x0 + cut))), int(min(w, math.ceil(x1 - cut)))
    ya, yb = int(max(0, math.floor(y0))), int(min(h, math.ceil(y1)))
    if xb - xa < 4 or yb - ya < 4:
        return None
    return image[ya:yb, xa:xb]


def sharpness(region_bgr_or_grey: np.ndarray) -> float:
    """Sharpness of a face region on the broker's AverageSharpness scale (see module doc)."""
    g = region_bgr_or_grey
    if g.ndim == 3:
        g = cv2.cvtColor(g, cv2.COLOR_BGR2GRAY)
    g = cv2.resize(g, (SHARPNESS_SIZE, SHARPNESS_SIZE), interpolation=cv2.INTER_AREA)
    return float(cv2.Laplacian(g, cv2.CV_32F, ksize=1).var()) * SHARPNESS_GAIN


#: the directions (dx, dy) of ``blur_measures``, 22.5 degrees apart (to within 4 degrees)
DIRECTIONS = ((1, 0), (2, 1), (1, 1), (1, 2), (0, 1), (-1, 2), (-1, 1), (-2, 1))


def blur_measures(region_bgr_or_grey: np.ndarray) -> tuple[float, float, float]:
    """(weakest-direction sharpness, fine-detail ratio, anisotropy) of a face region: motion
    and soft blur.

    The region is normalised like ``sharpness`` (grey, ``SHARPNESS_SIZE`` square). For each of
    eight directions ``d`` 22.5 degrees apart, ``E_k(d)`` is the variance of the second
    difference ``f(x + k d) + f(x - k d) - 2 f(x)`` divided by ``(k |d|)^4`` (so that a smooth
    ramp gives the same figure at every step).

    * weakest-direction sharpness = min over d of ``E_1(d)``: a motion smear removes the detail
      along its direction and keeps the others, so the plain Laplacian stays high (it is the sum
      over directions) while this one drops;
    * fine-detail ratio = min over d of ``E_1(d) / E_2(d)``: how much detail there is at the
      finest scale compared with twice that scale, in the weakest direction. It does not depend
      on how textured or lit the face is (a smooth young face and a wrinkled one both give 2-4
      when sharp), and a soft (defocus, Gaussian) or smeared picture gives less (1.4-1.9);
    * anisotropy = min over d of ``E_1(d)`` / max over d: a short smear along the direction a
      face is already weakest in (horizontal, on a wrinkled face) leaves the weakest direction
      above the floor but far below the strongest (sharp faces 0.05-0.2, smeared 0.02-0.04).
    Calibration: ``kiosk/quality/README.md``."""
    g = region_bgr_or_grey
    if g.ndim == 3:
        g = cv2.cvtColor(g, cv2.COLOR_BGR2GRAY)
    f = cv2.resize(g, (SHARPNESS_SIZE, SHARPNESS_SIZE), interpolation=cv2.INTER_AREA).astype(np.float32)
    n, pad = SHARPNESS_SIZE, 4
    core2 = 2.0 * f[pad:n - pad, pad:n - pad]
    weakest = ratio = math.inf
    strongest = 0.0
    for dx, dy in DIRECTIONS:
        e = []
        for k in (1, 2):
            fwd = f[pad + k * dy:n - pad + k * dy, pad + k * dx:n - pad + k * dx]
            back = f[pad - k * dy:n - pad - k * dy, pad - k * dx:n - pad - k * dx]
            e.append(float((fwd + back - core2).var()) / float(k * k * (dx * dx + dy * dy)) ** 2)
        weakest, strongest = min(weakest, e[0]), max(strongest, e[0])
        ratio = min(ratio, e[0] / e[1] if e[1] > 1e-9 else 0.0)
    return weakest * SHARPNESS_GAIN, ratio, (weakest / strongest if strongest > 1e-9 else 0.0)


def light(region_bgr: np.ndarray) -> tuple[float, float]:
    """(illumination 0-1, over-exposed share 0-1) of a face region: mean luminance / 255 and the
    share of pixels at ``OVEREXPOSED_LEVEL`` or more (OFIQ's measures)."""
    g = cv2.cvtColor(region_bgr, cv2.COLOR_BGR2GRAY) if region_bgr.ndim == 3 else region_bgr
    return float(g.mean()) / 255.0, float(np.count_nonzero(g >= OVEREXPOSED_LEVEL)) / g.size


def full_frame_sharpness(image_bgr: np.ndarray) -> float:
    """The baseline's measure: Laplacian variance of the whole frame (for the benchmark only)."""
    g = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY)
    return float(cv2.Laplacian(g, cv2.CV_64F).var())


__all__ = ["ImageError", "to_bgr8", "pose_from_matrix", "face_region", "sharpness", "blur_measures", "light",
           "full_frame_sharpness", "SHARPNESS_SIZE"]
