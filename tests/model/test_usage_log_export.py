"""Exporting the filtered usage log (AC-8: reports for the client and the supervisor)."""

from __future__ import annotations

import csv
import stat
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from carebook.errors import AccessDeniedError, ValidationError
from carebook.model import audit, clock
from carebook.model.services import staff, usage_log
from carebook.model.store import Store
from tests.model.domain_fixtures import World, build_world

# Two clients' events in January and one in March (Finnish time), by two users.
EVENTS = [
    (datetime(2026, 1, 10, 8, 0, tzinfo=clock.FINLAND), "nurse", 7),
    (datetime(2026, 1, 31, 23, 30, tzinfo=clock.FINLAND), "nurse_b", 8),
    (datetime(2026, 3, 1, 0, 30, tzinfo=clock.FINLAND), "nurse", 7),
]


@pytest.fixture
def world(store: Store) -> World:
    w = build_world(store)
    with store.session() as session:
        for at, actor, client in EVENTS:
            # Written in UTC, as the services write every event.
            audit.record(session, actor=actor, action=audit.READ, client_id=client,
                         objects=["1.2.246.10.1.99"], at=at.astimezone(UTC),
                         detail="test event")
    return w


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _expected_ids(store: Store, **filters: object) -> list[str]:
    with store.session() as session:
        return [str(e.id) for e in audit.events(session, **filters)]  # type: ignore[arg-type]


def test_ac8_export_by_client_writes_exactly_the_filtered_events(world: World,
                                                                  tmp_path: Path) -> None:
    expected = _expected_ids(world.store, client_id=7)
    out = tmp_path / "client7.csv"
    count = usage_log.export_usage_events(world.store, world.director, out=out, client_id=7)
    rows = _rows(out)
    assert count == 2 == len(rows)
    assert [r["id"] for r in rows] == expected
    assert {r["client_id"] for r in rows} == {"7"} and rows[0]["actor"] == "nurse"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert list(rows[0]) == list(audit.CSV_HEADER)


def test_ac8_export_by_finnish_period_and_user(world: World, tmp_path: Path) -> None:
    """January in Finnish time: 31.1. 23:30 is inside, 1.3. 00:30 is not."""
    since = datetime(2026, 1, 1, tzinfo=clock.FINLAND)
    until = datetime(2026, 2, 1, tzinfo=clock.FINLAND)
    out = tmp_path / "january.csv"
    assert usage_log.export_usage_events(world.store, world.director, out=out, since=since,
                                         until=until) == 2
    assert {r["actor"] for r in _rows(out)} == {"nurse", "nurse_b"}
    only_nurse = tmp_path / "nurse.csv"
    usage_log.export_usage_events(world.store, world.director, out=only_nurse, actor="nurse",
                                  since=since, until=until)
    assert [r["client_id"] for r in _rows(only_nurse)] == ["7"]


def test_ac8_the_export_is_logged_and_the_chain_stays_intact(world: World,
                                                             tmp_path: Path) -> None:
    usage_log.export_usage_events(world.store, world.director, out=tmp_path / "a.csv",
                                  client_id=8)
    with world.store.session() as session:
        last = list(audit.events(session))[-1]
        assert audit.verify(session).ok
    assert (last.action, last.actor, last.client_id) == (audit.EXPORT, "director", 8)
    assert last.detail is not None and "1 events" in last.detail
    # The export event is not in the file written before it.
    assert audit.EXPORT not in {r["action"] for r in _rows(tmp_path / "a.csv")}


def test_ac8_a_care_worker_cannot_export_and_nothing_is_written(world: World,
                                                                tmp_path: Path) -> None:
    out = tmp_path / "export" / "denied.csv"
    out.parent.mkdir()
    before = _expected_ids(world.store)
    with pytest.raises(AccessDeniedError):
        usage_log.export_usage_events(world.store, world.nurse, out=out)
    assert list(out.parent.iterdir()) == []
    assert _expected_ids(world.store) == before


def test_export_to_a_folder_or_missing_folder_is_refused_without_an_event(
        world: World, tmp_path: Path) -> None:
    before = _expected_ids(world.store)
    with pytest.raises(ValidationError) as folder:
        usage_log.export_usage_events(world.store, world.director, out=tmp_path)
    assert folder.value.code == "target_is_folder"
    with pytest.raises(ValidationError) as missing:
        usage_log.export_usage_events(world.store, world.director,
                                      out=tmp_path / "nowhere" / "x.csv")
    assert missing.value.code == "no_folder"
    assert _expected_ids(world.store) == before


def test_usage_log_filters_by_period_given_in_finnish_time(world: World) -> None:
    rows = usage_log.usage_log(world.store, world.director,
                               since=datetime(2026, 3, 1, tzinfo=clock.FINLAND),
                               until=datetime(2026, 3, 2, tzinfo=clock.FINLAND))
    assert [(r.actor, r.at) for r in rows] == [
        ("nurse", datetime(2026, 2, 28, 22, 30, tzinfo=UTC))]


def test_log_users_names_every_user_for_the_director_only(world: World) -> None:
    staff.deactivate_staff(world.store, world.admin, username="nurse_b")
    users = usage_log.log_users(world.store, world.director)
    assert ("nurse_b", "Bea Hoitaja") in users and ("admin", "Aino Admin") == users[0]
    with pytest.raises(AccessDeniedError):
        usage_log.log_users(world.store, world.nurse)


def test_ac8_export_through_an_event_leaves_out_later_ones(world: World, tmp_path: Path) -> None:
    """The viewer exports what it showed: reading the log later adds a client-7 event."""
    shown = usage_log.usage_log(world.store, world.director, client_id=7)
    out = tmp_path / "shown.csv"
    count = usage_log.export_usage_events(world.store, world.director, out=out, client_id=7,
                                          through_id=shown[-1].id)
    assert count == len(shown) == 2
    assert [r["id"] for r in _rows(out)] == [str(e.id) for e in shown]
    assert len(usage_log.usage_log(world.store, world.director, client_id=7)) == 4


_days = st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 4, 1))


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(first=_days, last=_days, client=st.sampled_from([None, 7, 8]),
       actor=st.sampled_from([None, "nurse", "nurse_b"]))
def test_ac8_any_period_exports_exactly_the_events_inside_it(
        world: World, tmp_path: Path, first: date, last: date, client: int | None,
        actor: str | None) -> None:
    """Whole Finnish days from ``first`` to ``last``; the app's own events (today) are
    outside every generated period."""
    since = datetime.combine(first, time(0), tzinfo=clock.FINLAND)
    until = datetime.combine(last + timedelta(days=1), time(0), tzinfo=clock.FINLAND)
    out = tmp_path / f"{first}-{last}-{client}-{actor}.csv"
    count = usage_log.export_usage_events(world.store, world.director, out=out,
                                          client_id=client, actor=actor, since=since,
                                          until=until)
    expected = [(a, c) for at, a, c in EVENTS if since <= at < until
                and client in (None, c) and actor in (None, a)]
    assert [(r["actor"], int(r["client_id"])) for r in _rows(out)] == expected
    assert count == len(expected)
