"""carebook.protocol: the wire schema shared by the desktop's sync and the register.

* ``envelope`` — one version of a document with its Kanta metadata (``DocumentEnvelope``),
  ``StoreRequest``, ``envelope_hash()`` and ``seal()``.
* ``documents`` — structured content of client-relationship and case documents (RAR windows,
  case status and members).
* ``organiser`` — requests of the organiser tooling.
* ``results`` — receipts, stored documents, search results, pages, usage-log rows.
* ``errors`` — the stable error codes (``ERRORS``) and ``RegisterError``.
* ``codes`` — usage situations, document groups, code sets with validity, schema versions.
* ``identifiers`` — OID and identity-code validators.
* ``client`` — ``RegisterClient`` over HTTPS; ``auth`` — request signing (``OrgAuth``).

Imports nothing of carebook outside this package.
"""
