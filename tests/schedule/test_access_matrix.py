"""Every schedule route (page, feed, API) × every role: status codes, and whose names are reached."""

import datetime as dt
import json

import pytest

from casework.auth.service import issue_token
from casework.extensions import db
from casework.schedule import service

ROLES = ["coach_own", "coach_other", "team_lead", "referrer_own", "referrer_other", "analyst", "auditor", "admin",
         "anonymous"]
SEES_P = {"coach_own", "team_lead", "referrer_own"}
STAFF_OWN = {"coach_own", "team_lead"}
SCHEDULE_USERS = {"coach_own", "coach_other", "team_lead", "referrer_own", "referrer_other"}
NOBODY = {"analyst", "auditor", "admin"}

def _expect(allowed, *, own=None, refused_other=404, none=403, anonymous=302):
    """allowed: status for those who may act on P; `own`: who may (default SEES_P)."""
    own = SEES_P if own is None else own
    table = {}
    for role in ROLES:
        if role == "anonymous":
            table[role] = anonymous
        elif role in own:
            table[role] = allowed
        elif role in NOBODY:
            table[role] = none
        else:
            table[role] = refused_other
    return table


# route -> (method, path template, body, status by role)
ROUTES = {
    "page": ("GET", "/schedule", None, _expect(200, own=SCHEDULE_USERS)),
    "book": ("POST", "/schedule/{q}/book", {"scheduled_for": "{day}", "scheduled_time": "10:00"}, _expect(303)),
    "close": ("POST", "/schedule/bookings/{b}/close", {"status": "cancelled", "confirm": "1"}, _expect(303)),
    "team": ("GET", "/schedule/team", None, _expect(200, own={"coach_own", "coach_other", "team_lead"},
                                                    refused_other=403)),
    "handover": ("POST", "/schedule/team/handover", {"participant_id": "{p}", "date": "{yesterday}", "referrer_org": "af",
                                                         "email": "ny@example.org"},
                 _expect(303, own=STAFF_OWN, refused_other=404) | {"referrer_own": 403, "referrer_other": 403}),
    "feed_new": ("POST", "/schedule/feed", None, _expect(200, own=SCHEDULE_USERS)),
    "feed_revoke": ("POST", "/schedule/feed/revoke", None, _expect(303, own=SCHEDULE_USERS)),
    "feed": ("GET", "/schedule/feed/{token}.ics", None, _expect(200, own=SCHEDULE_USERS, none=404, anonymous=404)),
    "api_get": ("GET", "/api/v1/schedule", None, _expect(200, own=SCHEDULE_USERS, anonymous=401)),
    "api_book": ("POST", "/api/v1/schedule/bookings", {"participant_id": "{q}", "scheduled_for": "{day}",
                                                          "scheduled_time": "10:00"},
                 _expect(201, anonymous=401)),
    "api_change": ("PATCH", "/api/v1/schedule/bookings/{b}", {"status": "held", "confirm_early": True},
                   _expect(200, anonymous=401)),
}


@pytest.fixture
def world(make_team, make_user, referred, record, ago, today):
    team_a = make_team("matrix-a", "Matris A")
    team_b = make_team("matrix-b", "Matris B")
    users = {
        "coach_own": make_user("coach", [team_a]),
        "coach_other": make_user("coach", [team_b]),
        "team_lead": make_user("team_lead", [team_a]),
        "referrer_own": make_user("referrer"),
        "referrer_other": make_user("referrer"),
        "analyst": make_user("analyst", federation="Testförbundet"),
        "auditor": make_user("auditor"),
        "admin": make_user("admin"),
    }
    p = referred(team_a, users["referrer_own"].email, name="Petra Pålsson")
    q = referred(team_a, users["referrer_own"].email, name="Quintus Qvist")
    referred(team_b, users["referrer_other"].email, name="Olle Other")
    booking = service.book(users["coach_own"], p.id, today + dt.timedelta(days=3), "10:00")
    db.session.commit()
    return {"users": users, "p": p, "q": q, "b": booking.id, "today": today}


def _fill(value, values):
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value.format(**values) if isinstance(value, str) else value


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(ROUTES))
def test_access_matrix(app, login, client, world, route, role):
    method, path, body, expected = ROUTES[route]
    user = world["users"].get(role)
    token = "unknown-token"
    if route == "feed" and user is not None:
        token = issue_token(user, "calendar")
        db.session.commit()
    values = {"p": world["p"].id, "q": world["q"].id, "b": world["b"], "token": token,
              "day": (world["today"] + dt.timedelta(days=7)).isoformat(),
              "yesterday": (world["today"] - dt.timedelta(days=1)).isoformat()}
    url, data = path.format(**values), _fill(body, values)
    if path.startswith("/api/"):
        headers = {"Authorization": f"Bearer {issue_token(user, scope='write')}"} if user else {}
        db.session.commit()
        response = app.test_client().open(url, method=method, json=data, headers=headers)
        assert response.is_json
    elif route == "feed":
        response = app.test_client().get(url)
    else:
        if user is not None:
            login(user)
        response = client.open(url, method=method, data=data)
    assert response.status_code == expected[role], (route, role, response.get_data(as_text=True)[:300])

    text = json.dumps(response.get_json(), ensure_ascii=False) if response.is_json else response.get_data(as_text=True)
    if route in ("page", "api_get"):
        assert ("Petra Pålsson" in text) == (role in SEES_P)
        assert ("Olle Other" in text) == (role in {"referrer_other", "coach_other"})
    if response.status_code >= 400:
        assert "Petra" not in text and "Quintus" not in text
