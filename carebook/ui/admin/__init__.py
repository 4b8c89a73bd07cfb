"""Administration (issue 4 item 6): staff users, units, organisers and the usage log.

Each ``open_*`` function builds its dialog, opens it without blocking (``open()``) and returns
it. The main window shows the menu entries by role; the services check the rights anyway, so a
user without them sees the service's refusal in the dialog, never data.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget


def open_staff_admin(parent: QWidget | None, ws: Any) -> QDialog:
    """Staff users: add, change roles and units, reset password, deactivate (admin role)."""
    from carebook.ui.admin.staff import StaffDialog

    return _opened(StaffDialog(parent, ws))


def open_units_admin(parent: QWidget | None, ws: Any) -> QDialog:
    """Service units: list and add (name and THL OID)."""
    from carebook.ui.admin.units import UnitsDialog

    return _opened(UnitsDialog(parent, ws))


def open_organisers_admin(parent: QWidget | None, ws: Any) -> QDialog:
    """Organisers (welfare areas): list and add (name, OID, Y-tunnus)."""
    from carebook.ui.admin.organisers import OrganisersDialog

    return _opened(OrganisersDialog(parent, ws))


def open_usage_log(parent: QWidget | None, ws: Any, *, client_id: int | None = None) -> QDialog:
    """The usage-log viewer for the responsible director (AC-8), optionally for one client."""
    from carebook.ui.admin.usage_log import UsageLogDialog

    return _opened(UsageLogDialog(parent, ws, client_id=client_id))


def _opened(dialog: QDialog) -> QDialog:
    # Closed dialogs go away: nothing of clients or staff stays in memory behind the window.
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
