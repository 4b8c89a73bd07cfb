"""A small world for the register's rule tests: a welfare area, producers, a shared-joining
host with tenants, test clients (Kela's test series 900-999) and envelope builders."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from stdnum.fi import hetu as stdnum_hetu

from carebook.protocol.codes import SCHEMA_VERSION_CURRENT, DocumentGroup
from carebook.protocol.documents import CaseName, UnitPeriod
from carebook.protocol.envelope import (
    Author,
    ClientPerson,
    ClientRef,
    Content,
    DocumentEnvelope,
    Nullification,
    Organisation,
    Signature,
    seal,
)
from carebook.protocol.organiser import CaseOpen, RelationshipUpdate

ORGANISER = "1.2.246.10.1001.1"  # welfare area
ORG_UNIT = "1.2.246.10.1001.1.5"
PRODUCER = "1.2.246.10.2001.1"  # care home
UNIT = "1.2.246.10.2001.1.10"
OTHER = "1.2.246.10.2002.1"  # another producer
OTHER_UNIT = "1.2.246.10.2002.1.10"
HOST = "1.2.246.10.3001.1"  # shared-joining host
TENANT_A = "1.2.246.10.3002.1"
TENANT_A_UNIT = "1.2.246.10.3002.1.10"
TENANT_B = "1.2.246.10.3003.1"
TENANT_B_UNIT = "1.2.246.10.3003.1.10"

NOW = datetime(2026, 10, 1, 9, 0, tzinfo=UTC)
RAR_START = date(2026, 9, 1)
CASE_OPENED = datetime(2026, 8, 1, 8, 0, tzinfo=UTC)
RAR_END = date(2026, 12, 31)
AUTHOR = Author(first_name="Maija", last_name="Meikäläinen", title="lähihoitaja")
ORG_AUTHOR = Author(first_name="Sari", last_name="Sosiaalityöntekijä", title="sosiaalityöntekijä")


def kela_test_hetu(birth: str, individual: int) -> str:
    """A valid identity code in Kela's test series (individual number 900-999)."""
    assert 900 <= individual <= 999
    day, month, year = birth[0:2], birth[2:4], int(birth[4:8])
    sign = "-" if year < 2000 else "A"
    stem = f"{day}{month}{year % 100:02d}{individual:03d}"
    return f"{stem[:6]}{sign}{stem[6:]}{stdnum_hetu._calc_checksum(stem)}"


def person(birth: str, individual: int, first: str = "Testi") -> ClientPerson:
    code = kela_test_hetu(birth, individual)
    born = date(int(birth[4:8]), int(birth[2:4]), int(birth[0:2]))
    return ClientPerson(hetu=code, first_name=first, last_name="Asiakas", birth_date=born)


ANNA = person("01011950", 901, "Anna")
BERTIL = person("15051948", 902, "Bertil")
CELIA = person("03031952", 903, "Celia")
MINOR = person("12032015", 904, "Mini")


def ref(p: ClientPerson) -> ClientRef:
    return ClientRef(hetu=p.hetu, temporary_oid=p.temporary_oid)


def setup_orgs(admin: Any) -> None:
    """Organisations, their kinds and the producers' units (carebook-register org/unit add)."""
    admin.add_org(oid=ORGANISER, name="Hyvinvointialue", kind="organiser")
    admin.add_org(oid=PRODUCER, name="Hoivakoti Oy", kind="producer")
    admin.add_unit(producer=PRODUCER, oid=UNIT, name="Hoivakoti Koivu")
    admin.add_org(oid=OTHER, name="Kotihoito Ab", kind="producer")
    admin.add_unit(producer=OTHER, oid=OTHER_UNIT, name="Kotihoito Kaisla")
    admin.add_org(oid=HOST, name="Yhteisliittyjä Oy", kind="host")
    admin.add_org(oid=TENANT_A, name="Vuokralainen A", kind="tenant", host=HOST)
    admin.add_unit(producer=TENANT_A, oid=TENANT_A_UNIT, name="A:n yksikkö")
    admin.add_org(oid=TENANT_B, name="Vuokralainen B", kind="tenant", host=HOST)
    admin.add_unit(producer=TENANT_B, oid=TENANT_B_UNIT, name="B:n yksikkö")


def producer_unit(unit: str = UNIT, *, start: date = RAR_START,
                  end: date | None = RAR_END) -> UnitPeriod:
    return UnitPeriod(role="producer", unit_oid=unit, unit_name="Yksikkö",
                      service_task="aldreservice", start=start, end=end)


