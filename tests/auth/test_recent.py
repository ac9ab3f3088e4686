"""Re-authentication (password and code) before subject-access export and erasure."""

from urllib.parse import unquote

from tests.conftest import TEST_PASSWORD


def test_an_export_asks_again_after_five_minutes_and_returns(client, coach, participant, login, code, time_machine):
    login(coach)
    url = f"/protection/participants/{participant.id}/export.json"
    assert client.get(url).status_code == 200
    time_machine.move(minutes=6)
    sent = client.get(url)
    assert sent.status_code == 302 and "/reauth" in sent.headers["Location"]
    form_page = client.get(sent.headers["Location"])
    assert form_page.status_code == 200 and "Bekräfta att det är du" in form_page.get_data(as_text=True)
    wrong = client.post(sent.headers["Location"], data={"password": "not the password", "code": code(coach)})
    assert wrong.status_code == 400 and "Fel lösenord" in wrong.get_data(as_text=True)
    assert client.get(url).status_code == 302
    back = client.post(sent.headers["Location"], data={"password": TEST_PASSWORD, "code": code(coach)})
    assert back.status_code == 302 and unquote(back.headers["Location"]).endswith(url)
    assert client.get(url).status_code == 200


def test_a_code_is_needed_too(client, coach, participant, login, time_machine):
    login(coach)
    time_machine.move(minutes=6)
    target = client.get(f"/protection/participants/{participant.id}/export.json").headers["Location"]
    refused = client.post(target, data={"password": TEST_PASSWORD, "code": "000000"})
    assert refused.status_code == 400 and "Koden är fel" in refused.get_data(as_text=True)


def test_an_erasure_post_goes_to_reauth_and_back_to_the_page(client, make_user, team, participant, login,
                                                              time_machine):
    lead = make_user("team_lead", [team])
    login(lead)
    time_machine.move(minutes=6)
    page = f"/protection/participants/{participant.id}"
    response = client.post(f"{page}/erase", data={"reason": "Begäran", "confirm": participant.ref},
                           headers={"Referer": f"http://casework.test{page}"})
    assert response.status_code == 302 and "/reauth" in response.headers["Location"]
    assert unquote(response.headers["Location"]).endswith(f"next={page}")
    assert participant.erased_at is None


def test_repeated_failures_end_the_session(client, coach, participant, login, time_machine):
    login(coach)
    time_machine.move(minutes=6)
    for _ in range(5):
        response = client.post("/reauth", data={"password": "wrong wrong wrong", "code": "000000"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/login")
    assert client.get("/account").status_code == 302


def test_reauth_goes_only_to_a_path_on_this_site(client, coach, login, code):
    login(coach)
    response = client.post("/reauth?next=//evil.example/x", data={"password": TEST_PASSWORD, "code": code(coach)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
