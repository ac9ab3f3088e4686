import re

import sqlalchemy as sa

from casework.auth.models import User
from casework.extensions import db
from casework.schedule.links import sync_links
from casework.schedule.models import ReferrerInvitation, ReferrerLink, ReminderSent


def _body(message) -> str:
    return message.get_payload(decode=True).decode()


def test_reminders_mail_due_and_overdue_follow_ups_once(app, team, referrer, referred, smtp):
    officer = referrer()
    referred(team, officer.email, name="Ada Andersson", months=4)     # overdue
    soon = referred(team, officer.email, name="Bert Berg", months=3)  # due today (within 14 days)
    referred(team, officer.email, name="Cia Ek", months=1)            # due in 2 months: not yet
    db.session.commit()
    runner = app.test_cli_runner()
    first = runner.invoke(args=["reminders", "send"])
    assert first.exit_code == 0, first.output
    assert len(smtp) == 1
    message = smtp[0]
    body = _body(message)
    assert message["To"] == officer.email
    assert "AA, Kraften Test: försenad" in body and "BB, Kraften Test: ska hållas senast" in body
    assert "CE" not in body
    assert not re.search(r"Andersson|Berg|Ek\b|Ada|Bert", body)
    assert "http://127.0.0.1:5000/schedule" in body
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReminderSent)) == 2
    assert soon.id in set(db.session.scalars(sa.select(ReminderSent.participant_id)))

    second = runner.invoke(args=["reminders", "send"])
    assert second.exit_code == 0 and "0 follow-up(s)" in second.output
    assert len(smtp) == 1


def test_an_unknown_referrer_is_invited_and_the_link_resolves_after_sign_up(app, client, team, referred, smtp, bearer):
    address = "ny.handlaggare@fk.example"
    p = referred(team, address.upper(), name="Ada Andersson")
    assert sync_links() == 1 and sync_links() == 0
    link = db.session.scalar(sa.select(ReferrerLink).where(ReferrerLink.participant_id == p.id))
    assert link.user_id is None
    invitation = db.session.scalar(sa.select(ReferrerInvitation).where(ReferrerInvitation.email_index == link.email_index))
    assert invitation is not None and invitation.sent_at is None
    db.session.commit()

    runner = app.test_cli_runner()
    assert runner.invoke(args=["referrers", "invite"]).exit_code == 0
    assert len(smtp) == 1 and smtp[0]["To"] == address
    url = re.search(r"http://\S+/invitation/(\S+)", _body(smtp[0]))
    assert url and "Ada" not in _body(smtp[0])
    assert runner.invoke(args=["referrers", "invite"]).output.strip() == "Sent 0 invitation(s)."

    token = url.group(1)
    assert client.get(f"/invitation/{token}").status_code == 200
    short = client.post(f"/invitation/{token}", data={"name": "Ny", "password": "kort", "password2": "kort"})
    assert short.status_code == 422
    done = client.post(f"/invitation/{token}", data={"name": "Ny Handläggare", "password": "ett långt lösenord",
                                                     "password2": "ett långt lösenord"})
    assert done.status_code == 303
    user = db.session.scalar(sa.select(User).where(User.email == address))
    assert user.role == "referrer"
    assert client.get(f"/invitation/{token}").status_code == 404  # one time only
    response = app.test_client().get("/api/v1/schedule", headers=bearer(user))  # no cookies, as an API client
    assert response.status_code == 200, response.get_json()
    rows = response.get_json()["participants"]
    assert [r["participant_id"] for r in rows] == [p.id]


def test_no_referrer_address_is_stored_in_clear(team, referred):
    address = "synlig@example.org"
    referred(team, address)
    sync_links()
    for table in ("referrer_links", "referrer_invitations", "events"):
        for row in db.session.execute(sa.text(f"SELECT * FROM {table}")):
            assert not any(address in str(value) for value in row)


def test_a_referral_to_an_existing_referrer_links_the_account_and_invites_no_one(team, referrer, referred):
    officer = referrer()
    p = referred(team, officer.email)
    sync_links()
    link = db.session.scalar(sa.select(ReferrerLink).where(ReferrerLink.participant_id == p.id))
    assert link.user_id == officer.id
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReferrerInvitation)) == 0


def test_an_invitation_link_expires(app, client, team, referred, smtp):
    import datetime as dt

    from casework.db import utcnow

    referred(team, "sen@example.org")
    db.session.commit()
    assert app.test_cli_runner().invoke(args=["referrers", "invite"]).exit_code == 0
    token = re.search(r"/invitation/(\S+)", _body(smtp[0])).group(1)
    invitation = db.session.scalar(sa.select(ReferrerInvitation))
    invitation.sent_at = utcnow() - dt.timedelta(days=31)
    db.session.commit()
    assert client.get(f"/invitation/{token}").status_code == 404
