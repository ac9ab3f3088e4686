import sqlalchemy as sa

from casework.events.service import correct_event, log_of
from casework.extensions import db
from casework.schedule import service
from casework.schedule.links import NO_EMAIL, email_index, sync_links
from casework.schedule.models import ReferrerInvitation, ReferrerLink


def _ids(user):
    return [e.participant.id for e in service.schedule_for(user)]


def test_a_correction_voiding_the_change_of_referrer_gives_the_participant_back(team, referrer, referred, record, ago):
    first, second = referrer(), referrer()
    p = referred(team, first.email)
    change = record(p, "referrer_changed", ago(0, 2), {"referrer_org": "af", "referrer": {"email": second.email}})
    assert (_ids(first), _ids(second)) == ([], [p.id])
    correct_event(p, change.id, "Fel handläggare")
    assert (_ids(first), _ids(second)) == ([p.id], [])


def test_a_referral_naming_no_email_links_to_nobody_and_invites_no_one(team, referrer, make_participant, record, ago):
    officer = referrer()
    p = make_participant(team, "Ingen Remittent")
    record(p, "referral_received", ago(1), {"referrer_org": "self"})
    record(p, "enrolled", ago(0, 20), {"consents": ["information_sharing"]})
    assert sync_links() == 1
    link = db.session.scalar(sa.select(ReferrerLink).where(ReferrerLink.participant_id == p.id))
    assert (link.email_index, link.user_id) == (NO_EMAIL, None)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ReferrerInvitation)) == 0
    assert _ids(officer) == []


def test_the_email_index_is_keyed_normalised_and_apart_from_the_personnummer_index(app):
    from casework.crypto.service import blind_index

    assert email_index(" Anna@Example.org ") == email_index("anna@example.org")
    assert email_index("anna@example.org") != email_index("anna@example.com")
    assert email_index("199001010017") != blind_index("199001010017")
    assert "anna" not in email_index("anna@example.org")


def test_an_exited_participant_leaves_the_referrers_schedule(team, referrer, referred, record, ago):
    officer = referrer()
    p = referred(team, officer.email)
    assert _ids(officer) == [p.id]
    record(p, "exited", ago(0, 1), {"category": "work"})
    assert _ids(officer) == []
    assert len(log_of(p.id)) == 3
