"""Who is whose: linking a referral to the referrer's account by a keyed hash of the e-mail.

A referral (or a change of referrer) names the referrer's e-mail in its encrypted payload. Each
such event gets a `ReferrerLink`: with the user's id if a referrer account with that address
exists, else with the e-mail's keyed hash only, and an invitation is created for the address. A
link without a user resolves as soon as a referrer account with the address exists, whether
made by `casework users add` or by accepting the invitation.

Links are reconciled from the log (`sync_links`) rather than hooked into event building, so that
every way events reach the database derives them alike: forms and API (`append_event`), the
bulk importer (core inserts) and events recorded before this table existed. Every schedule read
reconciles first; with nothing new that is one indexed anti-join.
"""

import hashlib
import hmac

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload

from casework.audit.access_log import log_access
from casework.auth.models import User
from casework.crypto import service as crypto
from casework.crypto.service import keyring
from casework.db import new_id, utcnow
from casework.errors import KeyUnavailable
from casework.events.models import Event
from casework.events.ordering import sort_key
from casework.extensions import db
from casework.schedule.models import ReferrerInvitation, ReferrerLink

REFERRER_EVENTS = ("referral_received", "referrer_changed")
DOMAIN = b"casework/referrer-email/v1\x00"
LOG_PURPOSE = "referrer_link"
NO_EMAIL = "-"  # a referral that names no e-mail: linked to nobody, so it is not looked at again


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_index(email: str) -> str:
    """HMAC-SHA256 of the normalised address under the blind-index key, with its own domain
    separator so that it can never equal a personnummer's index."""
    key = keyring().active_blind_index.key
    return hmac.new(key, DOMAIN + normalise_email(email).encode(), hashlib.sha256).hexdigest()


def referrer_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email), User.role == "referrer"))


def _unlinked_events() -> list[Event]:
    query = (sa.select(Event).outerjoin(ReferrerLink, ReferrerLink.event_id == Event.id)
             .where(Event.type.in_(REFERRER_EVENTS), ReferrerLink.id.is_(None)))
    return list(db.session.scalars(query))


def _insert_ignoring_duplicates(model, rows: list[dict]) -> None:
    """Concurrent readers may reconcile the same events at once; the first insert wins."""
    if not rows:
        return
    dialect = db.session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    for start in range(0, len(rows), 500):
        db.session.execute(insert(model.__table__).on_conflict_do_nothing(), rows[start:start + 500])


def sync_links() -> int:
    """Create the missing links (and invitations for unknown addresses); return how many."""
    events = _unlinked_events()
    if not events:
        return 0
    crypto.preload_data_keys({e.participant_id for e in events})
    referrers = {u.email: u.id for u in db.session.scalars(sa.select(User).where(User.role == "referrer"))}
    links, unknown, read = [], set(), set()
    for event in events:
        email = _referrer_email(event)
        if email is not None:
            read.add(event.participant_id)
        index = email_index(email) if email else NO_EMAIL
        user_id = referrers.get(normalise_email(email)) if email else None
        links.append({"id": new_id(), "event_id": event.id, "participant_id": event.participant_id,
                      "email_index": index, "user_id": user_id, "created_at": utcnow()})
        if email and user_id is None:
            unknown.add(index)
    log_access(None, sorted(read), LOG_PURPOSE)
    _insert_ignoring_duplicates(ReferrerLink, links)
    _insert_ignoring_duplicates(ReferrerInvitation, [{"id": new_id(), "email_index": index, "created_at": utcnow()}
                                                     for index in sorted(unknown)])
    return len(links)


def _referrer_email(event: Event) -> str | None:
    if event.personal_enc is None:
        return None
    try:
        personal = event.personal
    except KeyUnavailable:
        return None
    return (personal.get("referrer") or {}).get("email") or None


def belongs_to(link: ReferrerLink | None, user) -> bool:
    """Whether the link names this (referrer) user."""
    if link is None or user is None or getattr(user, "role", None) != "referrer":
        return False
    if link.user_id is not None:
        return link.user_id == user.id
    return link.email_index == email_index(user.email)


def candidate_participant_ids(user) -> set[str]:
    """Participants any of whose referral events name the user (current referrer or not)."""
    query = sa.select(ReferrerLink.participant_id).where(sa.or_(
        ReferrerLink.user_id == user.id,
        sa.and_(ReferrerLink.user_id.is_(None), ReferrerLink.email_index == email_index(user.email)),
    ))
    return set(db.session.scalars(query))


def current_links(effective_by_participant: dict[str, list[Event]]) -> dict[str, ReferrerLink | None]:
    """Each participant's current referrer link: that of their latest effective referral event,
    with its user loaded in the same query (a schedule shows the user's label)."""
    latest: dict[str, str] = {}
    for pid, events in effective_by_participant.items():
        referral_events = sorted((e for e in events if e.type in REFERRER_EVENTS), key=sort_key)
        if referral_events:
            latest[pid] = referral_events[-1].id
    links: dict[str, ReferrerLink] = {}
    ids = list(latest.values())
    for start in range(0, len(ids), 500):
        query = (sa.select(ReferrerLink).options(joinedload(ReferrerLink.user))
                 .where(ReferrerLink.event_id.in_(ids[start:start + 500])))
        for link in db.session.scalars(query):
            links[link.event_id] = link
    return {pid: links.get(latest.get(pid)) for pid in effective_by_participant}
