"""Invitations for referrers named by e-mail who have no account yet.

The invitation row holds the e-mail's keyed hash only; the address itself is read back from the
(encrypted) referral event that named it, when the mail is sent and when the link is used.
The one-time link carries a random token of which only the SHA-256 is stored.
"""

import datetime as dt
import secrets

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from casework.audit.access_log import log_access
from casework.auth.service import create_user, token_hash
from casework.db import utcnow
from casework.errors import DomainError, ValidationFailed
from casework.events.models import Event
from casework.extensions import db
from casework.schedule import mail
from casework.schedule.links import email_index, referrer_user_by_email, sync_links
from casework.schedule.models import ReferrerInvitation, ReferrerLink

bp = Blueprint("invitations", __name__)
LOG_PURPOSE = "referrer_invitation"
VALID_DAYS = 30


def address_of(invitation: ReferrerInvitation) -> str | None:
    """The invited address, decrypted from a referral event naming it (the read is logged)."""
    rows = db.session.execute(sa.select(ReferrerLink, Event).join(Event, Event.id == ReferrerLink.event_id)
                              .where(ReferrerLink.email_index == invitation.email_index)).all()
    for _link, event in rows:
        if event.personal_enc is None:
            continue
        try:
            personal = event.personal
        except DomainError:
            continue
        email = (personal.get("referrer") or {}).get("email")
        if email and email_index(email) == invitation.email_index:
            log_access(None, [event.participant_id], LOG_PURPOSE)
            return email.strip().lower()
    return None


def pending_invitations() -> list[ReferrerInvitation]:
    sync_links()
    return list(db.session.scalars(sa.select(ReferrerInvitation).where(ReferrerInvitation.sent_at.is_(None),
                                                                       ReferrerInvitation.accepted_at.is_(None))))


def send_invitation(invitation: ReferrerInvitation) -> bool:
    """Mail one invitation; an address that has an account by now is settled without mail."""
    address = address_of(invitation)
    if address is None:
        return False
    user = referrer_user_by_email(address)
    if user is not None:
        invitation.accepted_at, invitation.user_id = utcnow(), user.id
        db.session.flush()
        return False
    token = secrets.token_urlsafe(32)
    invitation.token_hash, invitation.sent_at = token_hash(token), utcnow()
    db.session.flush()
    mail.send_mail(address, "Inbjudan till Casework",
                   "Hej!\n\nDu är angiven som remittent för en deltagare i ett Finsam-team. "
                   "Skapa ditt konto för att se och boka uppföljningarna:\n\n"
                   f"{mail.link('/invitation/' + token)}\n\nLänken kan användas en gång.\n")
    return True


def invitation_for(token: str) -> ReferrerInvitation | None:
    """The open invitation of a one-time link, unless used or older than VALID_DAYS."""
    return db.session.scalar(sa.select(ReferrerInvitation).where(
        ReferrerInvitation.token_hash == token_hash(token), ReferrerInvitation.accepted_at.is_(None),
        ReferrerInvitation.sent_at >= utcnow() - dt.timedelta(days=VALID_DAYS)))


def accept(invitation: ReferrerInvitation, name: str, password: str, repeated: str):
    if password != repeated:
        raise ValidationFailed("invitation.passwords_differ", "The passwords differ.", "password")
    address = address_of(invitation)
    if address is None:
        raise ValidationFailed("invitation.unusable", "This invitation can no longer be used.", "token")
    user = create_user({"email": address, "role": "referrer", "name": name or "", "password": password})
    invitation.accepted_at, invitation.user_id, invitation.token_hash = utcnow(), user.id, None
    db.session.flush()
    return user


@bp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_page(token: str):
    invitation = invitation_for(token)
    if invitation is None:
        abort(404)
    error = None
    if request.method == "POST":
        try:
            accept(invitation, request.form.get("name", ""), request.form.get("password", ""),
                   request.form.get("password2", ""))
        except DomainError as exc:
            db.session.rollback()
            error = exc
        else:
            flash(_("Ditt konto är skapat. Logga in med din e-postadress."))
            return redirect(url_for("auth.login"), 303)
    return render_template("schedule/invitation.html", error=error), 422 if error else 200



