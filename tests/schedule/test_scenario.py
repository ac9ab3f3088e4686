"""The issue's check: two teams, three referrers from different organisations, imported; then
`users add` and tokens; each referrer's GET /api/v1/schedule shows exactly their participants."""

from dateutil.relativedelta import relativedelta

from casework.auth.models import User
from casework.extensions import db
from tests.conftest import TEST_PASSWORD

CONSENTS = ["documentation", "information_sharing", "statistics"]


def _cli(app, *args, stdin=None):
    result = app.test_cli_runner().invoke(args=list(args), input=stdin)
    assert result.exit_code == 0, result.output
    return result.output


def test_imported_scenario_gives_each_referrer_exactly_their_participants(app, client, make_team, make_participant,
                                                                          import_event, today):
    kraften = make_team("kraften-scn", "Kraften Scenario", follow_up_interval_months=3)
    avesta = make_team("avesta-scn", "Avesta Scenario", follow_up_interval_months=2)

    def d(months=0, days=0):
        return (today - relativedelta(months=months, days=days)).isoformat()

    def person(team, email, org, enrolled_months_ago, name):
        p = make_participant(team, name)
        import_event(p, "referral_received", d(enrolled_months_ago, 14),
                     {"referrer_org": org, "income_sources": ["sickness_benefit"],
                      "referrer": {"name": "Någon Handläggare", "email": email}})
        import_event(p, "enrolled", d(enrolled_months_ago), {"consents": CONSENTS})
        return p

    fk, af, soc = "Frida.Kassa@FK.example", "arne@af.example", "sonja@soc.example"
    p1 = person(kraften, fk, "fk", 1, "Ada Andersson")           # due enrolment + 3 months
    p2 = person(avesta, fk, "fk", 4, "Bert Berg")                # held 1 month ago: due held + 2 months
    import_event(p2, "follow_up", d(1), {"status": "held"})
    p3 = person(kraften, af, "af", 5, "Cecilia Ek")              # overdue
    p4 = person(avesta, soc, "soc", 1, "Dan Dahl")                # handed over from soc to af
    import_event(p4, "referrer_changed", d(0, 5), {"referrer_org": "af", "referrer": {"email": af}})
    p5 = person(avesta, soc, "soc", 2, "Eva Ström")               # consent to share withdrawn
    import_event(p5, "consent_withdrawn", d(0, 3), {"scope": "information_sharing"})
    p6 = person(kraften, soc, "soc", 2, "Fredrik Fors")
    p7 = person(kraften, af, "af", 8, "Gun Gran")                 # exited
    import_event(p7, "exited", d(1), {"category": "work"})
    p8 = make_participant(avesta, "Hans Holm")                   # queued, never enrolled
    import_event(p8, "referral_received", d(0, 20), {"referrer_org": "soc", "referrer": {"email": soc}})
    db.session.commit()

    for email in (fk, af, soc):
        _cli(app, "users", "add", email, "--role", "referrer", "--password-stdin", stdin=TEST_PASSWORD + "\n")
    tokens = {email: _cli(app, "users", "token", email, "--scope", "write").strip() for email in (fk, af, soc)}

    def schedule(email):
        response = client.get("/api/v1/schedule", headers={"Authorization": f"Bearer {tokens[email]}"})
        assert response.status_code == 200, response.get_json()
        return {row["ref"]: row for row in response.get_json()["participants"]}

    def in_months(date_text, months):
        from datetime import date

        return (date.fromisoformat(date_text) + relativedelta(months=months)).isoformat()

    seen = schedule(fk)
    assert set(seen) == {p1.ref, p2.ref}
    assert seen[p1.ref]["next_follow_up_due"] == in_months(d(1), 3)
    assert seen[p2.ref]["next_follow_up_due"] == in_months(d(1), 2)
    assert (seen[p1.ref]["name"], seen[p1.ref]["team"]) == ("Ada Andersson", "kraften-scn")

    seen = schedule(af)
    assert set(seen) == {p3.ref, p4.ref}
    assert seen[p3.ref]["next_follow_up_due"] == in_months(d(5), 3) and seen[p3.ref]["overdue"] is True
    assert list(seen)[0] == p3.ref  # overdue first
    assert seen[p4.ref]["referrer_org"] == "af"

    seen = schedule(soc)
    assert set(seen) == {p6.ref}
    assert seen[p6.ref]["next_follow_up_due"] == in_months(d(2), 3)

    # another referrer's participant cannot be booked through the API
    response = client.post("/api/v1/schedule/bookings", json={"participant_id": p1.id, "scheduled_for": today.isoformat(),
                                                              "scheduled_time": "23:59"},
                           headers={"Authorization": f"Bearer {tokens[soc]}"})
    assert response.status_code == 404
    assert "Ada" not in response.get_data(as_text=True)

    users = {u.email: u for u in db.session.scalars(db.select(User).where(User.role == "referrer"))}
    assert fk.lower() in users
