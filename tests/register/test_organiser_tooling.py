"""Organiser tooling over HTTPS (API and CLI): relationships, cases, members, history."""

import json
from datetime import UTC, date, datetime

import pytest
from rar_world import (
    ANNA,
    BERTIL,
    CELIA,
    ORG_AUTHOR,
    ORGANISER,
    UNIT,
    Doc,
    case_open,
    doc_oid,
    make_world,
    producer_unit,
    ref,
    refused,
    relationship,
)

from carebook.protocol.organiser import CaseClose, MemberAdd, MemberRemove
from carebook.register.cli import main as register_main


@pytest.fixture
def world(register_server, client_for):
    return make_world(register_server, client_for)


def test_relationship_updates_are_new_versions(world):
    """RAR-6, MSG-12: each update is the next version of the one relationship document."""
    first = world.org.put_relationship(relationship(ANNA))
    second = world.org.put_relationship(relationship(ANNA, producer_unit()))
    assert (first.version, second.version) == (1, 2)
    assert first.document_oid == second.document_oid
    assert first.document_oid.startswith(ORGANISER + ".")
    history = world.org.versions(first.document_oid)
    assert [len(v.document.content.structured["service_units"]) for v in history.versions] == \
        [0, 1]


def test_relationship_opens_and_closes_rar_for_the_producer(world):
    """RAR-5, RAR-8: the organiser's unit window is what the producer sees and gets."""
    world.org.put_relationship(relationship(ANNA, producer_unit(start=date(2026, 10, 5))))
    result = world.prod.relationship(ORGANISER, ANNA.hetu, usage=2)
    assert result.rar_in_force is False and result.relationship is None
    world.org.put_relationship(relationship(ANNA, producer_unit()))
    result = world.prod.relationship(ORGANISER, ANNA.hetu, usage=2)
    assert result.rar_in_force is True
    assert result.relationship.document.clients[0].hetu == ANNA.hetu
    assert [u.unit_oid for u in result.rar_units] == [UNIT]


def test_producer_unit_must_be_registered(world):
    """ID-4: the organiser records the producer's unit OID; an unknown unit is refused."""
    err = refused(world.org.put_relationship, relationship(
        ANNA, producer_unit("1.2.246.10.5555.1")))
    assert err.code == "INVALID_REQUEST"


def test_case_lifecycle_and_joint_members(world):
    """ID-9, RAR-27, RAR-28, RAR-19: open, add and remove members, close."""
    for p in (ANNA, BERTIL, CELIA):
        world.org.put_relationship(relationship(p, producer_unit()))
    case = world.org.open_case(case_open(ANNA, BERTIL))
    assert case.case_code.startswith(ORGANISER + ".2.")
    assert case.case.status == "open" and case.document.receipt.version == 1
    world.server.set_clock(datetime(2026, 10, 2, tzinfo=UTC))
    added = world.org.add_member(case.case_code, MemberAdd(client=ref(CELIA), author=ORG_AUTHOR))
    assert sorted(added.case.active_members(datetime(2026, 10, 3, tzinfo=UTC))) == \
        sorted([ANNA.hetu, BERTIL.hetu, CELIA.hetu])
    assert refused(world.org.add_member, case.case_code,
                   MemberAdd(client=ref(CELIA), author=ORG_AUTHOR)).status == 409
    removed = world.org.remove_member(case.case_code, BERTIL.hetu,
                                      MemberRemove(author=ORG_AUTHOR))
    assert {m.client.key for m in removed.case.members if m.left_at is None} == \
        {ANNA.hetu, CELIA.hetu}
    assert removed.document.receipt.version == 3
    # a joint-case document for the current composition is accepted
    assert world.store(Doc(doc_oid(1), [ANNA, CELIA], case.case_code).envelope(
        created_at=datetime(2026, 10, 2, tzinfo=UTC))).version == 1
    closed = world.org.close_case(case.case_code, CaseClose(author=ORG_AUTHOR))
    assert closed.case.status == "closed" and closed.case.closed_at is not None
    assert refused(world.org.add_member, case.case_code,
                   MemberAdd(client=ref(BERTIL), author=ORG_AUTHOR)).code == "CASE_CLOSED"
    assert refused(world.org.close_case, case.case_code,
                   CaseClose(author=ORG_AUTHOR)).code == "CASE_CLOSED"


def test_case_keeps_one_member_and_codes_are_unique(world):
    """ID-9: no two case documents share a case code; a case keeps at least one member."""
    world.org.put_relationship(relationship(ANNA))
    case = world.org.open_case(case_open(ANNA))
    assert refused(world.org.remove_member, case.case_code, ANNA.hetu,
                   MemberRemove(author=ORG_AUTHOR)).code == "INVALID_REQUEST"
    again = case_open(ANNA).model_copy(update={"case_code": case.case_code})
    err = refused(world.org.open_case, again)
    assert (err.code, err.rule) == ("CASE_CODE_TAKEN", "ID-9")


def test_one_relationship_document_per_client(world):
    """MSG-18: one extended client-relationship document per person per controller."""
    world.org.put_relationship(relationship(ANNA))
    existing = world.org.client_overview(ANNA.hetu).relationship.document
    from carebook.protocol.envelope import seal

    data = existing.model_dump(exclude={"content_hash"})
    data.update(document_oid=ORGANISER + ".1.999", version=1)
    err = refused(world.store, seal(data), who=world.org, usage=1)
    assert err.code == "RELATIONSHIP_EXISTS"


