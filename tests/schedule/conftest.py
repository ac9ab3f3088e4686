import datetime as dt

import pytest
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from casework.db import utcnow
from casework.events.models import Event
from casework.events.service import build_event, check_date, log_of, validated_payload
from casework.extensions import db

CONSENTS = ["documentation", "information_sharing", "statistics"]


@pytest.fixture
def ago(today):
    """A date some months (and days) before today, as text."""

    def before(months=0, days=0):
        return (today - relativedelta(months=months, days=days)).isoformat()

    return before


@pytest.fixture
def import_event():
    """Write an event the way the bulk importer does: built through validated_payload and
    build_event, then inserted as a plain row (a core INSERT, no ORM object in the session)."""

    def add(participant, type_name, day, data=None, note=None):
        public, personal = validated_payload(type_name, data or {})
        seq = max((e.seq for e in log_of(participant.id)), default=0) + 1
        event = build_event(participant, type_name, check_date(day), public, personal, note, seq=seq)
        row = {c.key: getattr(event, c.key) for c in Event.__table__.columns}
        row["recorded_at"] = utcnow()
        db.session.execute(sa.insert(Event.__table__), [row])
        return event

    return add


@pytest.fixture
def referred(make_participant, record, ago):
    """A participant of `team` referred by `email` and enrolled `months` ago (consents given)."""

    def make(team, email, *, months=2, org="fk", name="Testa Person", consents=CONSENTS, add=None):
        add = add or record
        p = make_participant(team, name)
        add(p, "referral_received", ago(months, 10), {"referrer_org": org, "referrer": {"name": "Remittent", "email": email}})
        add(p, "enrolled", ago(months), {"consents": list(consents)})
        return p

    return make


@pytest.fixture
def referrer(make_user):
    def make(email=None):
        return make_user("referrer", email=email)

    return make


def due(months_ago_enrolled: int, today: dt.date, interval: int = 3) -> str:
    return (today - relativedelta(months=months_ago_enrolled) + relativedelta(months=interval)).isoformat()


class _Collect:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        import email

        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app, monkeypatch):
    """A local SMTP server (aiosmtpd) that keeps what it receives; the app is pointed at it."""
    from aiosmtpd.controller import Controller

    handler = _Collect()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", None)
    try:
        yield handler.messages
    finally:
        controller.stop()
