"""Service units: list and add (rules-documents E2; ID-4 … ID-7)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from carebook.i18n import N_, _
from carebook.model.records import UnitRecord
from carebook.model.services import units
from carebook.ui.admin.listing import ListAddDialog


def _cells(unit: UnitRecord) -> tuple[str, str, str]:
    return unit.name, unit.oid, _("Yes") if unit.active else _("No")


class UnitsDialog(ListAddDialog):
    """The producer's service units; a new unit needs its registered name and its OID from
    the THL organisation register (ID-4, ID-5)."""

    list_service = staticmethod(units.list_units)
    who_may_add = N_("Only an administrator or the responsible director can add units. "
                     "Your role does not allow it.")
    add_service = staticmethod(units.add_unit)

    def __init__(self, parent: QWidget | None, ws: Any) -> None:
        super().__init__(
            parent, ws, name="unitsDialog", title=_("Service units"),
            intro=_("The units where your staff work. Staff see the clients of their own "
                    "units. Use the name and OID the unit has in the THL organisation "
                    "register (SOTE-organisaatiorekisteri)."),
            columns=(_("Name"), _("OID"), _("In use")), cells=_cells,
            group_title=_("Add a unit"), add_text=_("&Add unit"))
        self.add_field("name", _("&Name:"), "unitNameEdit", _("Unit name"))
        self.add_field("oid", _("&OID:"), "unitOidEdit", _("Unit OID"),
                       placeholder="1.2.246.10.12345678.10.1")
        self.finish_layout()

    def added_text(self, record: UnitRecord) -> str:
        return _("Unit %(name)s added. You now work in it too; change this in Staff users.") % {
            "name": record.name}
