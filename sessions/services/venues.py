"""Venues: where on-site sessions are held; the postcode fixes municipality and province."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.database import atomic
from app.errors import DomainError, NotFound
from app.extensions import db
from app.geo import lookup_postcode
from sessions.models import Venue


def list_venues(active_only: bool = True) -> list[Venue]:
    query = select(Venue).order_by(Venue.province, Venue.municipality, Venue.name)
    if active_only:
        query = query.where(Venue.active)
    return list(db.session.scalars(query))


def get_venue(venue_id: int) -> Venue:
    venue = db.session.get(Venue, venue_id)
    if venue is None:
        raise NotFound(_l("Deze locatie bestaat niet."))
    return venue


@atomic
def save_venue(
    venue: Venue | None,
    *,
    name: str,
    street: str,
    postcode: str,
    capacity: int,
    step_free: bool = False,
    notes: str = "",
    active: bool = True,
) -> Venue:
    """Create or update a venue; the postcode fixes municipality and province.

    Raises DomainError for an unknown or Walloon postcode or a capacity below 1.
    """
    place = lookup_postcode(postcode)
    if capacity < 1:
        raise DomainError(_l("De capaciteit moet minstens 1 zijn."), field="capacity")
    venue = venue or Venue()
    venue.name, venue.street, venue.postcode = name.strip(), street.strip(), place.postcode
    venue.municipality, venue.province = place.municipality, place.province
    venue.capacity, venue.step_free, venue.notes, venue.active = capacity, step_free, notes, active
    db.session.add(venue)
    db.session.commit()
    return venue
