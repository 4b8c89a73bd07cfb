"""Access control inside the services (issue #2 item 7): role rights (AC-2), relevant
connection with special reasons (AC-6), security prohibition (AC-11), usage log (AC-8).
Every test calls the services directly, as a script or a modified UI would."""

from __future__ import annotations

from datetime import timedelta

import pytest
from domain_fixtures import UNIT_A, UNIT_B, World, build_world, test_hetu

from carebook.errors import (
    AccessDeniedError,
    CarebookError,
    NoRelevantConnectionError,
    ValidationError,
)
from carebook.model import access, audit, clock
from carebook.model.services import (
    clients,
    journal,
    lifecycle,
    search,
    setup,
    staff,
    units,
    usage_log,
)
from carebook.model.store import Store


@pytest.fixture
def world(store: Store) -> World:
    return build_world(store)


def _client(w: World, n: int = 1, unit: str = UNIT_A, **kw: object) -> int:
    return clients.add_client(w.store, w.director, hetu=test_hetu(n), first_name="Matti",
                              last_name="Testinen", unit_oid=unit, **kw).id  # type: ignore[arg-type]


def _events(w: World, **kw: object) -> list[audit.AuditRecord]:
    with w.store.session() as s:
        return list(audit.events(s, **kw))  # type: ignore[arg-type]


def test_admin_without_care_role_cannot_read_journal_content_ac2(world: World) -> None:
    """The clerk works in unit A but holds only the admin role."""
    cid = _client(world)
    journal.record_journal_entry(world.store, world.nurse, client_id=cid, entry_type="daily",
                                 text="Aamupala maistui", complete=True)
    with pytest.raises(AccessDeniedError) as err:
        journal.client_timeline(world.store, world.clerk, client_id=cid)
    assert err.value.code == "role_denied"
    with pytest.raises(AccessDeniedError):
        search.search_entries(world.store, world.clerk, query="aamupala")
    with pytest.raises(AccessDeniedError):
        journal.record_journal_entry(world.store, world.clerk, client_id=cid,
                                     entry_type="daily", text="x")
    # ...but may see the client's identity data, which administration needs.
    assert clients.get_client(world.store, world.clerk, cid).last_name == "Testinen"


def test_care_worker_cannot_manage_staff_or_units_ac2(world: World) -> None:
    with pytest.raises(AccessDeniedError):
        staff.add_staff(world.store, world.nurse, username="eve", first_name="Eve",
                        last_name="Hacker", title="Hoitaja", roles=["admin"])
    with pytest.raises(AccessDeniedError):
        staff.set_roles(world.store, world.nurse, username="nurse", roles=["admin"])
    with pytest.raises(AccessDeniedError):
        units.add_unit(world.store, world.nurse, name="Oma", oid="1.2.246.10.1.10.9")
    assert staff.get_staff(world.store, world.nurse, "nurse").roles == ("care_worker",)


def test_no_relevant_connection_refuses_read_and_write_ac6(world: World) -> None:
    """nurse_b works in unit B; the client is a client of unit A only."""
    cid = _client(world)
    with pytest.raises(NoRelevantConnectionError):
        journal.client_timeline(world.store, world.nurse_b, client_id=cid)
    with pytest.raises(NoRelevantConnectionError):
        journal.record_journal_entry(world.store, world.nurse_b, client_id=cid,
                                     entry_type="daily", text="x")
    with pytest.raises(NoRelevantConnectionError):
        clients.get_client(world.store, world.nurse_b, cid)
    assert clients.list_clients(world.store, world.nurse_b) == []


def test_special_reason_opens_access_and_is_logged_ac6_ac8(world: World) -> None:
    cid = _client(world)
    page = journal.client_timeline(world.store, world.nurse_b, client_id=cid,
                                   special_reason="urgent")
    assert page.items == ()
    doc = journal.record_journal_entry(world.store, world.nurse_b, client_id=cid,
                                       entry_type="visit", text="Sijaisena käynti",
                                       special_reason="substitute")
    reasons = [(e.action, e.reason) for e in _events(world, actor="nurse_b")]
    assert (audit.READ, "urgent") in reasons and (audit.STORE, "substitute") in reasons
    assert doc.unit_id != 0


def test_unknown_special_reason_is_refused_ac6(world: World) -> None:
    cid = _client(world)
    with pytest.raises(ValidationError) as err:
        journal.client_timeline(world.store, world.nurse_b, client_id=cid,
                                special_reason="curiosity")
    assert err.value.code == "unknown_code"


def test_relevant_connection_follows_the_rar_window_rar8_rar24(world: World) -> None:
    from domain_fixtures import ORGANISER_OID

    today = clock.today()
    ended = clients.add_client(world.store, world.director, hetu=test_hetu(3),
                               first_name="Eeva", last_name="Mennyt", unit_oid=UNIT_A,
                               organiser_oid=ORGANISER_OID, rar_start=today - timedelta(60),
                               rar_end=today - timedelta(1))
    future = clients.add_client(world.store, world.director, hetu=test_hetu(4),
                                first_name="Tuula", last_name="Tuleva", unit_oid=UNIT_A,
                                organiser_oid=ORGANISER_OID, rar_start=today + timedelta(3))
    for cid in (ended.id, future.id):
        with pytest.raises(NoRelevantConnectionError):
            journal.client_timeline(world.store, world.nurse, client_id=cid)
    assert {c.id for c in clients.list_clients(world.store, world.nurse)} == set()


