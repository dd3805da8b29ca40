"""Helping a person find a session when the filters narrow the catalogue: the sessions to follow
online that are offered beside a province's, and what an empty result can point to instead."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func

from app.extensions import db
from app.timezone import local, local_day_bounds
from sessions.models import InfoSession, SessionFormat, Venue
from sessions.services.catalogue import _LISTED, CatalogueFilters, catalogue_query


@dataclass(frozen=True)
class Alternatives:
    """Sessions to follow online beside a province's list: the first few, how many there are, and
    the catalogue's filters that list them all."""

    items: list[InfoSession]
    total: int
    args: dict[str, str]


def online_alternatives(filters: CatalogueFilters, limit: int = 4) -> Alternatives | None:
    """With a province chosen, the sessions one can follow online elsewhere (online or hybrid),
    under the other filters: a person in Brussel also finds what they can follow from home.
    None when no province is chosen, or the list already is the online sessions."""
    if not filters.province or filters.format == SessionFormat.ONLINE:
        return None
    wanted = replace(filters, province=None, format=SessionFormat.ONLINE, invalid=())
    query = catalogue_query(wanted)
    if filters.format in (None, SessionFormat.HYBRID):
        # The hybrid sessions in the province are in the list itself already.
        query = query.where(~InfoSession.venue.has(Venue.province == filters.province))
    total = db.session.scalar(query.with_only_columns(func.count(InfoSession.id)).order_by(None)) or 0
    if not total:
        return None
    items = list(db.session.scalars(query.options(*_LISTED).limit(limit)))
    return Alternatives(items, total, wanted.as_public_args())


@dataclass(frozen=True)
class EmptyHelp:
    """What an empty catalogue can point to: the first later month with sessions under the same
    other filters, and how many sessions there are without any filter."""

    next_month: date | None
    next_month_args: dict[str, str]
    everything: int


def _following(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


def empty_help(filters: CatalogueFilters) -> EmptyHelp:
    """For a catalogue page without sessions (call it only then): where else to look."""
    next_month, next_args = None, {}
    if filters.month:
        start, _ = local_day_bounds(_following(filters.month), _following(_following(filters.month)))
        later = replace(filters, month=None, invalid=())
        query = catalogue_query(later).with_only_columns(InfoSession.starts_at)
        first = db.session.scalar(query.where(InfoSession.starts_at >= start))
        if first is not None:
            next_month = local(first).date().replace(day=1)
            next_args = replace(later, month=next_month).as_public_args()
    everything = db.session.scalar(
        catalogue_query(CatalogueFilters()).with_only_columns(func.count(InfoSession.id)).order_by(None)
    )
    return EmptyHelp(next_month, next_args, everything or 0)
