"""Benchmark: the statistics page, and its DOCX and PDF, for a team-year.

    python bench/bench_report_page.py [--participants N] [--runs N] [--profile]

Two teams in a fresh SQLite database: the Kraften example (DOMAIN.md §5, operational year
2020/21) and a larger synthetic team (bench_list_page's logs, 110 participants by default, the
last full calendar year). A team lead signs in through the login page; each figure is the median
of N requests through the test client, each in its own application context as on a server.

Beside each figure its floor, measured in the same run: for the page, the bare report
computation (`build_report`, what any output of the report must do); for DOCX and PDF, the page.
Targets (issue 11): page < 200 ms, DOCX and PDF < 2 s.
"""

import argparse
import datetime as dt
import html
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_list_page import populate  # noqa: E402
from benchlib import PASSWORD, create_schema, make_app, median_ms, print_profile, sign_in  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=110)
    parser.add_argument("--events", type=int, default=30, help="events per participant (about)")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--profile", action="store_true", help="print the top of a cProfile of one page")
    parser.set_defaults(database_url=None, reset=False)
    return parser.parse_args()


def add_kraften_and_lead(app, synthetic_slug: str) -> str:
    from casework.auth.service import create_user
    from casework.exchange.demo import DEFAULT_EXAMPLE
    from casework.exchange.service import import_lines
    from casework.extensions import db

    with app.app_context():
        with DEFAULT_EXAMPLE.open(encoding="utf-8") as lines:
            import_lines(lines)
        create_user({"email": "lead@bench.example.org", "role": "team_lead", "password": PASSWORD,
                     "teams": ["kraften-hedemora", synthetic_slug], "name": "Bench Lead"})
        db.session.commit()
    return "lead@bench.example.org"


def bare_report(app, slug: str, query: dict):
    from casework.reports import periods
    from casework.reports.service import build_report, team_scope
    from casework.teams.service import get_team

    def compute():
        with app.app_context():
            build_report(team_scope(get_team(slug)), periods.named(query["period"]) if "period" in query
                         else periods.resolve(start=query["from"], end=query["to"]))

    return compute


def fetch(client, url: str, query: dict, fmt: str | None = None, cold: bool = False):
    from casework.reports.charts import _draw

    def get():
        if cold:
            _draw.cache_clear()
        response = client.get(url, query_string=query)
        assert response.status_code == 200, (url, response.status_code)
        if fmt is None:  # the page's charts are separate images: the browser fetches them too
            page = response.get_data(as_text=True)
            assert "Deltagarresultat" in page
    return get


def chart_urls(client, query: dict) -> list[str]:
    page = client.get("/reports/", query_string=query).get_data(as_text=True)
    return [html.unescape(url) for url in re.findall(r'<img src="(/reports/chart/[^"]+)"', page)]


def all_charts(client, urls: list[str], cold: bool):
    from casework.reports.charts import _draw

    def get():
        if cold:
            _draw.cache_clear()
        for url in urls:
            assert client.get(url).status_code == 200
    return get


def measure(app, client, label: str, slug: str, query: dict, runs: int) -> None:
    query = {"scope": f"team:{slug}", **query}
    floor = median_ms(bare_report(app, slug, query), runs)
    page = median_ms(fetch(client, "/reports/", query), runs)
    print(f"{label}: report computation (floor) {floor:.0f} ms; page {page:.0f} ms "
          f"({page / floor:.1f}× floor); target < 200 ms")
    urls = chart_urls(client, query)
    cold = median_ms(all_charts(client, urls, cold=True), max(3, runs // 3))
    warm = median_ms(all_charts(client, urls, cold=False), runs)
    print(f"{label}: its {len(urls)} chart images, fetched one after the other: {warm:.0f} ms with their drawings "
          f"cached, {cold:.0f} ms drawn afresh (a browser fetches them after the page, in parallel)")
    for fmt in ("docx", "pdf"):
        warm = median_ms(fetch(client, f"/reports/download.{fmt}", query, fmt), max(3, runs // 3))
        cold = median_ms(fetch(client, f"/reports/download.{fmt}", query, fmt, cold=True), max(3, runs // 3))
        print(f"{label}: {fmt.upper()} {warm:.0f} ms with the chart drawings cached ({warm / page:.1f}× the page), "
              f"{cold:.0f} ms drawn afresh; target < 2000 ms")


def main():
    args = parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = make_app(args, Path(tmp))
        create_schema(app, reset=False)
        slug, _coach, events = populate(app, args)
        email = add_kraften_and_lead(app, slug)
        client = sign_in(app, email)
        year = dt.date.today().year - 1
        print(f"SQLite; Kraften example, and a synthetic team of {args.participants} participants "
              f"({events} events); median of {args.runs} runs")
        measure(app, client, "Kraften 2020/21", "kraften-hedemora", {"period": "2020/21"}, args.runs)
        measure(app, client, f"synthetic team {year}", slug, {"period": str(year)}, args.runs)
        if args.profile:
            print_profile(lambda: client.get("/reports/", query_string={"scope": "team:kraften-hedemora",
                                                                         "period": "2020/21"}))


if __name__ == "__main__":
    main()
