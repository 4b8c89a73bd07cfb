"""Document lifecycle in the services (issue #2 item 6; ARCHITECTURE §4): drafts by their
author, completion with a system signature and an outbox row, corrections (MSG-12), the
nullification order (MSG-13) and the RAR rules (RAR-11, RAR-15 … RAR-20, RAR-28)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from domain_fixtures import ORGANISER_OID, UNIT_A, World, build_world, test_hetu

from carebook.errors import (
    CarebookError,
    RuleViolationError,
    ValidationError,
)
from carebook.model import clock
from carebook.model.records import Restriction
from carebook.model.services import (
    attachments,
    cases,
    clients,
    journal,
    lifecycle,
    search,
)
from carebook.model.services.outbox import pending_outbox
from carebook.model.store import Store
from carebook.model.tables.document import Document


@pytest.fixture
def world(store: Store) -> World:
    return build_world(store)


def _client(w: World, n: int = 1, **kw: object) -> int:
    return clients.add_client(w.store, w.director, hetu=test_hetu(n), first_name="Matti",
                              last_name="Testinen", unit_oid=UNIT_A, **kw).id  # type: ignore[arg-type]


def _rar_client(w: World, n: int = 2, case_code: str | None = None) -> int:
    return _client(w, n, organiser_oid=ORGANISER_OID, rar_start=clock.today() - timedelta(30),
                   case_code=case_code)


def _entry(w: World, cid: int, text: str = "Päivä sujui hyvin", **kw: object) -> int:
    return journal.record_journal_entry(w.store, w.nurse, client_id=cid, entry_type="daily",
                                        text=text, **kw).id  # type: ignore[arg-type]


def test_draft_is_editable_by_its_author_only(world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid)
    edited = lifecycle.edit_draft(world.store, world.nurse, document_id=doc, text="Uusi teksti")
    assert edited.body == "Uusi teksti" and edited.version == 1 and edited.state == "draft"
    for other in (world.director, world.nurse_b):
        with pytest.raises(CarebookError) as err:
            lifecycle.edit_draft(world.store, other, document_id=doc, text="Toisen teksti",
                                 special_reason="urgent")
        assert err.value.code in {"no_document", "not_author"}
        with pytest.raises(CarebookError):
            lifecycle.complete_document(world.store, other, document_id=doc,
                                        special_reason="urgent")
    # Other users do not see the draft at all (drafts stay with their author).
    assert journal.client_timeline(world.store, world.director, client_id=cid).items == ()


def test_complete_signs_freezes_and_enqueues_in_one_step(world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid)
    assert pending_outbox(world.store) == []
    done = lifecycle.complete_document(world.store, world.nurse, document_id=doc)
    assert done.state == "completed" and done.version == 1
    sig = done.signature
    assert sig is not None and sig.method == "system" and sig.signer_name == "Nina Hoitaja"
    assert sig.signer_title == "Lähihoitaja"
    queued = pending_outbox(world.store)
    assert [(q.document_id, q.version, q.usage_code) for q in queued] == [(doc, 1, 1)]
    with pytest.raises(RuleViolationError) as err:
        lifecycle.edit_draft(world.store, world.nurse, document_id=doc, text="muutos")
    assert err.value.code == "not_draft"  # rules-documents 4.1.26: signed content is frozen


def test_correction_is_a_new_version_with_reason_corrector_title_and_time_msg12(
        world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid, complete=True)
    fixed = lifecycle.correct_document(world.store, world.director, document_id=doc,
                                       reason="typing-error", text="Päivä sujui hyvin.")
    assert (fixed.version, fixed.state, fixed.correction_reason) == (2, "completed",
                                                                     "typing-error")
    assert fixed.stored_by_name == "Dora Johtaja" and fixed.description == "Vastaava johtaja"
    assert fixed.author_name == "Nina Hoitaja"  # the author stays
    assert fixed.signature is not None and fixed.signature.signer_name == "Dora Johtaja"
    history = lifecycle.document_versions(world.store, world.nurse, doc)
    assert [(v.version, v.body) for v in history] == [(1, "Päivä sujui hyvin"),
                                                      (2, "Päivä sujui hyvin.")]
    assert [q.version for q in pending_outbox(world.store)] == [1, 2]


def test_correction_needs_a_known_reason_code(world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid, complete=True)
    with pytest.raises(ValidationError):
        lifecycle.correct_document(world.store, world.nurse, document_id=doc, reason="oops",
                                   text="x")


def test_draft_cannot_be_corrected_or_nullified(world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid)
    with pytest.raises(RuleViolationError):
        lifecycle.correct_document(world.store, world.nurse, document_id=doc,
                                   reason="typing-error", text="x")
    with pytest.raises(RuleViolationError):
        lifecycle.nullify_document(world.store, world.nurse, document_id=doc,
                                   reason="wrong-person")
    lifecycle.discard_draft(world.store, world.nurse, document_id=doc)
    with pytest.raises(CarebookError):
        lifecycle.get_document(world.store, world.nurse, doc)


def test_nullify_order_attachments_before_documents_msg13(world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid, text="Lääkärikäynti", complete=True)
    att = attachments.add_attachment(world.store, world.nurse, main_document_id=doc,
                                     description="Lausunto", data=b"%PDF-1.7 x", complete=True)
    with pytest.raises(RuleViolationError) as err:
        lifecycle.nullify_document(world.store, world.nurse, document_id=doc,
                                   reason="wrong-person")
    assert err.value.code == "nullify_order" and err.value.rule == "MSG-13"
    lifecycle.nullify_document(world.store, world.nurse, document_id=att.id,
                               reason="wrong-person")
    gone = lifecycle.nullify_document(world.store, world.nurse, document_id=doc,
                                      reason="wrong-person", reason_text="Väärä asiakas")
    assert (gone.version, gone.state, gone.nullification_reason) == (2, "nullified",
                                                                     "wrong-person")
    # As if it never existed: not in the timeline, not found by search (MSG-13).
    assert journal.client_timeline(world.store, world.nurse, client_id=cid).items == ()
    assert search.search_entries(world.store, world.nurse, query="Lääkärikäynti") == []
    shown = journal.client_timeline(world.store, world.nurse, client_id=cid,
                                    include_nullified=True).items
    assert {d.state for d in shown} == {"nullified"}


def test_nullified_document_is_never_versioned_msg11(world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid, complete=True)
    lifecycle.nullify_document(world.store, world.nurse, document_id=doc, reason="erroneous")
    with pytest.raises(RuleViolationError) as err:
        lifecycle.correct_document(world.store, world.nurse, document_id=doc,
                                   reason="typing-error", text="x")
    assert err.value.code == "nullified"
    with pytest.raises(RuleViolationError):
        lifecycle.nullify_document(world.store, world.nurse, document_id=doc,
                                   reason="erroneous")


def test_case_is_nullified_after_its_documents_msg13(world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid, complete=True)
    case_id = cases.list_cases(world.store, world.nurse, client_id=cid)[0].id
    with pytest.raises(RuleViolationError) as err:
        cases.nullify_case(world.store, world.nurse, case_id=case_id)
    assert err.value.rule == "MSG-13"
    lifecycle.nullify_document(world.store, world.nurse, document_id=doc, reason="wrong-case")
    assert cases.nullify_case(world.store, world.nurse, case_id=case_id).status == "nullified"


def test_attachment_needs_a_journal_main_document_and_a_description(world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid)
    with pytest.raises(ValidationError):
        attachments.add_attachment(world.store, world.nurse, main_document_id=doc,
                                   description=" ", data=b"%PDF x")
    att = attachments.add_attachment(world.store, world.nurse, main_document_id=doc,
                                     description="Kuva", data=b"%PDF x")
    with pytest.raises(RuleViolationError):  # rules-documents 4.1.17: exactly one main doc
        attachments.add_attachment(world.store, world.nurse, main_document_id=att.id,
                                   description="Liitteen liite", data=b"%PDF y")
    with pytest.raises(RuleViolationError) as err:  # the main document is archived first
        lifecycle.complete_document(world.store, world.nurse, document_id=att.id)
    assert err.value.code == "main_not_completed"


def test_rar_document_cannot_be_completed_without_the_organisers_case_code_rar11(
        world: World) -> None:
    cid = _rar_client(world)
    doc = _entry(world, cid)
    with pytest.raises(RuleViolationError) as err:
        lifecycle.complete_document(world.store, world.nurse, document_id=doc)
    assert err.value.rule == "RAR-11"
    case_id = cases.list_cases(world.store, world.nurse, client_id=cid)[0].id
    cases.set_case_code(world.store, world.nurse, case_id=case_id,
                        case_code=ORGANISER_OID + ".5.77")
    done = lifecycle.complete_document(world.store, world.nurse, document_id=doc)
    assert done.case_code == ORGANISER_OID + ".5.77"
    queued = pending_outbox(world.store)[-1]
    assert (queued.target_register, queued.usage_code) == (ORGANISER_OID, 2)  # MSG-15


def test_producer_creates_no_case_or_relationship_documents_under_rar_rar16(world: World) -> None:
    cid = _rar_client(world, case_code=ORGANISER_OID + ".5.1")
    case_id = cases.list_cases(world.store, world.nurse, client_id=cid)[0].id
    with pytest.raises(RuleViolationError) as err:
        cases.record_case_document(world.store, world.nurse, case_id=case_id, text="Asia")
    assert err.value.rule == "RAR-16"
    with pytest.raises(RuleViolationError):
        cases.nullify_case(world.store, world.nurse, case_id=case_id)
    # In the own register the producer keeps case documents itself (PRIV-2).
    own = _client(world, 5)
    own_case = cases.list_cases(world.store, world.nurse, client_id=own)[0].id
    doc = cases.record_case_document(world.store, world.nurse, case_id=own_case, text="Asia",
                                     complete=True)
    assert doc.kind == "case" and doc.state == "completed"
    with pytest.raises(RuleViolationError) as err:
        clients.record_client_relationship_document(world.store, world.nurse, client_id=cid,
                                                    text="Asiakkuus")
    assert err.value.rule == "RAR-16"
    rel_doc = clients.record_client_relationship_document(world.store, world.nurse,
                                                          client_id=own, text="Asiakkuus",
                                                          complete=True)
    assert rel_doc.kind == "client_relationship" and rel_doc.case_code is None


def test_organisers_documents_are_not_versioned_by_the_producer_rar17(world: World) -> None:
    cid = _rar_client(world, case_code=ORGANISER_OID + ".5.2")
    doc = _entry(world, cid, complete=True)
    with world.store.session() as s:  # as if pulled from the organiser's register
        row = s.get(Document, doc)
        assert row is not None
        row.own = False
    for call in (lambda: lifecycle.correct_document(world.store, world.nurse, document_id=doc,
                                                    reason="typing-error", text="x"),
                 lambda: lifecycle.nullify_document(world.store, world.nurse, document_id=doc,
                                                    reason="erroneous")):
        with pytest.raises(RuleViolationError) as err:
            call()
        assert err.value.rule == "RAR-17"


def test_closed_case_takes_no_documents_or_versions_rar19(world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid, complete=True)
    case_id = cases.list_cases(world.store, world.nurse, client_id=cid)[0].id
    cases.close_case(world.store, world.nurse, case_id=case_id)
    with pytest.raises(CarebookError) as err:
        _entry(world, cid)
    assert err.value.code in {"case_closed", "choose_case"}
    with pytest.raises(RuleViolationError) as err2:
        journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                     entry_type="daily", text="x", case_id=case_id)
    assert err2.value.rule == "RAR-19"
    with pytest.raises(RuleViolationError) as err3:
        lifecycle.correct_document(world.store, world.nurse, document_id=doc,
                                   reason="typing-error", text="x")
    assert err3.value.rule == "RAR-19"


def test_versions_only_while_the_rar_window_is_in_force_rar15(world: World) -> None:
    cid = _rar_client(world, case_code=ORGANISER_OID + ".5.3")
    doc = _entry(world, cid, complete=True)
    rel = clients.list_relationships(world.store, world.nurse, cid)[0]
    clients.set_relationship_window(world.store, world.nurse, relationship_id=rel.id,
                                    start_on=rel.start_on,
                                    end_on=clock.today() - timedelta(days=1))
    with pytest.raises(RuleViolationError) as err:
        lifecycle.correct_document(world.store, world.nurse, document_id=doc,
                                   reason="typing-error", text="x", special_reason="transfer")
    assert err.value.rule == "RAR-15"


def test_producer_cannot_hide_documents_from_guardians_under_rar_rar20(world: World) -> None:
    cid = _client(world, 6, organiser_oid=ORGANISER_OID, rar_start=clock.today(),
                  case_code=ORGANISER_OID + ".5.4")
    with pytest.raises(RuleViolationError) as err:
        _entry(world, cid, restriction=Restriction(guardian_code="4"))
    assert err.value.rule == "RAR-20"
    delayed = journal.record_journal_entry(
        world.store, world.nurse, client_id=cid, entry_type="daily", text="x",
        restriction=Restriction(delay_until=clock.today() + timedelta(30), reasons=("1",)))
    assert delayed.restriction.delay_until is not None  # delaying is allowed


def test_case_restrictions_propagate_to_new_documents_4_1_20(world: World) -> None:
    cid = _client(world)
    before = _entry(world, cid, complete=True)
    case_id = cases.list_cases(world.store, world.nurse, client_id=cid)[0].id
    until = clock.today() + timedelta(days=90)
    cases.set_case_restriction(world.store, world.nurse, case_id=case_id,
                               restriction=Restriction(delay_until=until, special_content=True,
                                                       reasons=("5",)))
    after = journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                         entry_type="visit", text="Poliisin käynti",
                                         restriction=Restriction(reasons=("1",)))
    assert after.restriction.delay_until == until and after.restriction.special_content
    assert after.restriction.reasons == ("1", "5")
    old = lifecycle.get_document(world.store, world.nurse, before)
    assert old.restriction.delay_until is None  # existing documents keep theirs (L8450-8466)


def test_delay_needs_a_reason_code_4_1_19(world: World) -> None:
    cid = _client(world)
    with pytest.raises(ValidationError) as err:
        _entry(world, cid, restriction=Restriction(delay_until=clock.today() + timedelta(5)))
    assert err.value.code == "restriction_reason"
    with pytest.raises(ValidationError):
        _entry(world, cid, restriction=Restriction(special_content=True, reasons=("9",)))


def test_minors_documents_always_carry_guardian_visibility_4_1_18(world: World) -> None:
    child = clients.add_client(
        world.store, world.director, hetu=test_hetu(7, born=date(2015, 3, 14)),
        first_name="Pikku", last_name="Testinen", unit_oid=UNIT_A).id
    doc = journal.record_journal_entry(world.store, world.nurse, client_id=child,
                                       entry_type="daily", text="Koulupäivä", complete=True)
    assert doc.restriction.guardian_code == "1"
    with pytest.raises(ValidationError):  # code 2 needs grounds in text
        _entry(world, child, restriction=Restriction(guardian_code="2"))
    with pytest.raises(ValidationError):  # code 3 needs a refusal reason
        _entry(world, child, restriction=Restriction(guardian_code="3", guardian_text="Syy"))
    ok = journal.record_journal_entry(
        world.store, world.nurse, client_id=child, entry_type="daily", text="x",
        restriction=Restriction(guardian_code="3", guardian_text="Syy",
                                guardian_refusal_reason="2"))
    assert ok.restriction.guardian_refusal_reason == "2"
    adult = _entry(world, _client(world, 8))
    assert lifecycle.get_document(world.store, world.nurse,
                                  adult).restriction.guardian_code is None


def test_joint_case_documents_carry_all_current_members_rar28(world: World) -> None:
    first, second = _client(world, 10), _client(world, 11)
    case_id = cases.list_cases(world.store, world.nurse, client_id=first)[0].id
    cases.add_case_member(world.store, world.nurse, case_id=case_id, client_id=second)
    doc = journal.record_journal_entry(world.store, world.nurse, client_id=first,
                                       entry_type="meeting", text="Perheneuvottelu",
                                       case_id=case_id, complete=True)
    assert doc.client_ids == (first, second)
    seen = journal.client_timeline(world.store, world.nurse, client_id=second,
                                   kinds=("journal",)).items
    assert doc.id in {d.id for d in seen}
    cases.remove_case_member(world.store, world.nurse, case_id=case_id, client_id=second)
    later = journal.record_journal_entry(world.store, world.nurse, client_id=first,
                                         entry_type="daily", text="Vain yksi",
                                         case_id=case_id)
    assert later.client_ids == (first,)


def test_journal_entry_types_and_start_end_commands_rar9(world: World) -> None:
    cid = _client(world)
    with pytest.raises(ValidationError) as err:
        journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                     entry_type="service-start", text="x")
    assert err.value.code == "use_service_commands"
    with pytest.raises(ValidationError) as err:  # valid until 31.8.2024 only (MSG-18)
        journal.record_journal_entry(world.store, world.nurse, client_id=cid,
                                     entry_type="disclosure", text="x")
    assert err.value.code == "code_not_valid"


def test_organiser_case_code_is_recorded_once_and_never_generated_rar11_id9(
        world: World) -> None:
    own = _client(world, 40)
    own_case = cases.list_cases(world.store, world.nurse, client_id=own)[0]
    with pytest.raises(RuleViolationError):  # own register codes are generated, not set
        cases.set_case_code(world.store, world.nurse, case_id=own_case.id,
                            case_code=ORGANISER_OID + ".8.1")
    rar = _rar_client(world, 41)
    rar_case = cases.list_cases(world.store, world.nurse, client_id=rar)[0]
    assert rar_case.case_code is None  # RAR-11: never invented
    with pytest.raises(ValidationError):
        cases.set_case_code(world.store, world.nurse, case_id=rar_case.id, case_code="x.y")
    cases.set_case_code(world.store, world.nurse, case_id=rar_case.id,
                        case_code=ORGANISER_OID + ".8.2")
    with pytest.raises(RuleViolationError):
        cases.set_case_code(world.store, world.nurse, case_id=rar_case.id,
                            case_code=ORGANISER_OID + ".8.3")


def test_visibility_change_after_archiving_is_a_new_version_l8341(world: World) -> None:
    """Adding a delay after archiving = a new version (rules-documents 3.3)."""
    cid = _client(world)
    doc = _entry(world, cid, complete=True)
    later = clock.today() + timedelta(days=14)
    fixed = lifecycle.correct_document(world.store, world.nurse, document_id=doc,
                                       reason="visibility",
                                       restriction=Restriction(delay_until=later,
                                                               reasons=("6",)))
    assert fixed.version == 2 and fixed.restriction.delay_until == later
    assert fixed.body == "Päivä sujui hyvin"


def test_draft_restriction_can_be_edited_by_its_author(world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid)
    changed = lifecycle.edit_draft(world.store, world.nurse, document_id=doc,
                                   restriction=Restriction(special_content=True,
                                                           reasons=("4",)))
    assert changed.restriction.special_content and changed.restriction.reasons == ("4",)
    with pytest.raises(ValidationError):
        lifecycle.edit_draft(world.store, world.nurse, document_id=doc,
                             restriction=Restriction(special_content=True))


def test_attachment_bytes_are_read_on_purpose_only(world: World) -> None:
    cid = _client(world)
    doc = _entry(world, cid, complete=True)
    pdf = b"%PDF-1.7 lausunto"
    att = attachments.add_attachment(world.store, world.nurse, main_document_id=doc,
                                     description="Lausunto", data=pdf, complete=True)
    assert "data" not in att.content and att.content["media_type"] == "application/pdf"
    assert attachments.attachment_data(world.store, world.nurse, att.id) == (
        "application/pdf", pdf)
    with pytest.raises(CarebookError) as err:
        attachments.attachment_data(world.store, world.nurse, doc)
    assert err.value.code == "no_document"
    with pytest.raises(ValidationError):
        attachments.add_attachment(world.store, world.nurse, main_document_id=doc,
                                   description="Kuva", data=b"GIF89a", media_type="image/gif")
