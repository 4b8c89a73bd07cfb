"""The client card: who the client is and where their service stands (issue 4 item 4).

Identity (the identity code or temporary ID, ID-13), the security-prohibition marker (always
shown; the covered fields read "hidden (security prohibition)" to users without the right,
AC-11), the minor marker, the client relationships with their unit, register and RAR window
status (RAR-8), the cases with their case codes, services with their actual start and end
(rules-documents E10) and the implementation plans with their next review date (E11).

Everything is read in one call on the DB lane through the services, which check the relevant
connection (AC-6) and log the reads (AC-8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from carebook.i18n import _
from carebook.model import clock, codesets
from carebook.ui import texts
from carebook.ui.errors import user_message


@dataclass(frozen=True)
class CardData:
    """What the card shows, gathered by :func:`load_card` on the DB lane."""

    client: Any  # ClientRecord
    relationships: tuple[Any, ...]
    unit_names: dict[int, str]
    register_names: dict[int, str]
    cases: tuple[Any, ...] | None  # None: the role does not handle cases
    services: tuple[Any, ...]
    plans: tuple[Any, ...] | None  # None: the role does not read records


def load_card(store: Any, staff: Any, client_id: int, *,
              special_reason: str | None = None) -> CardData:
    """Read everything the card shows through the services (runs on the DB lane)."""
    from carebook.model import access
    from carebook.model.services import cases, clients, journal, organisers, social_services
    from carebook.model.services import units as unit_service

    reason = {"special_reason": special_reason}
    client = clients.get_client(store, staff, client_id, **reason)
    rels = clients.list_relationships(store, staff, client_id, **reason)
    unit_names = {u.id: u.name for u in unit_service.list_units(store, staff)}
    register_names = {o.register_id: o.name for o in organisers.list_organisers(store, staff)}
    case_rows = None
    if access.has_right(staff, access.MANAGE_CASES):
        case_rows = tuple(cases.list_cases(store, staff, client_id=client_id, **reason))
    services = tuple(social_services.list_services(store, staff, client_id=client_id, **reason))
    plans = None
    if access.has_right(staff, access.READ_RECORDS):
        plans = journal.client_timeline(store, staff, client_id=client_id, kinds=("plan",),
                                        limit=20, **reason).items
    return CardData(client, tuple(rels), unit_names, register_names, case_rows, services,
                    plans)


def window_status(rel: Any, today: date | None = None) -> str:
    """"in force", "starts on …" or "ended on …" for a relationship's window (RAR-8)."""
    day = today or clock.today()
    if rel.start_on > day:
        return _("starts on %(day)s") % {"day": texts.day(rel.start_on)}
    if rel.end_on is not None and rel.end_on < day:
        return _("ended on %(day)s") % {"day": texts.day(rel.end_on)}
    if rel.end_on is not None:
        return _("in force until %(day)s") % {"day": texts.day(rel.end_on)}
    return _("in force")


def _hidden(value: str | None, hidden: bool) -> str:
    if hidden:
        return _("hidden (security prohibition)")
    return value or "–"


