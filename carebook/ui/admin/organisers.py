"""Organisers (welfare areas) whose registers the producer records into (RAR-1 … RAR-8)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QWidget

from carebook.i18n import N_, _
from carebook.model.records import OrganiserRecord
from carebook.model.services import organisers
from carebook.ui.admin.listing import ListAddDialog


def _cells(org: OrganiserRecord) -> tuple[str, str, str]:
    return org.name, org.oid, org.business_id or ""


def _add(store: Any, ctx: Any, *, name: str, oid: str, business_id: str) -> OrganiserRecord:
    # An empty Y-tunnus field means "not given"; the service validates a given one.
    return organisers.add_organiser(store, ctx, name=name, oid=oid,
                                    business_id=business_id.strip() or None)


class OrganisersDialog(ListAddDialog):
    """Welfare areas that buy services from the producer; each gets its register for
    recording under the register access right (RAR, usage code 2)."""

    list_service = staticmethod(organisers.list_organisers)
    who_may_add = N_("Only an administrator or the responsible director can add organisers. "
                     "Your role does not allow it.")
    add_service = staticmethod(_add)

    def __init__(self, parent: QWidget | None, ws: Any) -> None:
        super().__init__(
            parent, ws, name="organisersDialog", title=_("Organisers"),
            intro=_("Welfare areas that buy services from you. Documents of their clients "
                    "go into the welfare area's register."),
            columns=(_("Name"), _("OID"), _("Business ID")), cells=_cells,
            group_title=_("Add an organiser"), add_text=_("&Add organiser"))
        self.add_field("name", _("&Name:"), "organiserNameEdit", _("Organiser name"))
        self.add_field("oid", _("&OID:"), "organiserOidEdit", _("Organiser OID"),
                       placeholder="1.2.246.10.12345678")
        self.add_field("business_id", _("Business &ID (Y-tunnus):"), "organiserBusinessIdEdit",
                       _("Business ID"), placeholder="1234567-8")
        self.finish_layout()

    def added_text(self, record: OrganiserRecord) -> str:
        return _("Organiser %(name)s added.") % {"name": record.name}
