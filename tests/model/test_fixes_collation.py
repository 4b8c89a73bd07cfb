"""Finnish/Swedish name order and Unicode name search (new-user walkthrough, items 1-2)."""

from __future__ import annotations

import pytest
from domain_fixtures import UNIT_A, World, build_world, test_hetu
from hypothesis import given
from hypothesis import strategies as st

from carebook.model import collation
from carebook.model.services import clients, organisers, units
from carebook.model.store import Store

NORDIC_WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäöABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ -",
                       max_size=12)


def test_the_alphabet_ends_z_a_ring_a_diaeresis_o_diaeresis() -> None:
    names = ["Öberg", "Äkäslompolo", "Zetterberg", "Åkerman", "Äijälä", "aho", "Virtanen"]
    assert sorted(names, key=collation.sort_key) == [
        "aho", "Virtanen", "Zetterberg", "Åkerman", "Äijälä", "Äkäslompolo", "Öberg"]


def test_marked_letters_sort_with_their_base_and_nordic_variants() -> None:
    assert sorted(["Ørsted", "Müller", "Éclair", "Eero", "Oja"], key=collation.sort_key) == [
        "Éclair", "Eero", "Müller", "Oja", "Ørsted"]


@given(NORDIC_WORDS)
def test_case_does_not_change_the_order(word: str) -> None:
    assert collation.primary_key(word.upper()) == collation.primary_key(word.lower())


@given(NORDIC_WORDS, NORDIC_WORDS)
def test_a_ring_before_a_diaeresis_before_o_diaeresis_after_z(head: str, tail: str) -> None:
    keys = [collation.sort_key(head + letter + tail) for letter in "zåäö"]
    assert keys == sorted(keys) and len(set(keys)) == 4


@given(st.lists(st.text(max_size=8), max_size=12), st.randoms())
def test_the_order_is_total_and_independent_of_input_order(words: list[str],
                                                           rnd: object) -> None:
    shuffled = list(words)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    assert sorted(words, key=collation.sort_key) == sorted(shuffled, key=collation.sort_key)
    for a in words:
        for b in words:  # equal keys only for equal texts: no arbitrary ties
            assert (collation.sort_key(a) == collation.sort_key(b)) == (a == b)


@given(NORDIC_WORDS, NORDIC_WORDS)
def test_contains_ignores_case_of_any_letter(word: str, other: str) -> None:
    assert collation.contains(other + word.upper() + other, word.lower())


@pytest.fixture
def world(store: Store) -> World:
    w = build_world(store)
    for n, (first, last) in enumerate([("Aili", "Öberg"), ("Eino", "Äkäslompolo"),
                                       ("Saga", "Åkerman"), ("Veikko", "Äijälä"),
                                       ("Ilona", "aho")], start=1):
        clients.add_client(store, w.director, hetu=test_hetu(n), first_name=first,
                           last_name=last, unit_oid=UNIT_A)
    return w


def test_client_list_is_in_finnish_swedish_order(world: World) -> None:
    listed = [c.last_name for c in clients.list_clients(world.store, world.nurse)]
    assert listed == ["aho", "Åkerman", "Äijälä", "Äkäslompolo", "Öberg"]


@pytest.mark.parametrize(("needle", "found"), [
    ("öberg", ["Öberg"]), ("ÄIJÄ", ["Äijälä"]), ("äkäs", ["Äkäslompolo"]),
    ("AHO", ["aho"]), ("saga åker", ["Åkerman"]), ("ä", ["Äijälä", "Äkäslompolo"])])
def test_name_search_ignores_case_of_nordic_letters(world: World, needle: str,
                                                    found: list[str]) -> None:
    hits = clients.list_clients(world.store, world.nurse, name=needle)
    assert [c.last_name for c in hits] == found


def test_units_and_organisers_are_listed_in_finnish_swedish_order(store: Store) -> None:
    w = build_world(store)  # units "Kotipesä", "Metsäpirtti"
    units.add_unit(store, w.admin, name="Östersundom", oid=UNIT_A + "7", assign_self=False)
    units.add_unit(store, w.admin, name="Ähtäri", oid=UNIT_A + "8", assign_self=False)
    units.add_unit(store, w.admin, name="Åland", oid=UNIT_A + "9", assign_self=False)
    units.add_unit(store, w.admin, name="anttila", oid=UNIT_A + "6", assign_self=False)
    assert [u.name for u in units.list_units(store, w.admin)] == [
        "anttila", "Kotipesä", "Metsäpirtti", "Åland", "Ähtäri", "Östersundom"]
    organisers.add_organiser(store, w.admin, name="Ålands landskapsregering",
                             oid="1.2.246.10.11112222")
    assert [o.name for o in organisers.list_organisers(store, w.admin)] == [
        "Testin hyvinvointialue", "Ålands landskapsregering"]
