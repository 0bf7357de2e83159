"""The face models are loaded once per application and lent to every capture screen."""
from __future__ import annotations

from kiosk.config.settings import Settings
from kiosk.quality.pool import ModelPool


class FakeModel:
    made = 0

    def __init__(self, settings=None):
        FakeModel.made += 1
        self.closed = False
        self.resets = 0
        self.configured = []

    def configure(self, settings):
        self.configured.append(settings["quality.max_yaw"])

    def reset(self):
        self.resets += 1

    def analyze(self, image, timestamp_ms=None):
        return ("report", image)

    def __call__(self, card):
        return [(0, 0, 1, 1, 0.9)]

    def close(self):
        self.closed = True


def test_one_model_of_each_for_every_screen_and_session():
    settings = Settings()
    pool = ModelPool(settings, face_factory=FakeModel, finder_factory=FakeModel)
    first = pool.face()
    assert first.analyze("img") == ("report", "img")
    first.close()  # the screen ends: the model stays loaded
    settings.set("quality.max_yaw", 7.0)  # the staff changes a threshold between screens
    second = pool.face()
    assert second._model is first._model and not first._model.closed
    assert first._model.resets == 2 and first._model.configured[-1] == 7.0  # fresh tracking, new thresholds
    finder = pool.card_finder()
    assert finder("card") == [(0, 0, 1, 1, 0.9)] and pool.card_finder()._model is finder._model
    assert pool.loads == 2 and pool.loans == 4
    pool.close()
    assert first._model.closed and finder._model.closed
    third = pool.face()  # after close a new one is made (a restarted application)
    assert third._model is not first._model and pool.loads == 3
    pool.close()


def test_the_real_analyzer_loads_a_landmarker_only_when_used():
    from kiosk.quality.face import FaceAnalyzer

    with FaceAnalyzer(Settings(), lazy=True) as analyzer:
        assert analyzer._still is None and analyzer._video is None  # a video screen never loads the still one
        import numpy as np

        analyzer.analyze(np.zeros((480, 640, 3), np.uint8), timestamp_ms=1)
        assert analyzer._video is not None and analyzer._still is None
