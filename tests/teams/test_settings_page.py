"""The team settings page: the team's lead (or an admin) edits, previews and saves; form errors
sit on their fields and nothing is written; others are refused."""

import datetime as dt

import sqlalchemy as sa

from casework.extensions import db
from casework.reports.periods import half_year
from casework.reports.team_settings import last_ended_half_year
from casework.teams.models import SettingsChange
from casework.teams.service import settings_history
from casework.teams.settings import DEFAULT_NNS_SCALE, DEFAULT_PROCESS_STEPS


def form_data(columns: dict | None = None, **overrides) -> dict:
    """What the browser posts for the default settings, with `columns` in the column rows."""
    data = {"trial_months": "2", "follow_up_interval_months": "3", "year_start_month": "1",
            "goal_categories": ["work", "studies", "vocational_rehab"], "exclude_from_result": ["dropout"],
            "age_brackets": "18, 31, 46, 65", "support_brackets_months": "12, 24, 36, 48, 60, 72, 96, 108",
            "retention_years": "5", "queue_retention_months": "6", "queue_limit_months": "2",
            "nns_scale": "\n".join(DEFAULT_NNS_SCALE), "process_steps": "\n".join(DEFAULT_PROCESS_STEPS),
            "save": "Spara"}
    for number, (name, categories) in enumerate((columns or {}).items()):
        data[f"columns-{number}-name"] = name
        data[f"columns-{number}-categories"] = categories
    return data | overrides


def changes() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SettingsChange))


def test_the_lead_sets_kraftens_seven_columns_through_the_page(kraften, kraften_columns, make_user, login, client):
    team = kraften
    lead = make_user("team_lead", [team], name="Lena Ledare")
    login(lead)
    page = client.get(f"/teams/{team.slug}/settings")
    assert page.status_code == 200 and "Teaminställningar" in page.get_data(as_text=True)
    saved = client.post(f"/teams/{team.slug}/settings", data=form_data(kraften_columns, year_start_month="7"))
    assert saved.status_code == 302
    assert list(team.settings.report_columns) == list(kraften_columns)
    assert team.settings.year_start_month == 7
    shown = client.get(f"/teams/{team.slug}/settings").get_data(as_text=True)
    assert "Lena Ledare" in shown and "Resultattabellens kolumner" in shown
    assert 'value="Tidigt avhopp"' in shown


def test_the_nav_leads_a_team_lead_to_their_team(team, make_user, login, client):
    login(make_user("team_lead", [team]))
    assert 'href="/teams/settings"' in client.get("/reports/").get_data(as_text=True)
    answer = client.get("/teams/settings")
    assert answer.status_code == 302 and answer.headers["Location"].endswith(f"/teams/{team.slug}/settings")


def test_preview_shows_the_result_table_in_the_new_columns_and_saves_nothing(kraften, kraften_columns, make_user,
                                                                             login, client, monkeypatch):
    team = kraften
    login(make_user("team_lead", [team]))
    # The example's log ends in 2021: its last half-year stands in for "the last ended" one.
    monkeypatch.setattr("casework.reports.team_settings.last_ended_half_year",
                        lambda today: ("2021H1", half_year("2021H1")))
    stored, count = dict(team.settings_json), changes()
    data = form_data(kraften_columns, preview="Förhandsgranska")
    del data["save"]
    page = client.post(f"/teams/{team.slug}/settings", data=data)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Förhandsgranskning" in text and "2021H1" in text
    preview = text.split('id="preview"')[1].split("</section>")[0]
    positions = [preview.index(f'<th scope="row">{heading}</th>') for heading in kraften_columns]
    assert positions == sorted(positions)
    assert '<th scope="row">Återremitterad</th>' not in preview
    assert team.settings_json == stored and changes() == count


def test_contradictions_are_errors_on_their_fields_and_nothing_is_written(team, kraften_columns, make_user, login,
                                                                         client):
    login(make_user("team_lead", [team]))
    stored, count = dict(team.settings_json), changes()
    two_columns = kraften_columns | {"Arbete": ["work", "studies"]}
    page = client.post(f"/teams/{team.slug}/settings",
                       data=form_data(two_columns, goal_categories=["work", "dropout"], age_brackets="31, 18"))
    text = page.get_data(as_text=True)
    assert page.status_code == 400 and "Inställningarna är inte sparade" in text
    columns = text.split('id="columns"')[1].split("</fieldset>")[0]
    assert "Studier finns i mer än en kolumn: Arbete, Studier." in columns
    assert "Värdena ska vara strikt stigande." in text.split('name="age_brackets"')[1].split("<label")[0]
    assert team.settings_json == stored and changes() == count


def test_a_goal_category_excluded_is_an_error_on_the_goal_field(team, make_user, login, client):
    login(make_user("team_lead", [team]))
    page = client.post(f"/teams/{team.slug}/settings", data=form_data(goal_categories=["work", "dropout"]))
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    goal = text.split("Kategorier som räknas som i mål")[1].split("<fieldset")[0]
    assert "En målkategori kan inte undantas från resultatet: Tidigt avhopp." in goal


def test_text_that_is_not_a_number_and_unnamed_columns_are_refused(team, make_user, login, client):
    login(make_user("team_lead", [team]))
    count = changes()
    page = client.post(f"/teams/{team.slug}/settings",
                       data=form_data({"": ["work"]}, trial_months="två", age_brackets="18, x"))
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert "Kolumn 1 har kategorier men ingen rubrik." in text.split('id="columns"')[1]
    assert "Ange ett tal." in text.split('name="trial_months"')[1].split("<label")[0]
    assert changes() == count and team.settings.trial_months == 2


def test_another_teams_lead_and_a_coach_are_refused(team, make_team, make_user, login, client):
    other = make_team()
    login(make_user("team_lead", [other]))
    assert client.get(f"/teams/{team.slug}/settings").status_code == 403
    assert client.post(f"/teams/{team.slug}/settings", data=form_data(trial_months="4")).status_code == 403
    client.post("/logout")
    login(make_user("coach", [team]))
    assert 'href="/teams/settings"' not in client.get("/reports/").get_data(as_text=True)
    assert client.get(f"/teams/{team.slug}/settings").status_code == 403
    assert client.get("/teams/settings").status_code == 403
    assert client.post(f"/teams/{team.slug}/settings", data=form_data(trial_months="4")).status_code == 403
    assert team.settings.trial_months == 2


def test_an_admin_edits_any_team(team, make_team, make_user, login, client):
    make_team()
    admin = make_user("admin")
    login(admin)
    assert client.get("/teams/settings").status_code == 200
    assert client.post(f"/teams/{team.slug}/settings", data=form_data(trial_months="4")).status_code == 302
    assert team.settings.trial_months == 4 and settings_history(team)[0].changed_by == admin


def test_the_last_ended_half_year_is_the_one_before_today():
    assert last_ended_half_year(dt.date(2026, 11, 29))[0] == "2026H1"
    assert last_ended_half_year(dt.date(2026, 6, 30))[0] == "2025H2"
    assert last_ended_half_year(dt.date(2026, 7, 1))[1] == half_year("2026H1")


def test_two_columns_with_one_heading_are_refused(team, make_user, login, client):
    login(make_user("team_lead", [team]))
    data = form_data({"Arbete": ["work"]}) | {"columns-1-name": "Arbete", "columns-1-categories": ["studies"]}
    page = client.post(f"/teams/{team.slug}/settings", data=data)
    assert page.status_code == 400
    assert "Två kolumner har rubriken Arbete." in page.get_data(as_text=True).split('id="columns"')[1]
    assert team.settings.report_columns == {}
