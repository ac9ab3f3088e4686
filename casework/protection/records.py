"""Records of processing activities (Art. 30), generated from the teams' settings and the system
as configured, so that the page never drifts from what the system actually does."""

import sqlalchemy as sa
from flask import current_app

from casework.audit.models import AccessLogEntry
from casework.crypto import ledger
from casework.crypto import service as crypto
from casework.events.registry import EVENT_TYPES
from casework.extensions import db
from casework.participants.models import Participant
from casework.protection.models import ErasureRecord, LegalHold
from casework.teams.models import Team
from casework.vocab import CONSENT_SCOPES, REFERRER_ORGS, ROLES

PURPOSES = [
    ("Samordnad rehabilitering (Finsam)", "Planera, dokumentera och följa upp deltagarens väg mot arbete eller studier.",
     "Allmänt intresse / myndighetsutövning (art. 6.1 e) och hälso- och socialvård (art. 9.2 h); samtycke till dokumentation"),
    ("Uppföljning med remittent", "Boka och hålla uppföljning var tredje månad med handläggaren som remitterade.",
     "Samtycke till informationsutbyte (art. 6.1 a)"),
    ("Statistik och rapportering", "Halvårs- och årsrapporter till styrgrupp och förbund; endast statistiska uppgifter, "
     "celler under 3 personer döljs utanför teamet.", "Allmänt intresse (art. 6.1 e) och art. 89"),
    ("Loggkontroll och säkerhet", "Logg över varje läsning av personuppgifter; spårbarhet och intrång.",
     "Rättslig förpliktelse (art. 6.1 c, art. 32)"),
    ("De registrerades rättigheter", "Registerutdrag, rättelse, radering, bevarandebeslut.",
     "Rättslig förpliktelse (art. 15–17)"),
]

DATA_SUBJECTS = ["Deltagare i teamets insats (även anonyma, med endast statistiska uppgifter)",
                 "Remitterande handläggare (namn och e-post)", "Personal och användare (e-post, roll)"]


def personal_event_fields() -> list[str]:
    return sorted({f"{t.label}: {field}" for t in EVENT_TYPES.values() for field in t.personal})


def data_categories() -> list[tuple[str, str, str]]:
    return [
        ("Identitet och kontakt", "namn, personnummer, telefon, e-post, adress", "krypterat per deltagare"),
        ("Anteckningar (kan innehålla hälsouppgifter, art. 9)", "fri text på varje händelse", "krypterat per deltagare"),
        ("Personuppgifter i händelser", ", ".join(personal_event_fields()), "krypterat per deltagare"),
        ("Statistiska uppgifter", "kön, födelseår, utbildning, tid i offentlig försörjning, remittentorganisation, "
         "försörjning, avslutskategori, händelsedatum", "i klartext, identifierar inte ensamma"),
        ("Samtycken", ", ".join(CONSENT_SCOPES.values()), "i händelseloggen"),
    ]


def recipients() -> list[str]:
    return [f"{label} (remittent; bara med samtycke till informationsutbyte, ingen journaltext)"
            for label in REFERRER_ORGS.values()] + [
        "Styrgrupp och samordningsförbund (endast aggregerad statistik, små celler dolda)"]


def retention(teams: list[Team]) -> list[dict]:
    holds = dict(db.session.execute(
        sa.select(Participant.team_id, sa.func.count()).join(LegalHold, LegalHold.participant_id == Participant.id)
        .where(LegalHold.released_at.is_(None)).group_by(Participant.team_id)).all())
    erased = dict(db.session.execute(sa.select(ErasureRecord.team_id, sa.func.count())
                                     .group_by(ErasureRecord.team_id)).all())
    return [{"team": t.name, "federation": t.federation.name, "years": t.settings.retention_years,
             "queue_months": t.settings.queue_retention_months, "holds": holds.get(t.id, 0),
             "erased": erased.get(t.id, 0)} for t in teams]


def security_measures() -> list[str]:
    ring = crypto.keyring()
    active = ring.active_master
    return [
        "Personuppgifter krypteras fält för fält med AES-256-GCM och en egen nyckel per deltagare, "
        "innan de når databasen; associerad data binder varje värde till tabell, kolumn och rad.",
        f"Deltagarnycklarna är inlindade med en huvudnyckel utanför databasen (aktiv {active.id}, skapad {active.created}); "
        f"huvudnyckeln kan roteras utan att data krypteras om ({len(ring.master_keys)} nycklar i nyckelfilen, "
        f"{sum(1 for k in ring.master_keys if k.status == 'retired')} pensionerade).",
        "Sökning på personnummer sker via ett nycklat HMAC-index (blind index) med egen nyckel; namn indexeras inte.",
        "Radering förstör deltagarens nyckel i en transaktion; frigjort utrymme i databasen skrivs över. "
        f"Raderingsliggaren förs även i en fil utanför databasens säkerhetskopior ({ledger.ledger_path().name}) "
        "och spelas upp efter varje återställning.",
        f"Varje läsning av personuppgifter loggas med vem, när, deltagare, väg och ändamål i en hashkedja "
        f"({db.session.scalar(sa.select(sa.func.count()).select_from(AccessLogEntry))} poster); "
        "loggen kan inte ändras i systemet.",
        "Rollbaserad behörighet: " + "; ".join(ROLES.values()) + ". Endast teamets personal läser journalinnehåll.",
        "Lösenord hashas med Argon2; inloggning med sessionskaka (HttpOnly, SameSite=Lax"
        + (", Secure" if current_app.config.get("SESSION_COOKIE_SECURE") else "") + ") och CSRF-skydd; API med bärartoken "
        "som lagras som SHA-256.",
        "Gallring sker automatiskt efter teamets bevarandetid om inte ett bevarandebeslut gäller.",
    ]


def processing_records(teams: list[Team]) -> dict:
    return {"purposes": PURPOSES, "subjects": DATA_SUBJECTS, "categories": data_categories(),
            "recipients": recipients(), "retention": retention(teams), "security": security_measures()}


def teams_for(user) -> list[Team]:
    query = sa.select(Team).order_by(Team.name)
    if user.role == "team_lead":
        query = query.where(Team.id.in_(user.team_ids))
    return list(db.session.scalars(query))