def test_deactivated_user_is_refused_even_with_an_old_session(world: World) -> None:
    cid = _client(world)
    staff.deactivate_staff(world.store, world.admin, username="nurse")
    with pytest.raises(AccessDeniedError):
        journal.client_timeline(world.store, world.nurse, client_id=cid)
    with pytest.raises(AccessDeniedError):
        access.open_session(world.store, "nurse")


def test_removed_unit_takes_effect_at_the_next_call_ac6(world: World) -> None:
    cid = _client(world)
    journal.client_timeline(world.store, world.nurse, client_id=cid)
    staff.set_units(world.store, world.admin, username="nurse", unit_oids=[UNIT_B])
    with pytest.raises(NoRelevantConnectionError):
        journal.client_timeline(world.store, world.nurse, client_id=cid)


def test_security_prohibited_fields_hidden_without_the_right_ac11(world: World) -> None:
    cid = _client(world, security_prohibition=True, address="Salainen katu 1",
                  municipality="Testilä", phone="0401234567")
    seen = clients.get_client(world.store, world.nurse, cid)
    assert seen.security_prohibition and seen.prohibited_hidden
    assert (seen.address, seen.municipality, seen.phone) == (None, None, None)
    staff.set_prohibited_right(world.store, world.admin, username="nurse", allowed=True)
    seen = clients.get_client(world.store, world.refresh(world.nurse), cid)
    assert seen.address == "Salainen katu 1" and not seen.prohibited_hidden


def test_secret_phone_is_hidden_ac11(world: World) -> None:
    cid = _client(world, phone="0409999999", secret_phone=True)
    assert clients.get_client(world.store, world.nurse, cid).phone is None


def test_usage_log_for_director_and_admin_only_ac8(world: World) -> None:
    cid = _client(world)
    journal.client_timeline(world.store, world.nurse, client_id=cid)
    with pytest.raises(AccessDeniedError):
        usage_log.usage_log(world.store, world.nurse, client_id=cid)
    with pytest.raises(AccessDeniedError):
        usage_log.verify_usage_log(world.store, world.nurse)
    rows = usage_log.usage_log(world.store, world.director, client_id=cid)
    assert {r.action for r in rows} >= {audit.STORE, audit.READ}
    assert all(r.client_id == cid for r in rows)
    assert usage_log.verify_usage_log(world.store, world.admin).ok
    # Reading the log is itself logged.
    assert any(e.actor == "director" and e.detail and "usage log read" in e.detail
               for e in _events(world))


def test_usage_log_filters_by_actor_and_time(world: World) -> None:
    cid = _client(world)
    journal.client_timeline(world.store, world.nurse, client_id=cid)
    rows = usage_log.usage_log(world.store, world.director, actor="nurse")
    assert rows and {r.actor for r in rows} == {"nurse"}
    assert rows[0].at is not None
    later = usage_log.usage_log(world.store, world.director, since=rows[-1].at + timedelta(1))
    assert later == []


def test_every_read_search_and_store_is_logged_ac8(world: World) -> None:
    cid = _client(world)
    doc = journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                       entry_type="daily", text="Ulkoilu puistossa")
    lifecycle.complete_document(world.store, world.nurse, document_id=doc.id)
    lifecycle.get_document(world.store, world.nurse, doc.id)
    search.search_entries(world.store, world.nurse, query="puisto")
    actions = [e.action for e in _events(world, actor="nurse")]
    assert actions.count(audit.STORE) >= 2
    assert audit.READ in actions and audit.SEARCH in actions
    searched = [e for e in _events(world, actor="nurse") if e.action == audit.SEARCH][-1]
    assert "puisto" not in (searched.detail or "")  # search words may name people


def test_first_admin_and_last_admin_protection(world: World) -> None:
    with pytest.raises(ValidationError):
        staff.deactivate_staff(world.store, world.admin, username="admin")
    staff.deactivate_staff(world.store, world.admin, username="clerk")  # the other admin
    with pytest.raises(ValidationError):
        staff.set_roles(world.store, world.admin, username="admin", roles=["director"])
    staff.set_roles(world.store, world.admin, username="nurse", roles=["admin", "care_worker"])
    assert staff.get_staff(world.store, world.admin, "nurse").roles == ("admin", "care_worker")


def test_open_session_reflects_the_user(world: World) -> None:
    ctx = access.open_session(world.store, "director")
    assert ctx.roles == frozenset({"director"}) and len(ctx.unit_ids) == 2
    assert ctx.test_mode
    assert setup.producer_info(world.store).test_mode


def test_therapy_and_examination_entries_for_their_author_and_director_e9(
        world: World) -> None:
    cid = _client(world)
    colleague = staff.add_staff(world.store, world.admin, username="colleague",
                                first_name="Kaisa", last_name="Kollega", title="Sairaanhoitaja",
                                roles=["care_worker"], unit_oids=[UNIT_A])
    ctx = access.open_session(world.store, colleague.username)
    doc = journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                       entry_type="therapy", text="Luottamuksellinen keskustelu",
                                       complete=True)
    assert journal.client_timeline(world.store, ctx, client_id=cid).items == ()
    assert search.search_entries(world.store, ctx, query="luottamuksellinen") == []
    with pytest.raises(CarebookError):
        lifecycle.get_document(world.store, ctx, doc.id)
    for reader in (world.nurse, world.director):
        assert [d.id for d in journal.client_timeline(world.store, reader,
                                                      client_id=cid).items] == [doc.id]
        assert len(search.search_entries(world.store, reader, query="luottamuksellinen")) == 1
