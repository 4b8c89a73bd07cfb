"""Reads the rules need: organisations, units, the latest relationship and case documents."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from carebook.protocol.codes import DocumentGroup
from carebook.protocol.documents import CaseBody, ClientRelationshipBody, UnitPeriod
from carebook.protocol.envelope import DocumentEnvelope
from carebook.protocol.errors import RegisterError
from carebook.register.tables import DocumentClient, DocumentVersion, Organisation, ServiceUnit

# A nullified document may be followed by a new one for the same client or case code: the live
# one wins, else the most recent.
_LIVE_FIRST = (DocumentVersion.nullified, DocumentVersion.sequence.desc())


def organisation(session: Session, oid: str) -> Organisation:
    """The registered organisation ``oid`` or ORG_NOT_REGISTERED."""
    org = session.get(Organisation, oid)
    if org is None:
        raise RegisterError("ORG_NOT_REGISTERED")
    return org


def unit_oids(session: Session, producer_oid: str) -> set[str]:
    """The service units registered for a producer."""
    rows = session.scalars(select(ServiceUnit.oid).where(ServiceUnit.producer_oid == producer_oid))
    return set(rows)


def envelope_of(row: DocumentVersion) -> DocumentEnvelope:
    """The stored envelope of a version row."""
    return DocumentEnvelope.model_validate_json(row.envelope)


def latest_relationship(
    session: Session, register_oid: str, client_key: str,
) -> DocumentVersion | None:
    """The latest version of the client's client-relationship document in a register.

    Remembered for the rest of the transaction: one request asks several times (RAR window,
    storage order) and relationships only change under the register's write lock.
    """
    memo: dict[tuple[str, str], DocumentVersion | None] = session.info.setdefault(
        "latest_relationship", {})
    key = (register_oid, client_key)
    if key not in memo:
        memo[key] = _latest_relationship(session, register_oid, client_key)
    return memo[key]


def _latest_relationship(
    session: Session, register_oid: str, client_key: str,
) -> DocumentVersion | None:
    return session.scalars(
        select(DocumentVersion)
        .join(DocumentClient, DocumentClient.version_id == DocumentVersion.id)
        .where(DocumentClient.register_oid == register_oid,
               DocumentClient.client_key == client_key,
               DocumentVersion.document_group == DocumentGroup.CLIENT_RELATIONSHIP.value,
               DocumentVersion.is_latest.is_(True))
        .order_by(*_LIVE_FIRST).limit(1)).first()


def relationship_body(row: DocumentVersion) -> ClientRelationshipBody:
    """Parse the structured content of a client-relationship version."""
    return ClientRelationshipBody.model_validate(envelope_of(row).content.structured or {})


def latest_case(session: Session, register_oid: str, case_code: str) -> DocumentVersion | None:
    """The latest version of the case document with ``case_code`` in a register."""
    return session.scalars(
        select(DocumentVersion)
        .where(DocumentVersion.register_oid == register_oid,
               DocumentVersion.document_group == DocumentGroup.CASE.value,
               DocumentVersion.case_code == case_code,
               DocumentVersion.is_latest.is_(True))
        .order_by(*_LIVE_FIRST).limit(1)).first()


def case_body(row: DocumentVersion) -> CaseBody:
    """Parse the structured content of a case version."""
    return CaseBody.model_validate(envelope_of(row).content.structured or {})


def latest_version(session: Session, document_oid: str) -> DocumentVersion | None:
    """The latest version of any document by OID (OIDs are unique everywhere, ID-12).

    Remembered for the transaction like :func:`latest_relationship`.
    """
    memo: dict[str, DocumentVersion | None] = session.info.setdefault("latest_version", {})
    if document_oid not in memo:
        memo[document_oid] = _latest_version(session, document_oid)
    return memo[document_oid]


def forget(session: Session) -> None:
    """Drop what this transaction remembered (after it stored a version)."""
    session.info.pop("latest_version", None)
    session.info.pop("latest_relationship", None)


def _latest_version(session: Session, document_oid: str) -> DocumentVersion | None:
    return session.scalars(
        select(DocumentVersion)
        .where(DocumentVersion.document_oid == document_oid)
        .order_by(DocumentVersion.version.desc()).limit(1)).first()


def version_row(session: Session, document_oid: str, version: int) -> DocumentVersion | None:
    """One stored version, if any."""
    return session.scalars(
        select(DocumentVersion).where(DocumentVersion.document_oid == document_oid,
                                      DocumentVersion.version == version)).first()


def rar_units(
    session: Session, *, register_oid: str, client_key: str, producer_oid: str,
) -> list[UnitPeriod]:
    """The caller's units recorded in the client's relationship document (RAR-5, RAR-13)."""
    row = latest_relationship(session, register_oid, client_key)
    if row is None or row.nullified:
        return []
    own = unit_oids(session, producer_oid)
    return [u for u in relationship_body(row).service_units
            if u.role in ("producer", "subcontractor") and u.unit_oid in own]


def in_force(units: list[UnitPeriod], day: date) -> list[UnitPeriod]:
    """The units whose RAR window contains ``day`` (RAR-8)."""
    return [u for u in units if u.in_force_on(day)]
