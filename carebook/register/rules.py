"""Checks on one envelope that need no database: identity, metadata, codes, schema, signature.

Each check raises :class:`RegisterError` with the code and rule it enforces.
"""

from __future__ import annotations

from datetime import date

from carebook.protocol import codes
from carebook.protocol.codes import DocumentGroup, code_sets
from carebook.protocol.documents import CaseBody, ClientRelationshipBody
from carebook.protocol.envelope import DocumentEnvelope, StoreRequest, envelope_hash
from carebook.protocol.errors import RegisterError
from carebook.protocol.identifiers import hetu_birth_date, is_hetu

CLIENT_DOCUMENT_GROUPS = frozenset(set(DocumentGroup) - codes.MAINTAINED_GROUPS)
ADULT_AGE = 18


def check_shape(request: StoreRequest, *, document_oid: str, version: int) -> None:
    """The path names this envelope and the hash covers it."""
    doc = request.document
    if doc.document_oid != document_oid or doc.version != version:
        raise RegisterError("INVALID_REQUEST", "The path's OID and version differ from the "
                            "document's.")
    if envelope_hash(doc) != doc.content_hash:
        raise RegisterError("HASH_MISMATCH")


def content_clients(doc: DocumentEnvelope) -> list[dict[str, object]]:
    """The client blocks written in the content (MSG-17 compares them with the metadata)."""
    data = doc.content.structured or {}
    if doc.document_group is DocumentGroup.CLIENT_RELATIONSHIP:
        return [ClientRelationshipBody.model_validate(data).client.model_dump(mode="json")]
    if doc.document_group is DocumentGroup.CASE:
        return [m.client.model_dump(mode="json")
                for m in CaseBody.model_validate(data).members if m.left_at is None]
    blocks = data.get("clients", [])
    return blocks if isinstance(blocks, list) else []


def check_identity(request: StoreRequest, *, today: date) -> None:
    """MSG-17: PIC valid and matching the birth date, identical in request, metadata, content."""
    doc = request.document
    for client in doc.clients:
        if client.hetu is not None and not is_hetu(client.hetu):
            raise RegisterError("IDENTITY_INVALID", "A personal identity code is not valid.")
    meta = sorted(doc.client_keys)
    if sorted(request.clients) != meta or len(set(meta)) != len(meta):
        raise RegisterError("IDENTITY_MISMATCH", "The request's and the metadata's clients "
                            "differ.")
    blocks = content_clients(doc)
    keys = sorted(str(b.get("hetu") or b.get("temporary_oid") or "") for b in blocks
                  if isinstance(b, dict))
    if doc.document_group is not DocumentGroup.CASE and keys != meta:
        raise RegisterError("IDENTITY_MISMATCH", "The content's clients differ from the "
                            "metadata's.")
    for block in blocks:
        _check_birth_date(block, doc, today)


def _check_birth_date(block: object, doc: DocumentEnvelope, today: date) -> None:
    if not isinstance(block, dict) or not block.get("birth_date"):
        return
    try:
        born = date.fromisoformat(str(block["birth_date"]))
    except ValueError:
        raise RegisterError("IDENTITY_INVALID", "A birth date is not a date.") from None
    hetu = block.get("hetu")
    if isinstance(hetu, str) and (not is_hetu(hetu) or hetu_birth_date(hetu) != born):
        raise RegisterError("IDENTITY_INVALID", "The identity code does not match the birth "
                            "date.")
    minor = (today.year - born.year - ((today.month, today.day) < (born.month, born.day))
             < ADULT_AGE)
    if minor and doc.document_group in CLIENT_DOCUMENT_GROUPS \
            and doc.restrictions.guardian_disclosure is None:
        raise RegisterError("GUARDIAN_VISIBILITY_MISSING")


def check_metadata(doc: DocumentEnvelope) -> None:
    """MSG-7, MSG-8, MSG-9, MSG-24: what each document group must and must not carry."""
    if doc.organiser is None:
        raise RegisterError("METADATA_MISSING", "Organiser OID and name are mandatory.")
    if doc.service_unit_oid is None and doc.document_group is not DocumentGroup.OLD:
        raise RegisterError("METADATA_MISSING", "The service unit is mandatory.", rule="MSG-9")
    if doc.signature is None:
        raise RegisterError("SIGNATURE_MISSING")
    if doc.document_group in codes.MAINTAINED_GROUPS:
        _check_maintained(doc)
    else:
        _check_client_document(doc)


