"""Smoke test of the storage benchmark (issue #2 item 11) with tiny numbers.

The workload runs through the real services on both variants (SQLCipher and plain SQLite);
the checks are about what was stored and found, never about how long it took.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import store as bench_store
from care_texts import QUERIES
from sqlalchemy import func, select
from stdnum.fi import hetu as fi_hetu
from store_workload import (
    build_world,
    kela_test_hetu,
    open_timeline,
    plan_entries,
    search_all,
    write_entries,
)

from carebook.model.services import clients
from carebook.model.store import Store
from carebook.model.tables.document import Document

ENTRIES, CLIENTS, FOCUS = 80, 2, 60


@pytest.fixture(params=["encrypted", "plain"])
def bench_store_file(request: pytest.FixtureRequest, tmp_path: Path, data_key: bytes):
    key = data_key if request.param == "encrypted" else None
    store = Store.create(tmp_path / f"{request.param}.db", key)
    yield store
    store.close()


def test_workload_stores_every_entry_and_reads_them_back(bench_store_file: Store) -> None:
    world = build_world(bench_store_file, clients_count=CLIENTS)
    planned = plan_entries(entries=ENTRIES, clients_count=CLIENTS, focus=FOCUS)
    assert write_entries(world, planned) == ENTRIES

    with bench_store_file.session() as session:
        per_client = dict(session.execute(select(Document.client_id, func.count())
                                          .group_by(Document.client_id)).all())
        states = set(session.scalars(select(Document.state)))
    assert per_client == {world.client_ids[0]: FOCUS, world.client_ids[1]: ENTRIES - FOCUS}
    assert states == {"completed"}  # every entry was written and signed

    page = open_timeline(world)
    assert len(page.items) == 50 and page.next_cursor is not None
    times = [d.recorded_at for d in page.items]
    assert times == sorted(times, reverse=True)
    newest = max(p.recorded_at for p in planned if p.client == 0)
    assert times[0] == newest and all(d.client_ids == (world.focus_client,)
                                      for d in page.items)


def test_search_finds_the_words_the_workload_wrote(bench_store_file: Store) -> None:
    world = build_world(bench_store_file, clients_count=CLIENTS)
    planned = plan_entries(entries=ENTRIES, clients_count=CLIENTS, focus=FOCUS)
    write_entries(world, planned)
    for query in ("verenpaine", "lääkkeet otettu"):
        words = query.split()
        expected = [p for p in planned
                    if all(re.search(rf"\b{w}", p.text, re.IGNORECASE) for w in words)]
        hits = search_all(world, query)
        assert expected and len(hits) == min(50, len(expected))
        assert all(words[0] in h.snippet.lower() for h in hits)


def test_clients_get_kela_test_codes_only(store: Store) -> None:
    world = build_world(store, clients_count=3)
    codes = [clients.get_client(store, world.director, cid).hetu for cid in world.client_ids]
    assert all(c and fi_hetu.is_valid(c, allow_temporary=True) for c in codes)
    assert all(900 <= int(c[7:10]) <= 999 for c in codes if c)
    with pytest.raises(ValueError):
        kela_test_hetu(date(1950, 1, 1), 899)


def test_plan_is_repeatable_and_spreads_entries_over_the_clients() -> None:
    first = plan_entries(entries=200, clients_count=5, focus=40)
    assert first == plan_entries(entries=200, clients_count=5, focus=40)
    counts = [sum(1 for p in first if p.client == c) for c in range(5)]
    assert counts == [40, 40, 40, 40, 40]
    assert [p.recorded_at for p in first] == sorted(p.recorded_at for p in first)


@pytest.mark.parametrize("mode", ["--serial", None])
def test_benchmark_prints_both_variants_ratios_and_targets(
        mode: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--entries", "30", "--clients", "2", "--focus", "20", "--reps", "2"]
    assert bench_store.main(argv + ([mode] if mode else [])) == 0
    out = capsys.readouterr().out
    assert "encrypted" in out and "plain" in out and "ratio" in out
    for target in ("insert ratio <= 1.3", "timeline page, encrypted median <= 20 ms",
                   "search, encrypted median <= 50 ms"):
        assert target in out
    for query in QUERIES:
        assert query in out
