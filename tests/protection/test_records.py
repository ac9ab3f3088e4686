def test_the_records_follow_the_team_settings(make_team, make_user, login, client):
    make_team(name="Långsamma teamet", retention_years=7, queue_retention_months=9)
    other = make_team(name="Andra teamet")
    login(make_user("auditor"))
    page = client.get("/protection/records").get_data(as_text=True)
    assert "Långsamma teamet" in page and "Andra teamet" in page
    assert '<td class="num">7</td>' in page and '<td class="num">9</td>' in page
    assert "AES-256-GCM" in page
    login(make_user("team_lead", [other]))
    page = client.get("/protection/records").get_data(as_text=True)
    assert "Andra teamet" in page and "Långsamma teamet" not in page


def test_coaches_and_analysts_do_not_see_the_records(make_user, login, client, team):
    for role in ("coach", "analyst", "referrer"):
        login(make_user(role, [team] if role == "coach" else [], federation="Testförbundet" if role == "analyst" else None))
        assert client.get("/protection/records").status_code == 403