def test_client_overview_reads_everything_in_the_register(world):
    """The organiser reads relationship, cases and all current documents of a client."""
    case = world.open_rar(ANNA)
    world.store(Doc(doc_oid(1), [ANNA], case).envelope())
    overview = world.org.client_overview(ANNA.hetu)
    assert overview.relationship is not None
    assert [c.case_code for c in overview.cases] == [case]
    assert doc_oid(1) in [d.document.document_oid for d in overview.documents]


def cli(capsys, *argv):
    code = register_main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_admin_and_tooling_over_https(register_server, capsys):
    """The CLI: org/unit add on the database, then the organiser's tools with its
    certificate over HTTPS."""
    db = ["--db", register_server.db_url]
    assert cli(capsys, "org", "add", "--oid", ORGANISER, "--name", "HVA", "--kind",
               "organiser", *db)[0] == 0
    assert cli(capsys, "org", "add", "--oid", "1.2.246.10.2001.1", "--name", "Koti",
               "--kind", "producer", *db)[0] == 0
    assert cli(capsys, "unit", "add", "--producer", "1.2.246.10.2001.1", "--oid", UNIT,
               "--name", "Koivu", *db)[0] == 0
    code, out, _ = cli(capsys, "org", "list", *db)
    assert [o["units"] for o in json.loads(out) if o["kind"] == "producer"] == [[UNIT]]
    code, _, err = cli(capsys, "org", "add", "--oid", "x.y", "--name", "Bad", "--kind",
                       "producer", *db)
    assert code == 1 and "INVALID_REQUEST" in err and "Traceback" not in err

    cert, key = register_server.issue(ORGANISER)
    remote = ["--url", register_server.url, "--cert", str(cert), "--key", str(key),
              "--ca", str(register_server.ca_path)]
    who = ["--author", "Sari Sosiaalityöntekijä"]
    code, out, err = cli(capsys, "client-relationship", "set", "--client", ANNA.hetu,
                         "--first-name", "Anna", "--last-name", "Asiakas", "--birth-date",
                         "1950-01-01", "--unit", ORGANISER + ".5", "--social-care-start",
                         "2026-08-01", "--producer-unit", f"{UNIT}:2026-09-01:2026-12-31",
                         *who, *remote)
    assert code == 0, err
    assert json.loads(out)["version"] == 1
    code, out, err = cli(capsys, "case", "open", "--member", ANNA.hetu, "--name-code",
                         "vard_och_omsorg", "--service-task", "aldreservice", "--unit",
                         ORGANISER + ".5", *who, *remote)
    assert code == 0, err
    case_code = json.loads(out)["case_code"]
    code, out, _ = cli(capsys, "case", "close", "--case-code", case_code, *who, *remote)
    assert json.loads(out)["case"]["status"] == "closed"
    code, out, _ = cli(capsys, "client", "show", "--client", ANNA.hetu, *remote)
    assert json.loads(out)["cases"][0]["case_code"] == case_code
    code, out, _ = cli(capsys, "history", "--client", ANNA.hetu, *remote)
    assert sorted(len(h["versions"]) for h in json.loads(out)) == [1, 2]
    code, out, _ = cli(capsys, "usage-log", "--client", ANNA.hetu, *remote)
    assert {e["action"] for e in json.loads(out)["entries"]} >= {"store", "search", "read"}
    code, _, err = cli(capsys, "member", "add", "--case-code", case_code, "--client",
                       BERTIL.hetu, *who, *remote)
    assert code == 1 and "CASE_CLOSED" in err and "RAR-19" in err


def test_relationship_recorded_again_after_nullification(world):
    """MSG-13, MSG-18: after the relationship document was nullified (wrong person), a new
    one can be recorded and is the one the producer finds."""
    from carebook.protocol.envelope import nullification_of

    first = world.org.put_relationship(relationship(ANNA, producer_unit()))
    stored = world.org.client_overview(ANNA.hetu).relationship.document
    world.store(nullification_of(stored, reason="väärä henkilö", at=world.server.clock()),
                who=world.org, usage=1)
    assert world.org.client_overview(ANNA.hetu).relationship is None
    second = world.org.put_relationship(relationship(ANNA, producer_unit()))
    assert second.document_oid != first.document_oid and second.version == 1
    found = world.prod.relationship(ORGANISER, ANNA.hetu, usage=2)
    assert found.relationship.receipt.document_oid == second.document_oid


def test_cli_errors_are_one_line_never_a_traceback(register_server, capsys):
    """Bad identities and an unreachable register: one clear line, exit status 1."""
    cert, key = register_server.issue(ORGANISER)
    base = ["--cert", str(cert), "--key", str(key), "--ca", str(register_server.ca_path)]
    args = ["case", "open", "--member", "150548-902X", "--name-code", "vard_och_omsorg",
            "--service-task", "aldreservice", "--unit", ORGANISER + ".5", "--author", "A B"]
    code, _, err = cli(capsys, *args, "--url", register_server.url, *base)
    assert code == 1 and "150548-902X" in err and "Traceback" not in err
    code, _, err = cli(capsys, "client", "show", "--client", ANNA.hetu,
                       "--url", "https://127.0.0.1:9", *base)
    assert code == 1 and "connection refused" in err and err.strip().endswith(
        "(CONNECTION_REFUSED)")
