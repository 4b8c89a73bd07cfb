"""Archiving metadata of a document version (rules-documents §2, MSG-7/MSG-8).

The sync worker builds the register envelope from :class:`DocumentMetadata`; nothing outside
the metadata model is produced (MSG-7). Under RAR the organiser fields name the welfare area and
the producer fields the producer; in the own register the producer is both (PRIV-1).
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from carebook.i18n import N_
from carebook.model import audit, clock, codesets
from carebook.model.access import READ_RECORDS, StaffSession
from carebook.model.records import ClientIdentity, DocumentMetadata
from carebook.model.services import documents, lifecycle, lookup, restrictions
from carebook.model.store import Store
from carebook.model.tables.case import Case
from carebook.model.tables.document import Document
from carebook.model.tables.organisation import Organiser, Register, ServiceUnit
from carebook.model.tables.staff import StaffUser

# Socialvård – Handlingsgrupp and Klienthandlingstyp names by document kind (MSG-6, E8-E15).
DOCUMENT_GROUP = {
    "journal": "Anteckning i en klientjournal",
    "plan": "Klienthandling i andra fasen (och senare faser)",
    "attachment": "Klienthandling i andra fasen (och senare faser)",
    "case": "Ärendehandling",
    "client_relationship": "Klientrelationshandling",
}
GENERAL_TYPE = {"journal": "Anteckning i en klientjournal", "plan": "Plan",
                "attachment": "Annan klienthandling"}
SIGNED_ELECTRONICALLY = "Handlingen undertecknas elektroniskt"


def _type_name(doc: Document) -> str:
    if doc.kind == "journal":
        code = codesets.codeset(codesets.JOURNAL_ENTRY_TYPE).get(doc.specific_type)
    elif doc.kind == "plan":
        code = codesets.codeset(codesets.PLAN_TYPE).get(doc.specific_type)
    else:
        code = None
    names = {"attachment": "Bilaga", "case": "Ärendehandling",
             "client_relationship": "Klientrelationshandling"}
    return code.sv if code else names.get(doc.kind, "Genomförandeplan")


def build(session: Session, doc: Document, version_no: int | None = None) -> DocumentMetadata:
    """The metadata of ``doc`` (its current version by default)."""
    v = documents.version(session, doc, version_no)
    register = lookup.get(session, Register, doc.register_id, what=N_("register"))
    producer = lookup.producer(session)
    if register.organiser_id is not None:
        org = lookup.get(session, Organiser, register.organiser_id, what=N_("organiser"))
        organiser_oid, organiser_name = org.oid, org.name
    else:
        organiser_oid, organiser_name = producer.oid, producer.name
    unit = lookup.get(session, ServiceUnit, doc.unit_id, what=N_("unit"))
    stored_by = lookup.get(session, StaffUser, v.stored_by_id, what=N_("user"))
    producer_doc = doc.kind not in documents.ORGANISER_ONLY_KINDS
    clients = tuple(ClientIdentity(c.id, c.hetu, c.temporary_oid, c.first_name, c.last_name)
                    for c in (lookup.client(session, cid) for cid in json.loads(v.clients)))
    case = session.get(Case, doc.case_id) if doc.case_id else None
    signer = session.get(StaffUser, v.signed_by_id) if v.signed_by_id else None
    system_signed = v.signature_method == lifecycle.SIGNATURE_METHOD
    return DocumentMetadata(
        document_oid=doc.oid, version=v.version_no,
        status="nullified" if v.state == "nullified" else "ready-for-archiving",
        organiser_oid=organiser_oid, organiser_name=organiser_name,
        producer_oid=producer.oid if producer_doc else None,
        producer_name=producer.name if producer_doc else None,
        service_unit_oid=unit.oid, service_unit_name=unit.name,
        stored_by_first_name=stored_by.first_name, stored_by_last_name=stored_by.last_name,
        clients=clients, case_code=case.case_code if case else None,
        service_process=v.service_process if producer_doc else None,
        service_task=v.service_task, social_service=v.social_service if producer_doc else None,
        document_group=DOCUMENT_GROUP[doc.kind], general_type=GENERAL_TYPE.get(doc.kind),
        specific_type=doc.specific_type, specific_type_name=_type_name(doc),
        signature_type=SIGNED_ELECTRONICALLY if v.signed_at else None,
        signature_method=v.signature_method,
        signed_at=clock.as_utc(v.signed_at) if v.signed_at else None,
        signer_registration_no=None if system_signed or signer is None
        else signer.registration_no,
        description=v.description, created_at=clock.as_utc(v.created_at),
        correction_reason=v.correction_reason, nullification_reason=v.nullification_reason,
        restriction=restrictions.of_version(v), usage_code=register.usage_code,
        register_controller_oid=register.controller_oid)


def document_metadata(store: Store, ctx: StaffSession, document_id: int, *,
                      version: int | None = None,
                      special_reason: str | None = None) -> DocumentMetadata:
    """The archiving metadata of a document version (logged as a read)."""
    with store.session() as session:
        actor, doc, reason = lifecycle.open_document(session, ctx, document_id,
                                                     right=READ_RECORDS,
                                                     special_reason=special_reason)
        meta = build(session, doc, version)
        audit.record(session, actor=actor.username, action=audit.READ, client_id=doc.client_id,
                     objects=[f"{doc.oid}#{meta.version}"], reason=reason,
                     register=meta.register_controller_oid, detail="metadata read")
        return meta
