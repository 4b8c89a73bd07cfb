"""Shared look-ups for the services: rows by id with clear not-found errors, OID serials."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from carebook.errors import NotFoundError, StoreError
from carebook.i18n import N_
from carebook.model import oids, validation
from carebook.model.base import Base
from carebook.model.tables.client import Client
from carebook.model.tables.organisation import Producer, StoreInfo

R = TypeVar("R", bound=Base)


def get(session: Session, table: type[R], row_id: int, *, what: str) -> R:
    """The row of ``table`` with id ``row_id``.

    Raises:
        NotFoundError: no such row (``what`` names it in the message).
    """
    row = session.get(table, row_id)
    if row is None:
        raise NotFoundError(N_("%(what)s %(id)s was not found."), code="not_found",
                            what=validation.field_label(what), id=row_id)
    return row


def store_info(session: Session) -> StoreInfo:
    """The single store-info row.

    Raises:
        StoreError: the store has no producer yet (``carebook init`` not finished).
    """
    info = session.get(StoreInfo, 1)
    if info is None:
        raise StoreError(N_("The store has no producer yet. Run 'carebook init' first."),
                         code="no_producer")
    return info


def producer(session: Session) -> Producer:
    """The producer owning this store."""
    return get(session, Producer, store_info(session).producer_id, what=N_("producer"))


def client(session: Session, client_id: int) -> Client:
    """The client with id ``client_id``."""
    return get(session, Client, client_id, what=N_("client"))


def next_oid(session: Session, kind: str) -> str:
    """A new OID of ``kind`` under the producer's root (see :mod:`carebook.model.oids`)."""
    root_node = session.execute(select(Producer.oid, StoreInfo.oid_node)
                                .join(StoreInfo, StoreInfo.producer_id == Producer.id)
                                .where(StoreInfo.id == 1)).first()
    if root_node is None:
        store_info(session)  # raises the clear "no producer" error
        raise AssertionError("unreachable")
    # One statement that also works when two PCs' stores never share a counter (oids.py).
    serial = session.execute(text(
        "INSERT INTO oid_counter (kind, last_serial) VALUES (:kind, 1) "
        "ON CONFLICT (kind) DO UPDATE SET last_serial = last_serial + 1 "
        "RETURNING last_serial"), {"kind": kind}).scalar_one()
    return oids.make_oid(root_node[0], kind=kind, node=root_node[1], serial=int(serial))
