"""Finnish (and plan-type English) names of code values (rules-documents §6).

A Finnish care worker must read code values in Finnish, not in the Swedish fallback; the
names come from ``resources/codesets/names-fi-en.json`` where the source code sets give none.
"""

from __future__ import annotations

from datetime import date

import pytest

from carebook.model import codesets

FILLED = (codesets.SOCIAL_SERVICE, codesets.PLAN_TYPE, codesets.MYKANTA_RESTRICTION_REASON,
          codesets.CASE_NAME, codesets.SERVICE_TASK, codesets.GUARDIAN_DISCLOSURE,
          codesets.GUARDIAN_REFUSAL_REASON, codesets.WORK_TASK)


@pytest.mark.parametrize("set_id", FILLED)
def test_every_code_has_a_finnish_name_that_is_not_its_key(set_id: str) -> None:
    """Valid and retired codes alike (old documents still show retired services)."""
    for code in codesets.codeset(set_id).codes:
        finnish = code.name("fi")
        assert finnish.strip() and finnish != code.key, code.key
        assert finnish.lower() == code.fi.lower(), code.key  # shown with a capital first letter


def test_no_code_set_falls_back_to_swedish_for_finnish_users() -> None:
    missing = [(s.id, c.key) for s in codesets.all_codesets().values() for c in s.codes
               if not c.fi]
    assert missing == []


def test_retired_social_services_have_finnish_names() -> None:
    retired = {c.key: c.name("fi") for c in codesets.codeset(codesets.SOCIAL_SERVICE).codes
               if c.valid_to is not None}
    assert retired == {"hemservice": "Kotipalvelu",
                       "effektiverat_serviceboende": "Tehostettu palveluasuminen"}


def test_plan_types_have_english_names_not_swedish() -> None:
    for code in codesets.codeset(codesets.PLAN_TYPE).codes:
        assert code.name("en").strip() and code.name("en") != code.sv, code.key
        assert code.name("sv") == code.sv


def test_overlay_names_only_existing_codes_and_cites_its_source() -> None:
    """A typo in a key would silently leave a code in Swedish."""
    overlay = codesets.name_overlay()
    assert set(overlay) <= set(codesets.all_codesets())
    for set_id, names in overlay.items():
        keys = {c.key for c in codesets.codeset(set_id).codes}
        assert set(names) <= keys, (set_id, set(names) - keys)
        for entry in names.values():
            assert entry["fi"].strip()
            source = entry["fi_source"]
            assert source == "translation" or source.startswith("seed:")


def test_existing_source_names_are_kept() -> None:
    """Names printed by the source code sets win over the overlay."""
    services = codesets.codeset(codesets.SOCIAL_SERVICE)
    tasks = codesets.codeset(codesets.SERVICE_TASK)
    fi_names = {c.fi for c in services.codes} | {c.fi for c in tasks.codes}
    assert {"kotihoito", "henkilökohtainen apu", "iäkkäiden palvelut",
            "vammaispalvelut"} <= fi_names


def test_display_name_in_finnish_for_plan_types_and_services() -> None:
    assert codesets.display_name(codesets.PLAN_TYPE, "aldreservice", "fi") == (
        "Iäkkäiden palvelujen toteuttamissuunnitelma")
    assert codesets.display_name(codesets.PLAN_TYPE, "aldreservice", "sv") == (
        "Genomförandeplan för äldreservice")
    assert codesets.display_name(codesets.PLAN_TYPE, "aldreservice", "en") == (
        "Implementation plan for services for older people")
    assert codesets.display_name(codesets.SOCIAL_SERVICE, "serviceboende_med_heldygnsomsorg",
                                 "fi") == "Ympärivuorokautinen palveluasuminen"


def test_valid_codes_lists_finnish_names() -> None:
    names = dict(codesets.valid_codes(codesets.CASE_NAME, on=date(2026, 9, 1), language="fi"))
    assert names["99"] == "Muu sosiaalihuollon asia"


def test_names_read_as_labels_with_a_capital_first_letter() -> None:
    """The seeds quote some Finnish names from running text; lists and the card show them as
    labels ("Kotihoito"), while the stored name stays as printed."""
    assert codesets.display_name(codesets.SERVICE_TASK, "aldreservice", "fi") == (
        "Iäkkäiden palvelut")
    for set_id, code_set in codesets.all_codesets().items():
        for code in code_set.codes:
            for language in ("fi", "sv", "en"):
                name = code.name(language)
                assert not name or not name[0].islower(), (set_id, code.key, language, name)
