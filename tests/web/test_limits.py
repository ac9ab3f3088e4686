"""Size and nesting limits: 413 from the Content-Length alone, 400 for deep JSON, 422 for long strings."""

import io

import pytest

API = "/api/v1"
FIFTY_MB = 50 * 1024 * 1024
INTAKE = {"gender": "woman", "birth_year": 1990, "personal": {"name": "Nora Ny"},
          "first_step": {"type": "referral_received", "date": "2021-01-05", "data": {"referrer_org": "fk"}}}


class Unread(io.RawIOBase):
    """A body that fails the test if anyone reads it."""

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        return 0

    def tell(self):
        return 0

    def readinto(self, buffer):
        raise AssertionError("the body was read")


def _post_huge(client, path, content_type, **kwargs):
    return client.post(path, input_stream=Unread(), content_type=content_type,
                       environ_overrides={"CONTENT_LENGTH": str(FIFTY_MB)}, **kwargs)


def test_the_limit_comes_from_the_configuration(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 1024 * 1024


def test_a_huge_sign_in_is_refused_unread_with_a_page(client):
    response = _post_huge(client, "/login", "application/x-www-form-urlencoded")
    assert response.status_code == 413 and response.mimetype == "text/html"
    assert "Förfrågan är för stor" in response.get_data(as_text=True)


def test_a_huge_anonymous_api_call_is_refused_unread_with_json(client):
    response = _post_huge(client, f"{API}/teams/kraften-test/participants", "application/json")
    assert response.status_code == 413
    assert response.get_json()["status"] == "RequestEntityTooLarge"


def test_a_body_just_over_the_limit_is_refused(client, coach, bearer):
    body = b'{"note": "' + b"x" * (1024 * 1024) + b'"}'
    response = client.post(f"{API}/teams/kraften-test/participants", data=body, content_type="application/json",
                           headers=bearer(coach))
    assert response.status_code == 413 and response.get_json()["code"] == 413


@pytest.mark.parametrize("depth", [21, 100_000])
def test_deeply_nested_json_is_a_400(client, coach, bearer, depth):
    nested = "[" * depth + "]" * depth
    body = '{"gender": "woman", "birth_year": 1990, "first_step": {"type": "study_visit", "date": "2021-01-05", ' \
           f'"data": {{"answers": {nested}}}}}}}'
    response = client.post(f"{API}/teams/kraften-test/participants", data=body, content_type="application/json",
                           headers=bearer(coach))
    assert response.status_code == 400, response.get_data(as_text=True)
    assert response.get_json()["errors"] == {"json": ["The body is nested deeper than 20 levels."]}


def test_json_within_the_nesting_limit_is_parsed(client, coach, bearer):
    nested = {"a": [[[[{"b": 1}]]]]}
    response = client.post(f"{API}/teams/kraften-test/participants", json=INTAKE | {"extra": nested},
                           headers=bearer(coach))
    assert response.status_code == 422 and "extra" in response.get_json()["errors"]


@pytest.mark.parametrize("change, field", [
    ({"personal": {"name": "N" * 201}}, "personal.name"),
    ({"personal": {"name": "Nora Ny", "email": "n" * 250 + "@example.org"}}, "personal.email"),
    ({"first_step": INTAKE["first_step"] | {"note": "x" * 5001}}, "first_step.note"),
])
def test_a_too_long_string_is_a_422_naming_the_field(client, coach, bearer, change, field):
    response = client.post(f"{API}/teams/kraften-test/participants", json=INTAKE | change, headers=bearer(coach))
    assert response.status_code == 422
    assert field in response.get_json()["errors"]


def test_a_too_long_id_is_a_422_naming_the_field(client, make_user, bearer):
    response = client.post(f"{API}/schedule/bookings", json={"participant_id": "p" * 65, "scheduled_for": "2030-01-01"},
                           headers=bearer(make_user("referrer")))
    assert response.status_code == 422
    assert "participant_id" in response.get_json()["errors"]


def test_the_openapi_document_states_the_lengths(client):
    schemas = client.get(f"{API}/openapi.json").get_json()["components"]["schemas"]
    assert schemas["NamedPersonal"]["properties"]["name"]["maxLength"] == 200
    assert schemas["NamedPersonal"]["properties"]["email"]["maxLength"] == 254
    assert schemas["ActivityEventInput"]["properties"]["note"]["maxLength"] == 5000  # one alternative per type
    assert schemas["BookingIn"]["properties"]["participant_id"]["maxLength"] == 64


def test_a_too_long_form_field_is_refused_on_the_page(login, coach, client):
    login(coach)
    response = client.post("/teams/kraften-test/participants/new",
                           data={"gender": "woman", "birth_year": "1990", "name": "N" * 201, "step": "study_visit",
                                 "date": "2021-01-05", "mode": "physical"})
    assert response.status_code == 400
    assert "200" in response.get_data(as_text=True)