def relationship(client: ClientPerson, *units: UnitPeriod,
                 unit_oid: str = ORG_UNIT) -> RelationshipUpdate:
    return RelationshipUpdate(client=client, service_unit_oid=unit_oid,
                              social_care_start=date(2026, 8, 1), service_units=list(units),
                              author=ORG_AUTHOR)


def case_open(*members: ClientPerson, unit_oid: str = ORG_UNIT) -> CaseOpen:
    return CaseOpen(case_name=CaseName(code="vard_och_omsorg"), service_task="aldreservice",
                    service_unit_oid=unit_oid, members=[ref(m) for m in members],
                    opened_at=CASE_OPENED, author=ORG_AUTHOR)


@dataclass
class Doc:
    """Builder of client-document envelopes with sensible defaults; override any field."""

    document_oid: str
    clients: list[ClientPerson]
    case_code: str
    organiser: str = ORGANISER
    producer: str = PRODUCER
    unit: str = UNIT
    extra: dict[str, Any] = field(default_factory=dict)

    def envelope(self, version: int = 1, *, text: str = "Asiakas söi hyvin.",
                 **override: Any) -> DocumentEnvelope:
        structured = {"clients": [c.model_dump(mode="json") for c in self.clients],
                      "text": text}
        fields: dict[str, Any] = {
            "document_oid": self.document_oid, "version": version,
            "document_group": DocumentGroup.JOURNAL_ENTRY,
            "general_type": "anteckning_i_en_klientjournal",
            "specific_type": "anteckning_om_klientens_vardag",
            "case_code": self.case_code, "clients": [ref(c) for c in self.clients],
            "organiser": Organisation(oid=self.organiser, name="Hyvinvointialue"),
            "producer": Organisation(oid=self.producer, name="Hoivakoti Oy"),
            "service_unit_oid": self.unit, "service_process": "genomforande_av_tjanster",
            "service_task": "aldreservice", "social_services": ["serviceboende_med_heldygnsomsorg"],
            "author": AUTHOR, "created_at": NOW,
            "signature": Signature(method="system", signer_first_name="Maija",
                                   signer_last_name="Meikäläinen",
                                   identification_method="professional card", signed_at=NOW),
            "content": Content(structured=structured, xhtml=f"<p>{text}</p>",
                               schema_version=SCHEMA_VERSION_CURRENT),
        }
        fields.update(self.extra)
        fields.update(override)
        return seal(fields)

    def nullified(self, previous: DocumentEnvelope, version: int) -> DocumentEnvelope:
        """The nullification of ``previous``: the next version with the nullified mark."""
        data = previous.model_dump(exclude={"content_hash"})
        data.update(version=version, nullification=Nullification(
            reason="Kirjattu väärälle asiakkaalle", nullified_at=NOW))
        return seal(data)


def doc_oid(n: int, root: str = PRODUCER) -> str:
    return f"{root}.77.{n}"


@dataclass
class World:
    """A running register with the organisations set up and the clock at NOW."""

    server: Any
    client_for: Any

    def __post_init__(self) -> None:
        self.org = self.client_for(ORGANISER)
        self.prod = self.client_for(PRODUCER)
        self.other = self.client_for(OTHER)

    def open_rar(self, *clients: ClientPerson, unit: UnitPeriod | None = None) -> str:
        """Relationship documents with the producer's unit for each client and one case of
        them all; returns the case code."""
        for client in clients:
            self.org.put_relationship(relationship(client, unit or producer_unit()))
        return self.org.open_case(case_open(*clients)).case_code

    def store(self, doc: DocumentEnvelope, *, who: Any = None, usage: int = 2) -> Any:
        return (who or self.prod).store(ORGANISER, doc, usage=usage)


def make_world(register_server: Any, client_for: Any) -> World:
    setup_orgs(register_server.admin)
    register_server.set_clock(NOW)
    return World(register_server, client_for)


def refused(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Run ``call`` and return the RegisterError it must raise."""
    from carebook.protocol.errors import RegisterError

    try:
        call(*args, **kwargs)
    except RegisterError as exc:
        return exc
    raise AssertionError(f"{getattr(call, '__name__', call)} was not refused")


def own_register_client(world: World, oid: str, client: ClientPerson = ANNA) -> tuple[Any, str]:
    """The controller ``oid`` records a client and a case in its own register (PRIV-2);
    returns its client and the case code."""
    c = world.client_for(oid)
    c.put_relationship(relationship(client, unit_oid=oid + ".10"))
    code = c.open_case(case_open(client, unit_oid=oid + ".10")).case_code
    return c, code
