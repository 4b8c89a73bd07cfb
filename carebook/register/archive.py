"""Storing a version: idempotency, the rules that need the database, and the insert.

Call :func:`store` inside a write session that holds the register's lock
(:func:`carebook.register.db.lock_register`), so the checks see every committed version.
"""

from __future__ import annotations

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from carebook.protocol.codes import MAINTAINED_GROUPS, DocumentGroup, UsageCode
from carebook.protocol.documents import CaseBody
from carebook.protocol.envelope import DocumentEnvelope, StoreRequest
from carebook.protocol.errors import RegisterError
from carebook.protocol.results import Receipt
from carebook.register import lookups, rules, usage_log
from carebook.register.access import Access
from carebook.register.tables import DocumentClient, DocumentVersion


def receipt_of(row: DocumentVersion) -> Receipt:
    """The receipt for a stored version (identical every time it is asked for)."""
    return Receipt(register_oid=row.register_oid, document_oid=row.document_oid,
                   version=row.version, content_hash=row.content_hash,
                   status="nullified" if row.nullified else "stored",
                   archived_at=row.archived_at, sequence=row.sequence)


def repeat_receipt(session: Session, access: Access, doc: DocumentEnvelope) -> Receipt | None:
    """The receipt of an identical earlier request, or None when this version is new.

    Raises:
        RegisterError: VERSION_CONFLICT when the version exists with other content,
            DOCUMENT_OID_TAKEN when the OID belongs to another register.
    """
    row = lookups.latest_version(session, doc.document_oid)
    if row is not None and row.version > doc.version:
        row = lookups.version_row(session, doc.document_oid, doc.version)
    if row is None or row.version != doc.version:
        return None
    if row.register_oid != access.register_oid:
        raise RegisterError("DOCUMENT_OID_TAKEN")
    if row.content_hash != doc.content_hash or row.stored_by_oid != access.caller_oid:
        raise RegisterError("VERSION_CONFLICT")
    return receipt_of(row)


def store(session: Session, access: Access, request: StoreRequest, *, sequence: int) -> Receipt:
    """Check every rule for ``request`` and add the version; the caller commits."""
    doc = request.document
    _check_who(access, doc)
    rules.check_identity(request, today=access.today)
    rules.check_metadata(doc)
    if not doc.nullified:
        rules.check_codes(doc, day=access.today)
    previous = _check_version(session, access, doc)
    if access.usage is UsageCode.NORMAL_RAR:
        _check_rar(session, access, doc, versioning=previous is not None)
    _check_order(session, access, doc)
    if doc.nullified:
        _check_unreferenced(session, access.register_oid, doc)
    return _insert(session, access, request, previous=previous, sequence=sequence)


def _check_who(access: Access, doc: DocumentEnvelope) -> None:
    if doc.document_group in MAINTAINED_GROUPS and not access.controller:
        # RAR-16, RAR-21: under RAR a producer never stores relationship or case documents.
        raise RegisterError("MAINTAINED_BY_ORGANISER",
                            rule="RAR-21" if doc.nullified else "RAR-16")
    if doc.document_group is DocumentGroup.OLD and access.usage is UsageCode.NORMAL_RAR:
        raise RegisterError("OLD_DOCUMENT_UNDER_RAR")
    if doc.organiser is not None and doc.organiser.oid != access.register_oid \
            and doc.document_group is not DocumentGroup.OLD:
        raise RegisterError("ORGANISER_MISMATCH")
    if access.usage is UsageCode.NORMAL_RAR:
        makers = {o.oid for o in (doc.producer, doc.subcontractor) if o is not None}
        if access.caller_oid not in makers:
            raise RegisterError("PRODUCER_MISMATCH")


def _check_version(
    session: Session, access: Access, doc: DocumentEnvelope,
) -> DocumentVersion | None:
    """MSG-11 numbering, ID-12 OID ownership and RAR-17 who may version."""
    latest = lookups.latest_version(session, doc.document_oid)
    if latest is None:
        if doc.version != 1:
            raise RegisterError("VERSION_SEQUENCE", "The first version must be 1.")
        if doc.nullified:
            raise RegisterError("VERSION_SEQUENCE", "Only a stored document can be nullified.",
                                rule="MSG-13")
        return None
    if latest.register_oid != access.register_oid or latest.document_group != doc.document_group:
        raise RegisterError("DOCUMENT_OID_TAKEN")
    if doc.version != latest.version + 1:
        raise RegisterError("VERSION_SEQUENCE", f"The next version is {latest.version + 1}.")
    if latest.nullified:
        raise RegisterError("PREVIOUS_NULLIFIED")
    if not access.controller and latest.creator_oid != access.caller_oid:
        raise RegisterError("NOT_OWN_DOCUMENT")
    return latest


def _check_rar(
    session: Session, access: Access, doc: DocumentEnvelope, *, versioning: bool,
) -> None:
    """RAR-5, RAR-8, RAR-13, RAR-14, RAR-23: an in-force window for the document's unit."""
    for client in doc.client_keys:
        units = lookups.rar_units(session, register_oid=access.register_oid, client_key=client,
                                  producer_oid=access.caller_oid)
        active = lookups.in_force(units, access.today)
        if not units:
            raise RegisterError("RAR_NOT_IN_FORCE", "The client's relationship document "
                                "records none of the caller's service units.", rule="RAR-5")
        if not active:
            ended = any(u.end is not None and u.end < access.today for u in units)
            if versioning and ended:
                raise RegisterError("RAR_ENDED")
            raise RegisterError("RAR_NOT_IN_FORCE", f"No access right in force on "
                                f"{access.today}.", rule="RAR-8")
        if doc.service_unit_oid not in {u.unit_oid for u in active}:
            raise RegisterError("UNIT_NOT_IN_RELATIONSHIP")


