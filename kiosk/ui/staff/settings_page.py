"""The settings screen, GENERATED from ``kiosk.config.settings.DEFINITIONS``: one field per
setting (grouped by section) with its help text in the current language; secret values masked;
validation errors shown at the field; the staff PIN entered twice and stored only as a hash.
Each setting shows its human label (Persian or English) with the raw key small beneath it; a
drop-down changes only when clicked (the mouse wheel scrolls the page over it, never its value);
values, paths, URLs and numbers with units read left to right even in the Persian layout.

``Save`` validates every field first (nothing is written if one is wrong), writes the file with
``Settings.save()``, applies the values to the live ``Settings`` object the kiosk uses, and emits
``settings_changed(dict)`` with the keys that changed and their new values, so the shell can
apply what it can without a restart (language, idle time-out, PIN gate, devices at the next
session, broker client at the next session).
"""
from __future__ import annotations

import json
import logging
from typing import Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.config.settings import (BY_KEY, DEFINITIONS, Setting, Settings, SettingsError, SettingsErrors,
                                   env_name)
from kiosk.core.staff_pin import PinError, hash_pin
from kiosk.ui.i18n import isolate_ltr, isolate_runs
from kiosk.ui.staff.texts import has_staff_text, staff_text

log = logging.getLogger(__name__)

PIN_KEY = "staff.pin_hash"
ERROR_STYLE = "color: #b00020;"
WARNING_STYLE = ("background: #b00020; color: white; font-weight: bold; padding: 8px; border-radius: 4px;")


