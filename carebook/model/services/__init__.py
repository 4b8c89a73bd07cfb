"""Use cases: the only way into the domain for the UI, the CLI and sync (ARCHITECTURE §4).

Every public function takes the :class:`~carebook.model.store.Store` and the caller's
:class:`~carebook.model.access.StaffSession` (``ctx``), runs one unit of work, re-reads the
user's roles and units, checks the role right and the relevant connection (AC-2, AC-6; a
``special_reason`` code opens access without one and is logged), validates, writes, records a
usage-log event (AC-8) and returns frozen records from :mod:`carebook.model.records`.
Errors are typed :class:`~carebook.errors.CarebookError` subclasses with a code and a rule.

Modules:
    setup            producer, own register and first administrator at init (no session)
    accounts         store init, sign-in, key slots (see that module)
    units            service units / points (OIDs)
    organisers       organisers and their registers under RAR
    staff            users, roles, units, deactivation
    clients          clients, identity changes (temporary ID → identity code), contact data
    relationships    relationships (own register or RAR window), client-relationship
                     documents of the own register
    cases            cases, case codes, joint-case members, case restrictions, closing,
                     nullifying, case documents of the own register
    journal          note types, journal entries, the client timeline
    social_services  service start / end with their journal entries
    plans            implementation plans
    attachments      attachments (PDF/A, XHTML) to journal entries
    lifecycle        complete, edit/discard drafts, correct, nullify, read documents, history
    search           full-text search (FTS5)
    metadata         archiving metadata of a document version
    outbox           archiving queue for the sync worker
    usage_log        reading and verifying the usage log
"""
