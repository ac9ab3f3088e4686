"""The team list a page at a time: links, out-of-range pages, the phase filter and a search kept."""

import re

import pytest


def text_of(response) -> str:
    return response.get_data(as_text=True)


def names_on(page: str) -> list[str]:
    return re.findall(r">(Person \d\d)</a>", page)


@pytest.fixture
def five_queued_two_enrolled(team, make_participant, record, monkeypatch, app):
    """Page size 2; five queued (Person 00–04) and two enrolled (Person 05–06), who come first."""
    monkeypatch.setitem(app.config, "PARTICIPANT_PAGE_SIZE", 2)
    people = []
    for number in range(7):
        person = make_participant(team, f"Person {number:02d}")
        record(person, "referral_received", "2021-01-05", {"referrer_org": "af"})
        if number >= 5:
            record(person, "enrolled", f"2021-02-0{number - 4}", {})
        people.append(person)
    return people


def test_pages_split_the_sorted_list_and_link_each_other(client, login, coach, team, five_queued_two_enrolled):
    login(coach)
    url = f"/teams/{team.slug}/participants"
    first = text_of(client.get(url))
    assert names_on(first) == ["Person 05", "Person 06"]  # the active ones first, as without pages
    assert "7 deltagare" in first and "visar 1–2" in first
    assert f'href="{url}?page=2"' in first and f'href="{url}?page=4"' in first
    assert 'aria-current="page">1<' in first
    pages = [names_on(text_of(client.get(f"{url}?page={n}"))) for n in (2, 3, 4)]
    assert pages == [["Person 00", "Person 01"], ["Person 02", "Person 03"], ["Person 04"]]
    last = text_of(client.get(f"{url}?page=4"))
    assert f'href="{url}?page=3"' in last and "Nästa sida" not in last and "Föregående sida" in last and "visar 7–7" in last


@pytest.mark.parametrize("page", ["5", "0", "-1", "x", "1.5", "٣", "9999999"])
def test_a_page_past_the_last_or_no_page_number_is_not_found(client, login, coach, team, five_queued_two_enrolled,
                                                              page):
    login(coach)
    assert client.get(f"/teams/{team.slug}/participants?page={page}").status_code == 404


def test_an_empty_list_has_its_one_page(client, login, coach, team):
    login(coach)
    response = client.get(f"/teams/{team.slug}/participants?page=1")
    assert response.status_code == 200 and "Inga deltagare." in text_of(response) and 'class="pager"' not in \
        text_of(response)
    assert client.get(f"/teams/{team.slug}/participants?page=2").status_code == 404


def test_page_links_keep_the_phase_filter(client, login, coach, team, five_queued_two_enrolled):
    login(coach)
    url = f"/teams/{team.slug}/participants"
    page = text_of(client.get(f"{url}?phase=queued&amp;page=1".replace("&amp;", "&")))
    assert names_on(page) == ["Person 00", "Person 01"] and "5 deltagare" in page
    assert f'href="{url}?phase=queued&amp;page=3"' in page
    assert names_on(text_of(client.get(f"{url}?phase=queued&page=3"))) == ["Person 04"]


def test_a_searchs_pages_post_the_search_again_and_keep_it_out_of_the_url(client, login, coach, team,
                                                                          five_queued_two_enrolled):
    login(coach)
    url = f"/teams/{team.slug}/participants"
    page = text_of(client.post(url, data={"q": "person", "phase": "queued"}))
    assert names_on(page) == ["Person 00", "Person 01"] and "5 deltagare" in page
    assert 'name="q" value="person"' in page and 'name="page" value="2"' in page
    assert "person" not in " ".join(re.findall(r'href="([^"]*)"', page)).casefold().replace("/participants", "")
    second = text_of(client.post(url, data={"q": "person", "phase": "queued", "page": "3"}))
    assert names_on(second) == ["Person 04"]
    assert client.post(url, data={"q": "person", "phase": "queued", "page": "4"}).status_code == 404


def test_the_counts_of_work_due_cover_the_whole_team_on_every_page(client, login, coach, team,
                                                                   five_queued_two_enrolled):
    login(coach)
    url = f"/teams/{team.slug}/participants"
    counts = [re.search(r'class="task-counts">.*?</p>', text_of(client.get(f"{url}?page={n}")), re.S).group(0)
              for n in (1, 4)]
    assert counts[0] == counts[1] and "0 försenade" not in counts[0]