class NoWheelComboBox(QComboBox):
    """A drop-down the mouse wheel never changes unless the person clicked it first: a wheel
    turned while scrolling the page goes on scrolling the page."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a wheel does not give it the focus

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt name
        if self.hasFocus() and self.view().isVisible():
            super().wheelEvent(event)
        else:
            event.ignore()  # to the scroll area


def render(setting: Setting, value: Any) -> str:
    if setting.kind is dict:
        return json.dumps(value, ensure_ascii=False) if value else ""
    return str(value)


#: The settings as a staff member or an IT person looks for them (the file keeps its sections):
#: each group lists key prefixes or whole keys; a key goes to the first group that names it.
GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("keys", ("broker.token_secret_file", "broker.provider_key_file", "broker.broker_public_key_file",
              "broker.sign_tokens", "broker.signature_encoding", "broker.token_lifetime", "tokens.")),
    ("session", ("ui.", "session.", "broker.admittance_text")),
    ("broker", ("broker.",)),
    ("devices", ("camera.", "microphone.", "signature.")),
    ("quality", ("quality.",)),
    ("recording", ("recording.",)),
    ("staff", ("staff.", "logging.")),
)
#: the order the groups are shown in
GROUP_ORDER = ("broker", "keys", "devices", "quality", "recording", "session", "staff")


def group_of(key: str) -> str:
    for name, prefixes in GROUPS:
        if any(key == p or (p.endswith(".") and key.startswith(p)) for p in prefixes):
            return name
    return "staff"


class SettingsPage(QWidget):
    settings_changed = Signal(dict)

    def __init__(self, settings: Settings, lang: str = "fa", parent=None):
        super().__init__(parent)
        self.settings = settings
        self.lang = lang
        self.fields: dict[str, QLineEdit | QCheckBox | QComboBox] = {}
        self.errors: dict[str, QLabel] = {}
        self.error_of: dict[str, SettingsError | str] = {}  # the error each error label shows (re-translated)
        self.helps: dict[str, QLabel] = {}
        self.labels: dict[str, QLabel] = {}
        self.rows: dict[str, QWidget] = {}  # one compact row per setting
        self.headers: dict[str, QLabel] = {}  # one header per group
        self.group_keys: dict[str, list[str]] = {g: [] for g in GROUP_ORDER}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        outer.addWidget(self.warning)

        # the group list (click to jump) and a search field, beside the settings
        side = QVBoxLayout()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(self._filter)
        self.group_list = QListWidget()
        self.group_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.group_list.itemClicked.connect(self._jump)
        side.addWidget(self.search)
        side.addWidget(self.group_list, 1)
        side_box = QWidget()
        side_box.setLayout(side)
        side.setContentsMargins(0, 0, 0, 0)
        side_box.setFixedWidth(180)
        self.group_list.setWordWrap(True)
        self.group_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.group_list.setResizeMode(QListWidget.ResizeMode.Adjust)

        scroll = self.scroll_area = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # rows wrap instead
        body = QWidget()
        self._body = QVBoxLayout(body)
        self._body.setContentsMargins(8, 0, 8, 8)
        self._body.setSpacing(0)
        scroll.setWidget(body)
        scroll.verticalScrollBar().valueChanged.connect(self._follow_scroll)
        middle = QHBoxLayout()
        middle.addWidget(side_box)
        middle.addWidget(scroll, 1)
        outer.addLayout(middle, 1)

        for setting in DEFINITIONS:
            self.group_keys[group_of(setting.key)].append(setting.key)
        for group in GROUP_ORDER:
            if not self.group_keys[group]:
                continue
            header = QLabel()
            header.setObjectName("settingsGroup")
            self.headers[group] = header
            self._body.addWidget(header)
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, group)
            self.group_list.addItem(item)
            for key in self.group_keys[group]:
                self._add_row(BY_KEY[key])
        self._body.addStretch(1)

        self.status = QLabel()
        self.status.setWordWrap(True)
        self.file_label = QLabel()
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save_button = QPushButton()
        self.revert_button = QPushButton()
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)
        outer.addWidget(self.file_label)
        outer.addLayout(row)
        self.revert()
        self.retranslate()

    # -- building
    def _add_row(self, setting: Setting) -> None:
        """One setting on one compact row: its label and key (small) beside the field (normal
        height) and its error, and under both a line of help."""
        key = setting.key
        row = QWidget()
        row.setObjectName("settingRow")
        grid = QGridLayout(row)
        grid.setContentsMargins(2, 4, 2, 4)
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        field_box = QVBoxLayout()
        field_box.setSpacing(2)
        if key == PIN_KEY:
            self.pin_new, self.pin_repeat = QLineEdit(), QLineEdit()
            pins = QHBoxLayout()
            for edit in (self.pin_new, self.pin_repeat):
                edit.setEchoMode(QLineEdit.EchoMode.Password)
                edit.setMaxLength(12)
                edit.setMinimumWidth(60)
                pins.addWidget(edit)
            field_box.addLayout(pins)
            self.pin_state = QLabel()
            self.pin_state.setObjectName("settingHelp")
            self.pin_state.setWordWrap(True)
            field_box.addWidget(self.pin_state)
            widget: QLineEdit | QCheckBox | QComboBox = self.pin_new
        elif setting.kind is bool:
            widget = QCheckBox()
            field_box.addWidget(widget)
        elif setting.choices is not None:
            widget = NoWheelComboBox()
            widget.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # the choices are codes
            for choice in setting.choices:
                widget.addItem(str(choice), choice)
            field_box.addWidget(widget)
        else:
            widget = QLineEdit()
            widget.setLayoutDirection(Qt.LayoutDirection.LeftToRight)  # values, paths, URLs
            widget.setMinimumWidth(120)
            if setting.secret:
                widget.setEchoMode(QLineEdit.EchoMode.Password)
            field_box.addWidget(widget)
        error = QLabel()
        error.setObjectName("settingError")
        error.setWordWrap(True)
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        field_box.addWidget(error)
        field_box.addStretch(1)

        label = QLabel()
        label.setObjectName("settingTitle")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setBuddy(widget)
        help_label = QLabel()
        help_label.setObjectName("settingHelp")
        help_label.setWordWrap(True)
        help_label.setTextFormat(Qt.TextFormat.RichText)
        help_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        grid.addWidget(label, 0, 0)
        grid.addLayout(field_box, 0, 1)
        grid.addWidget(help_label, 1, 0, 1, 2)  # the whole width: one line for most settings
        self.fields[key] = widget
        self.helps[key] = help_label
        self.errors[key] = error
        self.labels[key] = label
        self.rows[key] = row
        if key in ("broker.verify_tls", "broker.url"):
            signal = widget.toggled if isinstance(widget, QCheckBox) else cast(QLineEdit, widget).textChanged
            signal.connect(self._preview_warnings)
        self._body.addWidget(row)

    # -- finding a setting
    def _jump(self, item: QListWidgetItem) -> None:
        """A group clicked in the list: its header at the top of the settings."""
        header = self.headers.get(item.data(Qt.ItemDataRole.UserRole))
        if header is not None and header.isVisible():
            self.scroll_area.verticalScrollBar().setValue(header.y())

    def _follow_scroll(self, value: int) -> None:
        """The group list marks the group being read."""
        current = None
        for i in range(self.group_list.count()):
            header = self.headers[self.group_list.item(i).data(Qt.ItemDataRole.UserRole)]
            if header.isVisible() and header.y() <= value + 20:
                current = i
        if current is not None:
            self.group_list.blockSignals(True)
            self.group_list.setCurrentRow(current)
            self.group_list.blockSignals(False)

    def _filter(self, text: str) -> None:
        """Only the settings whose label, key or help holds the words typed."""
        words = text.casefold().split()
        for group, keys in self.group_keys.items():
            shown = 0
            for key in keys:
                hay = " ".join((key, self._human(key, "fa"), self._human(key, "en"), BY_KEY[key].help_text("fa"),
                                BY_KEY[key].help_text("en"))).casefold()
                visible = all(w in hay for w in words)
                self.rows[key].setVisible(visible)
                shown += visible
            if group in self.headers:
                self.headers[group].setVisible(bool(shown))
                for i in range(self.group_list.count()):
                    item = self.group_list.item(i)
                    if item.data(Qt.ItemDataRole.UserRole) == group:
                        item.setHidden(not shown)

    @staticmethod
    def _human(key: str, lang: str) -> str:
        return staff_text(f"label.{key}", lang) if has_staff_text(f"label.{key}") else key

    def visible_rows(self) -> list[str]:
        """The settings whose whole row is on the screen now (in the scroll area's view)."""
        view = self.scroll_area.viewport()
        area = view.rect()
        out = []
        for key, row in self.rows.items():
            if not row.isVisible():
                continue
            top_left = row.mapTo(view, row.rect().topLeft())
            bottom_right = row.mapTo(view, row.rect().bottomRight())
            if area.contains(top_left) and area.contains(bottom_right):
                out.append(key)
        return out

    # -- language
    def set_language(self, lang: str) -> None:
        self.lang = lang
        self.retranslate()

    def retranslate(self) -> None:
        lang = self.lang
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if lang == "fa" else Qt.LayoutDirection.LeftToRight)
        for i in range(self.group_list.count()):
            item = self.group_list.item(i)
            group = item.data(Qt.ItemDataRole.UserRole)
            item.setText(staff_text(f"group.{group}", lang))
            self.headers[group].setText(staff_text(f"group.{group}", lang))
        self.search.setPlaceholderText(staff_text("settings.search", lang))
        for key, label in self.labels.items():
            label.setText(f"<b>{_html(self._human(key, lang))}</b>&nbsp;&nbsp;<span style='color:#6b7c88; "
                          f"font-size:12px'>{_html(isolate_ltr(key))}</span>")
            label.setToolTip(key)
        for key, label in self.helps.items():
            text = BY_KEY[key].help_text(lang)
            if key == PIN_KEY:
                text = staff_text("pin.help", lang)
            if key in self.settings.from_environment:
                text += " " + staff_text("settings.env", lang, name=env_name(key))
            label.setText(_tight(isolate_runs(text) if lang == "fa" else text, lang))
        self.pin_new.setPlaceholderText(staff_text("pin.new", lang))
        self.pin_repeat.setPlaceholderText(staff_text("pin.repeat", lang))
        self.pin_state.setText(staff_text("pin.is_set" if self.settings[PIN_KEY] else "pin.not_set", lang))
        for key, exc in self.error_of.items():
            if exc is not None:
                self.errors[key].setText(exc.sentence(lang) if isinstance(exc, SettingsError) else staff_text(exc, lang))
        self.save_button.setText(staff_text("settings.save", lang))
        self.revert_button.setText(staff_text("settings.revert", lang))
        path = self.settings.path
        self.file_label.setText(staff_text("settings.file", lang, path=isolate_ltr(str(path)) if path else "—"))
        self._filter(self.search.text())
        self._preview_warnings()

    # -- values
    def revert(self) -> None:
        """Show the live settings' values (drops unsaved edits and errors)."""
        for key, widget in self.fields.items():
            setting = BY_KEY[key]
            value = self.settings[key]
            if key == PIN_KEY:
                self.pin_new.clear()
                self.pin_repeat.clear()
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                idx = widget.findData(value)
                widget.setCurrentIndex(max(0, idx))
            else:
                widget.setText(render(setting, value))
            editable = key not in self.settings.from_environment
            widget.setEnabled(editable)
            if key == PIN_KEY:
                self.pin_repeat.setEnabled(editable)
        self._clear_errors()
        self.status.clear()
        self._preview_warnings()

    def form_values(self) -> dict[str, Any]:
        """What the fields hold now (environment-set keys and the PIN are left out)."""
        out: dict[str, Any] = {}
        for key, widget in self.fields.items():
            if key == PIN_KEY or key in self.settings.from_environment:
                continue
            if isinstance(widget, QCheckBox):
                out[key] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                out[key] = widget.currentData()
            else:
                out[key] = widget.text()
        return out

    def _clear_errors(self) -> None:
        self.error_of.clear()
        for err in self.errors.values():
            err.clear()
            err.hide()

    def _show_error(self, key: str, exc: SettingsError | str) -> None:
        err = self.errors.get(key)
        if err is None:
            return
        self.error_of[key] = exc
        err.setText(exc.sentence(self.lang) if isinstance(exc, SettingsError) else staff_text(exc, self.lang))
        err.show()

    def field_error(self, key: str) -> str:
        err = self.errors[key]
        return err.text() if not err.isHidden() else ""

    def _preview_warnings(self, *_args) -> None:
        preview = self.settings.copy()
        try:
            verify, url = self.fields["broker.verify_tls"], self.fields["broker.url"]
            if isinstance(verify, QCheckBox) and isinstance(url, QLineEdit):
                preview.set("broker.verify_tls", verify.isChecked())
                preview.set("broker.url", url.text())
        except SettingsError:
            pass
        lines = preview.warnings(self.lang)
        self.warning.setText("\n".join(lines))
        self.warning.setVisible(bool(lines))

    def save(self) -> dict[str, Any] | None:
        """Validate, write, apply, signal; returns the changed keys, or None when a field is wrong."""
        self._clear_errors()
        values = self.form_values()
        pin_hash = self._pin_value()
        if pin_hash is False:
            self.status.setText(staff_text("settings.errors", self.lang))
            return None
        if pin_hash:
            values[PIN_KEY] = pin_hash
        candidate = self.settings.copy()
        try:
            changed = candidate.update(values)
            candidate.check_files()
        except SettingsErrors as exc:
            for key, one in exc.errors.items():
                self._show_error(key, one)
            self.status.setText(staff_text("settings.errors", self.lang))
            return None
        except SettingsError as exc:
            if exc.key:
                self._show_error(exc.key, exc)
            self.status.setText(staff_text("settings.errors", self.lang))
            return None
        if not changed:
            self.status.setText(staff_text("settings.saved_none", self.lang))
            return {}
        try:
            candidate.save(self.settings.path)
        except OSError as exc:
            self.status.setText(staff_text("settings.save_failed", self.lang, error=exc.strerror or exc))
            return None
        self.settings.update(changed)
        self.settings.path = candidate.path
        log.info("settings saved: %s", ", ".join(sorted(changed)))  # keys only, never values
        self.status.setText(staff_text("settings.saved", self.lang))
        self.revert()
        self.status.setText(staff_text("settings.saved", self.lang))
        self.settings_changed.emit(dict(changed))
        return changed

    def _pin_value(self):
        """A new hash, None (PIN unchanged) or False (a PIN error is shown)."""
        from kiosk.core.staff_pin import PepperError  # noqa: PLC0415 - hashlib.scrypt only when a PIN is set

        new, again = self.pin_new.text(), self.pin_repeat.text()
        if not new and not again:
            return None
        if new != again:
            self._show_error(PIN_KEY, "pin.mismatch")
            return False
        try:
            return hash_pin(new)
        except (PinError, PepperError) as exc:
            self._show_error(PIN_KEY, _PinSentence(exc))
            return False


def _tight(text: str, lang: str) -> str:
    """A help text as rich text with the lines closer (the Persian font's lines are tall)."""
    return f"<div style='line-height: {HELP_LINE_HEIGHT[lang]}%'>{_html(text)}</div>"


HELP_LINE_HEIGHT = {"fa": 80, "en": 100}  # lower cuts the descenders


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class _PinSentence(SettingsError):
    def __init__(self, exc):
        super().__init__(str(exc), PIN_KEY)
        self._exc = exc

    def sentence(self, lang: str = "fa") -> str:
        return self._exc.sentence(lang)

