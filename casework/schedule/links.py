"""Who is whose: linking a referral to the referrer's account by a keyed hash of the e-mail.

A referral (or a change of referrer) names the referrer's e-mail in its encrypted payload. When
the event is built, a `ReferrerLink` is attached to it: with the user's id if a referrer account
with that address exists, else with the e-mail's keyed hash only (and an invitation is created
for the address). A link without a user resolves as soon as a referrer account with the address
exists, whether made by `casework users add` or by accepting the invitation.
"""

import hashlib
import hmac

import sqlalchemy as sa
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from casework.auth.models import User
from casework.crypto.service import keyring
from casework.events.models import Event
from casework.events.ordering import sort_key
from casework.events.registry import on_build
from casework.extensions import db
from casework.schedule.models import ReferrerInvitation, ReferrerLink

REFERRER_EVENTS = ("referral_received", "referrer_changed")
DOMAIN = b"casework/referrer-email/v1\x00"


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def email_index(email: str) -> str:
    """HMAC-SHA256 of the normalised address under the blind-index key, with its own domain
    separator so that it can never equal a personnummer's index."""
    key = keyring().active_blind_index.key
    return hmac.new(key, DOMAIN + normalise_email(email).encode(), hashlib.sha256).hexdigest()


def referrer_user_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email), User.role == "referrer"))


@on_build(*REFERRER_EVENTS)
def link_referrer(event: Event, personal: dict) -> None:
    """Attach the link to the event being built; it is saved with the event, and only then."""
    email = (personal.get("referrer") or {}).get("email")
    if not email:
        return
    user = referrer_user_by_email(email)
    event.referrer_link = ReferrerLink(participant_id=event.participant_id, email_index=email_index(email),
                                       user_id=user.id if user else None)


@sa_event.listens_for(Session, "before_flush")
def _invite_unknown_referrers(session, flush_context, instances) -> None:
    """An unknown referrer e-mail becomes an invitation (keyed by its hash) when its link is saved."""
    wanted = {obj.email_index for obj in session.new if isinstance(obj, ReferrerLink) and obj.user_id is None}
    pending = {obj.email_index for obj in session.new if isinstance(obj, ReferrerInvitation)}
    wanted -= pending
    if not wanted:
        return
    with session.no_autoflush:
        known = set(session.scalars(sa.select(ReferrerInvitation.email_index)
                                    .where(ReferrerInvitation.email_index.in_(wanted))))
        for index in sorted(wanted - known):
            session.add(ReferrerInvitation(email_index=index))


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
    """Each participant's current referrer link: that of their latest effective referral event."""
    latest: dict[str, str] = {}
    for pid, events in effective_by_participant.items():
        referral_events = sorted((e for e in events if e.type in REFERRER_EVENTS), key=sort_key)
        if referral_events:
            latest[pid] = referral_events[-1].id
    links: dict[str, ReferrerLink] = {}
    ids = list(latest.values())
    for start in range(0, len(ids), 500):
        for link in db.session.scalars(sa.select(ReferrerLink).where(ReferrerLink.event_id.in_(ids[start:start + 500]))):
            links[link.event_id] = link
    return {pid: links.get(latest.get(pid)) for pid in effective_by_participant}
