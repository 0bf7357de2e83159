"""The staff console (behind the staff PIN): settings, self-test, today's sessions, result lookup.

``StaffConsole(settings=None, lang=None, services=None, broker_url=None, credentials=None,
sessions_log=None)``; see ``kiosk.ui.staff.console``.
"""
from kiosk.ui.staff.console import StaffConsole

__all__ = ["StaffConsole"]