class ClientCard(QWidget):
    """The selected client's card.

    Signals:
        loaded(int): the card shows this client's data.
    """

    loaded = Signal(int)

    def __init__(self, ws: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("clientCard")
        self._ws = ws
        self._generation = 0
        self._job: Any = None
        self.client_id: int | None = None
        self.data: CardData | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(objectName="cardTitle")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        # Never narrower than its text at any scaling (125 %: the name was clipped).
        self.title.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Preferred)
        self.markers = QLabel(objectName="cardMarkers")
        self.markers.setStyleSheet("color: #8a1c00; font-weight: bold;")
        self.body = self._column("cardBody")
        self.more = self._column("cardMore")
        columns = QWidget()
        row = QHBoxLayout(columns)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.body, 1)
        row.addWidget(self.more, 1)
        scroll = QScrollArea(objectName="cardScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(columns)
        head = QHBoxLayout()
        head.addWidget(self.title)
        head.addWidget(self.markers)
        head.addStretch(1)
        layout.addLayout(head)
        layout.addWidget(scroll, 1)
        self.clear()

    @staticmethod
    def _column(name: str) -> QLabel:
        label = QLabel(objectName=name)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                      | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        return label

    def clear(self, message: str | None = None) -> None:
        self._generation += 1
        self.client_id, self.data = None, None
        self.title.setText(message or _("Choose a client from the list."))
        self.markers.setText("")
        self.markers.hide()
        self.body.setText("")
        self.more.setText("")

    def set_client(self, client_id: int | None) -> None:
        """Show ``client_id`` (None clears the card)."""
        if not client_id:
            self.clear()
            return
        self.clear(_("Loading…"))
        self.client_id = client_id
        generation = self._generation
        if self._job is not None and not self._job.finished:
            self._job.cancelled = True  # the previous client's card is no longer wanted
        self._job = self._ws.call(load_card, client_id, parent=self, client=client_id,
                      on_done=lambda data: self._on_loaded(generation, data),
                      on_error=lambda exc: self._on_failed(generation, exc))

    def _on_loaded(self, generation: int, data: CardData) -> None:
        if generation != self._generation:
            return
        self.data = data
        client = data.client
        self.title.setText(f"{client.last_name}, {client.first_name}")
        marks = []
        if client.security_prohibition:  # AC-11: the marker is always shown
            marks.append(_("SECURITY PROHIBITION"))
        if client.minor:
            marks.append(_("Minor"))
        self.markers.setText("  ·  ".join(marks))
        self.markers.setVisible(bool(marks))
        self.body.setText(self._identity(data) + self._relationships(data))
        self.more.setText(self._cases(data) + self._services(data) + self._plans(data))
        self.loaded.emit(client.id)

    def _on_failed(self, generation: int, exc: BaseException) -> None:
        if generation == self._generation:
            self.title.setText(user_message(exc))

    # -- text ---------------------------------------------------------------------------

    @staticmethod
    def _section(title: str, rows: list[str]) -> str:
        from html import escape

        none = escape(_("none"))
        items = "".join(f"<li>{escape(r)}</li>" for r in rows) or f"<li>{none}</li>"
        style = "margin-top:0; margin-bottom:4px; margin-left:-20px"
        return f"<b>{escape(title)}</b><ul style='{style}'>{items}</ul>"

    def _identity(self, data: CardData) -> str:
        from html import escape

        c = data.client
        hidden = c.prohibited_hidden
        code_label = _("Identity code") if c.hetu else _("Temporary ID")
        rows = [(code_label, c.identifier or "–"),
                (_("Birth date"), texts.day(c.birth_date) or "–"),
                (_("Address"), _hidden(" ".join(x for x in (c.address, c.municipality) if x),
                                       hidden)),
                (_("Phone"), _hidden(c.phone, hidden or (c.secret_phone and c.phone is None)))]
        cells = "".join(f"<tr><td style='padding-right:12px'>{escape(k)}</td>"
                        f"<td>{escape(v)}</td></tr>" for k, v in rows)
        return f"<table>{cells}</table>"

    def _relationships(self, data: CardData) -> str:
        rows = []
        for rel in data.relationships:
            unit = data.unit_names.get(rel.unit_id, rel.unit_oid)
            if rel.register_kind == "own":
                register = _("own register (self-paying)")
            else:
                register = _("%(organiser)s's register (RAR)") % {
                    "organiser": data.register_names.get(rel.register_id, rel.controller_oid)}
            rows.append(f"{unit} — {register} — {window_status(rel)}")
        return self._section(_("Client relationships"), rows)

    def _cases(self, data: CardData) -> str:
        if data.cases is None:
            return ""
        rows = []
        for case in data.cases:
            name = texts.code_name(codesets.SERVICE_TASK, case.service_task)
            code = case.case_code or _("no case code yet")
            status = {"open": _("open"), "closed": _("closed"),
                      "nullified": _("nullified")}.get(case.status, case.status)
            rows.append(f"{name}: {code} ({status})")
        return self._section(_("Cases"), rows)

    def _services(self, data: CardData) -> str:
        rows = []
        for svc in data.services:
            name = texts.code_name(codesets.SOCIAL_SERVICE, svc.social_service)
            span = _("started %(day)s") % {"day": texts.day(svc.actual_start)}
            if svc.actual_end:
                span += ", " + _("ended %(day)s") % {"day": texts.day(svc.actual_end)}
            rows.append(f"{name}: {span}")
        return self._section(_("Services"), rows)

    def _plans(self, data: CardData) -> str:
        if data.plans is None:
            return ""
        rows = []
        for doc in data.plans:
            review = doc.plan.next_review_on if doc.plan else None
            state = texts.state_name(doc.state, version=doc.version)
            when = (_("next review %(day)s") % {"day": texts.day(review)} if review
                    else _("no review date"))
            rows.append(f"{texts.document_type_name(doc.kind, doc.specific_type)} "
                        f"{texts.day(doc.recorded_at.date())} ({state}): {when}")
        return self._section(_("Implementation plans"), rows)
