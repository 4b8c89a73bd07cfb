"""A document's detail as HTML: text, signature, correction or nullification (timeline's
detail pane and the version history)."""

from __future__ import annotations

from html import escape
from typing import Any

from carebook.i18n import _
from carebook.model import codesets
from carebook.ui import texts


def detail_html(doc: Any) -> str:
    """The full text of a document with its signature and correction or nullification."""
    version = escape(_("version %(n)s") % {"n": doc.version})
    head = (f"<b>{escape(texts.document_type_name(doc.kind, doc.specific_type))}</b> — "
            f"{escape(texts.moment(doc.recorded_at))} — "
            f"{escape(texts.state_name(doc.state, version=doc.version))} ({version})")
    parts = [head, texts.labelled(_("Author"), escape(doc.author_name))]
    if doc.case_code:
        # The case by its service task, as the card names it; the code (an OID) after it
        # for whoever must match the document with the register.
        task = texts.code_name(codesets.SERVICE_TASK, doc.service_task)
        parts.append(texts.labelled(_("Case"), escape(_("%(task)s (case code %(code)s)") % {
            "task": task, "code": doc.case_code})))
    if doc.signature is not None:
        parts.append(escape(_("Signed by %(name)s, %(title)s, %(when)s") % {
            "name": doc.signature.signer_name, "title": doc.signature.signer_title,
            "when": texts.moment(doc.signature.signed_at)}))
    if doc.correction_reason:
        parts.append(escape(_("Correction reason: %(reason)s") % {
            "reason": texts.code_name(codesets.CORRECTION_REASON, doc.correction_reason)}))
    if doc.nullification_reason:
        reason = texts.code_name(codesets.NULLIFICATION_REASON, doc.nullification_reason)
        if doc.reason_text:
            reason = f"{reason} — {doc.reason_text}"
        parts.append(escape(_("Nullified: %(reason)s") % {"reason": reason}))
    if getattr(doc, "plan", None) is not None:
        from carebook.ui.plan_detail import plan_html

        return "<br>".join(parts) + "<hr>" + plan_html(doc.plan)
    body = escape(doc.body).replace("\n", "<br>")
    return "<br>".join(parts) + f"<hr><div>{body}</div>"
