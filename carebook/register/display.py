"""The human-readable XHTML of the documents the register itself writes (relationship, case).

Every value is escaped; empty values (None, empty lists) are left out; nested records become
nested definition lists with labelled fields, so the text reads as a document, not a dump.
"""

from __future__ import annotations

import re
from html import escape as _html_escape
from typing import Any

XHTML_NS = "http://www.w3.org/1999/xhtml"
# Characters XML 1.0 forbids even escaped; dropped so the text always parses.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def escape(text: str) -> str:
    """``text`` escaped for XHTML, without characters XML cannot hold."""
    return _html_escape(_NOT_XML.sub("", text))


def label(key: str) -> str:
    """``social_care_start`` -> ``Social care start``."""
    words = key.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def render(title: str, structured: dict[str, Any]) -> str:
    """A small, well-formed XHTML document showing ``structured`` under ``title``."""
    heading = escape(title)
    return (f'<html xmlns="{XHTML_NS}"><head><title>{heading}</title></head>'
            f"<body><h1>{heading}</h1>{_fields(structured)}</body></html>")


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _fields(record: dict[str, Any]) -> str:
    rows = "".join(f"<dt>{escape(label(str(key)))}</dt><dd>{_value(value)}</dd>"
                   for key, value in record.items() if not _empty(value))
    return f"<dl>{rows}</dl>" if rows else ""


def _value(value: Any) -> str:
    if isinstance(value, dict):
        return _fields(value)
    if isinstance(value, list):
        items = "".join(f"<li>{_value(item)}</li>" for item in value if not _empty(item))
        return f"<ul>{items}</ul>"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return escape(str(value))
