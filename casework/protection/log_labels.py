"""What the auditor reads in the access log: local time and the names of pages and purposes.

The log stores the route's id (`participants.show`, `cli`) and a purpose id (`case_work`); those
stay in the CSV, which is for machines. The page shows what a person reads: the page or the way
in, and why. An id not named here (a route added later) is shown as it is.
"""

import datetime as dt
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

LOCAL_TIME = ZoneInfo("Europe/Stockholm")

ROUTES = {
    "participants.show": _l("Deltagarsidan"),
    "participants.team_list": _l("Deltagarlistan"),
    "participants.register": _l("Ny deltagare"),
    "tasks.mine": _l("Att göra"),
    "tasks.team": _l("Att göra för teamet"),
    "api_tasks.list_tasks": _l("API: att göra"),
    "steps.record": _l("Registrera steg"),
    "steps.correct": _l("Makulera steg"),
    "schedule.mine": _l("Uppföljningar"),
    "schedule.team": _l("Uppföljningsöversikt"),
    "schedule.book": _l("Boka uppföljning"),
    "schedule.close": _l("Avsluta uppföljning"),
    "schedule.handover": _l("Byt remittent"),
    "schedule.feed": _l("Kalenderflöde"),
    "schedule.renew_feed": _l("Ny kalenderlänk"),
    "protection.participant": _l("Dataskydd för deltagare"),
    "protection.rectify": _l("Rättelse av personuppgifter"),
    "protection.export": _l("Registerutdrag"),
    "protection.erase": _l("Radering"),
    "protection.hold": _l("Bevarandebeslut"),
    "api_participants.read_participant": _l("API: läsa deltagare"),
    "api_participants.list_participants": _l("API: lista deltagare"),
    "api_participants.create_participant": _l("API: registrera deltagare"),
    "api_events.list_events": _l("API: läsa tidslinje"),
    "api_events.append": _l("API: registrera steg"),
    "api_events.correct": _l("API: makulera steg"),
    "schedule_api.Schedule": _l("API: uppföljningsschema"),
    "schedule_api.Bookings": _l("API: boka uppföljning"),
    "schedule_api.BookingItem": _l("API: ändra bokning"),
    "cli": _l("Kommandoraden"),
}

PURPOSES = {
    "case_work": _l("Arbete med deltagaren"),
    "fact_check": _l("Kontroll av uppgifter mot personnumret"),
    "participant_list": _l("Deltagarlista"),
    "task_list": _l("Att göra-lista"),
    "api_participant": _l("Läsning via API"),
    "api_timeline": _l("Tidslinje via API"),
    "follow_up_schedule": _l("Uppföljningsschema"),
    "calendar_feed": _l("Kalenderflöde"),
    "follow_up_reminder": _l("Påminnelse om uppföljning"),
    "referrer_invitation": _l("Inbjudan till remittent"),
    "referrer_link": _l("Koppling till remittent"),
    "rectification": _l("Rättelse"),
    "subject_access": _l("Registerutdrag"),
    "data_protection": _l("Dataskydd"),
    "export": _l("Export"),
    "blind_index_rebuild": _l("Ombyggnad av personnummerindex"),
}


def local_time(at: dt.datetime) -> str:
    """A logged time (UTC) as Swedish local time, summer time included."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=dt.UTC)
    return at.astimezone(LOCAL_TIME).strftime("%Y-%m-%d %H:%M:%S")


def route_label(route: str) -> str:
    return str(ROUTES[route]) if route in ROUTES else route


def purpose_label(purpose: str) -> str:
    return str(PURPOSES[purpose]) if purpose in PURPOSES else purpose
