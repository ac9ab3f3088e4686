"""The floor of bench_api.py: an authenticated durable append over HTTP by the simplest means.

One bare Flask route, served by the same gunicorn settings as Casework: the bearer token is
compared with a SHA-256 hash given in the environment (BENCH_FLOOR_TOKEN_HASH), the JSON body is
parsed, and one row is inserted and committed (SQLAlchemy Core, one transaction) into the same
database, with the same durability as Casework's own commits (SQLite: WAL, synchronous=FULL;
PostgreSQL: synchronous_commit on). No ORM, no schema, no rules, no encryption.

    gunicorn --pythonpath bench 'floor_app:create_app()'
"""

import hashlib
import hmac
import os

import sqlalchemy as sa
from flask import Flask, abort, request

TABLE = sa.Table("bench_floor_appends", sa.MetaData(),
                 sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
                 sa.Column("participant_id", sa.String(36), nullable=False),
                 sa.Column("body", sa.Text, nullable=False))


def engine_for(url: str) -> sa.Engine:
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", _sqlite_durable)
    return engine


def _sqlite_durable(dbapi_connection, _record):
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def create_app() -> Flask:
    app = Flask(__name__)
    engine = engine_for(os.environ["CASEWORK_DATABASE_URL"])  # bench_api.py has made TABLE
    expected = os.environ["BENCH_FLOOR_TOKEN_HASH"]

    @app.post("/participants/<participant_id>/events")
    def append(participant_id: str):
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if not hmac.compare_digest(hashlib.sha256(token.encode()).hexdigest(), expected):
            abort(401)
        body = request.get_json()
        with engine.begin() as conn:
            row_id = conn.execute(sa.insert(TABLE).values(participant_id=participant_id, body=str(body))
                                  .returning(TABLE.c.id)).scalar_one()
        return {"id": row_id}, 201

    return app
