"""The controller's view of the flow: which page, which steps, how many tries are left.

``kiosk.core.flow`` (Qt-free) is the state machine; this bridge maps the controller's calls onto
it. The steps offered are exactly those the provider's permissions allow (method 5): signature
(SignaturePermission), ID card front/back (PersonDocumentTypePermission 101/102), selfie
(SelfiePermission, SelfieTryCount tries), selfie video (VideoPermission, VideoTryCount tries),
admittance video (AdmittancePermission, VideoTryCount tries).
"""
from __future__ import annotations

ORDER = ("signature", "id_front", "id_back", "selfie", "selfie_video", "admittance_video")


def _get(props, snake: str, pascal: str, default=None):
    if isinstance(props, dict):
        return props.get(pascal, props.get(snake, default))
    return getattr(props, snake, default)


def steps_for(props) -> list[str]:
    steps = []
    if _get(props, "signature_permission", "SignaturePermission", False):
        steps.append("signature")
    docs = _get(props, "person_document_type_permission", "PersonDocumentTypePermission", None) or []
    if 101 in docs:
        steps.append("id_front")
    if 102 in docs:
        steps.append("id_back")
    if _get(props, "selfie_permission", "SelfiePermission", False):
        steps.append("selfie")
    if _get(props, "video_permission", "VideoPermission", False):
        steps.append("selfie_video")
    if _get(props, "admittance_permission", "AdmittancePermission", False):
        steps.append("admittance_video")
    return steps


class FlowBridge:
    """Session progress: page, steps, tries. One instance per controller; ``reset`` between
    sessions."""

    def __init__(self, settings=None):
        self.settings = settings
        self.reset()

    def reset(self) -> None:
        self.state = "welcome"
        self.steps: list[str] = []
        self.current = 0
        self.used: dict[str, int] = {}
        self.limits: dict[str, int] = {}
        self.closed = False
        self.failed_steps: list[str] = []

    def start(self) -> None:
        self.reset()
        self.state = "details"

    def details_ok(self) -> None:
        self._expect("details")
        self.state = "consent"

    def back_to_details(self) -> None:
        self.state = "details"

    def consent_given(self) -> None:
        self._expect("consent")
        self.state = "busy"

    def registered(self, props) -> None:
        self.steps = steps_for(props)
        selfie = int(_get(props, "selfie_try_count", "SelfieTryCount", 0) or 0)
        video = int(_get(props, "video_try_count", "VideoTryCount", 0) or 0)
        for step in self.steps:
            if step == "selfie":
                self.limits[step] = max(1, selfie)
            elif step in ("selfie_video", "admittance_video"):
                self.limits[step] = max(1, video)
            else:
                self.limits[step] = 1_000_000  # documents: retakes are free at the broker
        self.current = 0
        self.state = self.steps[0] if self.steps else "verify"

    def registration_failed(self, code=None) -> None:
        self.state = "problem"

    def _expect(self, state: str) -> None:
        if self.state != state:
            raise RuntimeError(f"flow: expected state {state}, in {self.state}")

    def _advance(self) -> None:
        self.current += 1
        self.state = self.steps[self.current] if self.current < len(self.steps) else "verify"

    def step_passed(self, step: str) -> None:
        self._expect(step)
        self.used[step] = self.used.get(step, 0) + 1
        self._advance()

    def step_failed(self, step: str, reason=None) -> bool:
        """Counts a broker try; True when another is allowed, else moves on."""
        self._expect(step)
        self.used[step] = self.used.get(step, 0) + 1
        if self.tries_left(step) > 0:
            return True
        self.failed_steps.append(step)
        self._advance()
        return False

    def local_retake(self, step: str) -> None:
        self._expect(step)  # costs no broker try

    def tries_left(self, step: str) -> int:
        return max(0, self.limits.get(step, 0) - self.used.get(step, 0))

    def tries_total(self, step: str) -> int:
        return self.limits.get(step, 0)

    def step_index(self) -> tuple[int, int] | None:
        if self.state in self.steps:
            return self.steps.index(self.state) + 1, len(self.steps)
        return None

    def verified(self, result) -> None:
        self.state = "verdict"
        self.closed = True

    def cancel(self) -> None:
        self.state = "welcome"

    def page(self) -> str:
        return self.state
