"""A read stays in the access log when the request or command that made it fails and rolls back."""

import datetime as dt

import pytest
import sqlalchemy as sa

from casework.audit import access_log
from casework.audit.models import AccessLogEntry
from casework.audit.verification import verify_chain
from casework.events.service import log_of
from casework.extensions import db


def reads_of(participant_id: str) -> list[tuple[str, str]]:
    return [(e.route, e.purpose) for e in db.session.scalars(
        sa.select(AccessLogEntry).where(AccessLogEntry.participant_id == participant_id).order_by(AccessLogEntry.id))]


def test_a_failed_booking_keeps_the_read_of_the_page_that_shows_the_error(client, login, team, make_user,
                                                                           make_participant, record, today):
    officer = make_user("referrer")
    person = make_participant(team, "Ada Andersson")
    record(person, "referral_received", (today - dt.timedelta(days=70)).isoformat(),
           {"referrer_org": "fk", "referrer": {"name": "Remittent", "email": officer.email}})
    record(person, "enrolled", (today - dt.timedelta(days=60)).isoformat(),
           {"consents": ["documentation", "information_sharing", "statistics"]})
    db.session.commit()
    login(officer)
    past = (today - dt.timedelta(days=2)).isoformat()
    failed = client.post(f"/schedule/{person.id}/book", data={"scheduled_for": past})
    assert failed.status_code == 422 and "Ada Andersson" in failed.get_data(as_text=True)
    assert len(log_of(person.id)) == 2  # the booking itself was rolled back
    reads = reads_of(person.id)
    assert ("schedule.book", "follow_up_schedule") in reads  # the page that showed the error
    assert ("schedule.book", "referrer_link") in reads  # the referrer's e-mail read to find their participants
    assert verify_chain().ok


def test_a_refused_step_keeps_the_read_of_the_page_it_shows_again(client, login, coach, enrolled):
    db.session.commit()
    login(coach)
    refused = client.post(f"/participants/{enrolled.id}/events", data={"type": "activity", "date": "not a date"})
    assert refused.status_code == 400 and "Anna Exempel" in refused.get_data(as_text=True)
    assert reads_of(enrolled.id) == [("steps.record", "case_work")]


@pytest.mark.parametrize("propagate", [True, False])
def test_an_unexpected_error_after_the_read_keeps_it(client, login, coach, enrolled, app, monkeypatch, propagate):
    """An exception that escapes (a 500) still writes the read noted before it."""
    from casework.participants import views

    def broken(*args, **kwargs):
        raise RuntimeError("the template broke")

    db.session.commit()
    login(coach)
    monkeypatch.setattr(views, "render_template", broken)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", propagate)
    if propagate:
        with pytest.raises(RuntimeError):
            client.get(f"/participants/{enrolled.id}")
    else:
        assert client.get(f"/participants/{enrolled.id}").status_code == 500
    assert reads_of(enrolled.id) == [("participants.show", "case_work")]
    assert not access_log.pending()


def test_a_command_that_fails_after_a_read_keeps_it(app, enrolled, monkeypatch):
    from casework.protection import subject_access

    def broken(record):
        raise RuntimeError("rendering failed")

    monkeypatch.setattr(subject_access, "render_html", broken)
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["gdpr", "export", enrolled.ref, "--html"])
    assert result.exit_code == 1 and isinstance(result.exception, RuntimeError)
    assert reads_of(enrolled.id) == [("cli", "subject_access")]


def test_a_read_outside_a_request_or_command_waits_for_the_end_of_the_unit_of_work(enrolled, coach):
    access_log.log_access(coach, [enrolled.id], "case_work")
    assert access_log.pending() and reads_of(enrolled.id) == []
    db.session.rollback()
    access_log.write_pending()
    assert reads_of(enrolled.id) == [("cli", "case_work")] and not access_log.pending()