def _check_order(session: Session, access: Access, doc: DocumentEnvelope) -> None:
    """MSG-10 storage order, one relationship per client, unique case codes, closed cases."""
    reg = access.register_oid
    if doc.document_group is DocumentGroup.CLIENT_RELATIONSHIP:
        row = lookups.latest_relationship(session, reg, doc.client_keys[0])
        if row is not None and row.document_oid != doc.document_oid and not row.nullified:
            raise RegisterError("RELATIONSHIP_EXISTS")
        return
    _require_relationships(session, reg, doc.client_keys)
    case = lookups.latest_case(session, reg, doc.case_code or "")
    if doc.document_group is DocumentGroup.CASE:
        if case is not None and case.document_oid != doc.document_oid and not case.nullified:
            raise RegisterError("CASE_CODE_TAKEN")
        _check_case_members(doc)
        return
    if case is None or case.nullified:
        raise RegisterError("STORAGE_ORDER", "Store the case document before its documents.")
    _check_case_open(lookups.case_body(case), access, doc)
    if doc.main_document_oid is not None:
        main = lookups.latest_version(session, doc.main_document_oid)
        if main is None or main.nullified or main.register_oid != reg:
            raise RegisterError("STORAGE_ORDER", "Store the main document before its "
                                "attachment.")


def _require_relationships(session: Session, reg: str, clients: list[str]) -> None:
    for client in clients:
        row = lookups.latest_relationship(session, reg, client)
        if row is None or row.nullified:
            raise RegisterError("STORAGE_ORDER", "Store the client-relationship document "
                                "first.")


def _check_case_members(doc: DocumentEnvelope) -> None:
    body = CaseBody.model_validate(doc.content.structured or {})
    if sorted(doc.client_keys) != sorted(m.client.key for m in body.members if m.left_at is None):
        raise RegisterError("IDENTITY_MISMATCH", "A case document's metadata lists its "
                            "current members.", rule="MSG-17")


def _check_case_open(case: CaseBody, access: Access, doc: DocumentEnvelope) -> None:
    if case.status == "closed" and not (doc.nullified and access.controller):
        # RAR-19 / ID-9; [INFERENCE] the controller may still nullify (wrong person, MSG-13).
        raise RegisterError("CASE_CLOSED")
    if doc.version == 1 and not doc.nullified \
            and sorted(doc.client_keys) != sorted(case.active_members(access.now)):
        # RAR-28, MSG-17: a joint-case document belongs to all current members, only them.
        raise RegisterError("CASE_MEMBERS_MISMATCH")


def _check_unreferenced(session: Session, reg: str, doc: DocumentEnvelope) -> None:
    """MSG-13: attachments → documents → case → relationship; never while referenced."""
    live = (DocumentVersion.register_oid == reg, DocumentVersion.is_latest.is_(True),
            DocumentVersion.nullified.is_(False))
    if doc.document_group is DocumentGroup.CLIENT_RELATIONSHIP:
        referring = exists().where(
            *live, DocumentVersion.document_group == DocumentGroup.CASE.value,
            DocumentClient.version_id == DocumentVersion.id,
            DocumentClient.client_key == doc.client_keys[0])
    elif doc.document_group is DocumentGroup.CASE:
        referring = exists().where(
            *live, DocumentVersion.case_code == doc.case_code,
            DocumentVersion.document_group != DocumentGroup.CASE.value)
    else:
        referring = exists().where(*live, DocumentVersion.main_document_oid == doc.document_oid)
    if session.scalar(select(referring)):
        raise RegisterError("NULLIFY_REFERENCED")


def _insert(
    session: Session, access: Access, request: StoreRequest, *,
    previous: DocumentVersion | None, sequence: int,
) -> Receipt:
    doc = request.document
    if previous is not None:
        previous.is_latest = False
    row = DocumentVersion(
        register_oid=access.register_oid, document_oid=doc.document_oid, version=doc.version,
        document_group=doc.document_group.value, case_code=doc.case_code,
        main_document_oid=doc.main_document_oid, service_unit_oid=doc.service_unit_oid,
        creator_oid=previous.creator_oid if previous else access.caller_oid,
        stored_by_oid=access.caller_oid, usage_code=int(access.usage),
        nullified=doc.nullified, is_latest=True, content_hash=doc.content_hash,
        envelope=doc.model_dump_json(), archived_at=access.now, sequence=sequence)
    session.add(row)
    session.flush()
    lookups.forget(session)
    session.add_all(DocumentClient(version_id=row.id, client_key=key,
                                   register_oid=access.register_oid)
                    for key in doc.client_keys)
    usage_log.record(session, access, action="nullify" if doc.nullified else "store",
                     client=doc.client_keys[0], objects=[f"{doc.document_oid}/{doc.version}"],
                     detail=usage_log.users_of(doc))
    return receipt_of(row)