def _check_maintained(doc: DocumentEnvelope) -> None:
    # §2.1 #3-6, #11, #18, #20: never on client-relationship or case documents.
    if doc.producer or doc.subcontractor or doc.service_process or doc.social_services:
        raise RegisterError("METADATA_NOT_ALLOWED", "Producer, service process and social "
                            "service are not given on relationship or case documents.")
    if doc.document_group is DocumentGroup.CLIENT_RELATIONSHIP:
        if doc.case_code is not None or len(doc.clients) != 1:
            raise RegisterError("METADATA_NOT_ALLOWED", "A client-relationship document has "
                                "one client and no case code.")
        ClientRelationshipBody.model_validate(doc.content.structured or {})
        return
    if doc.case_code is None or doc.service_task is None:
        raise RegisterError("METADATA_MISSING", "A case document needs its case code and "
                            "service task.")
    CaseBody.model_validate(doc.content.structured or {})


def _check_client_document(doc: DocumentEnvelope) -> None:
    old = doc.document_group is DocumentGroup.OLD
    required: dict[str, object] = {"case code": doc.case_code, "service task": doc.service_task,
                "document type": doc.general_type}
    if not old:
        required |= {"producer": doc.producer, "service process": doc.service_process,
                     "author": doc.author}
    if doc.document_group in (DocumentGroup.PHASE2, DocumentGroup.JOURNAL_ENTRY):
        required["specifying document type"] = doc.specific_type
    missing = [name for name, value in required.items() if value is None]
    if missing:
        raise RegisterError("METADATA_MISSING", "Missing: " + ", ".join(missing) + ".",
                            rule="MSG-9" if "service task" in missing else "MSG-8")
    if doc.service_process == codes.IMPLEMENTATION_PROCESS and not doc.social_services:
        raise RegisterError("SOCIAL_SERVICE_MISSING")
    if doc.document_group is DocumentGroup.JOURNAL_ENTRY and doc.content.structured is None:
        raise RegisterError("METADATA_MISSING", "Journal entries are structured JSON (MSG-5).",
                            rule="MSG-5")


def check_codes(doc: DocumentEnvelope, *, day: date) -> None:
    """MSG-18 and MSG-14: codes valid on the archiving date, schema version supported.

    Nullification skips these (MSG-13, MSG-14: code checks are relaxed, any schema version).
    """
    sets = code_sets()
    checks = [("service_task", doc.service_task), ("service_process", doc.service_process),
              ("document_type_general", doc.general_type)]
    checks += [("social_service", s) for s in doc.social_services]
    for key, value in checks:
        if value is not None and not sets[key].valid_on(value, day):
            raise RegisterError("CODE_NOT_VALID", f"{key} {value!r} is not valid on {day}.")
    if doc.specific_type is not None and not codes.specific_type_valid(doc.specific_type, day):
        raise RegisterError("CODE_NOT_VALID", f"document type {doc.specific_type!r} is not "
                            f"valid on {day}.")
    if doc.document_group is DocumentGroup.CASE:
        _check_case_name(CaseBody.model_validate(doc.content.structured or {}), day)
    version = doc.content.schema_version
    if doc.content.structured is not None and version not in codes.SUPPORTED_SCHEMA_VERSIONS:
        raise RegisterError("SCHEMA_VERSION_UNSUPPORTED", f"Schema version {version!r}; "
                            f"supported: {', '.join(sorted(codes.SUPPORTED_SCHEMA_VERSIONS))}.")


def _check_case_name(body: CaseBody, day: date) -> None:
    name = body.case_name
    if not code_sets()[codes.CASE_NAME_SETS[name.classification]].valid_on(name.code, day):
        raise RegisterError("CODE_NOT_VALID", f"case name {name.code!r} "
                            f"({name.classification}) is not valid on {day}.")
    if name.code == "99" and not name.text:
        raise RegisterError("METADATA_MISSING", "Case name 99 needs the name as text.")
    if not code_sets()["service_task"].valid_on(body.service_task, day):
        raise RegisterError("CODE_NOT_VALID", f"service task {body.service_task!r}.")
