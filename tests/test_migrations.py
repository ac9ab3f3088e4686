from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from casework.extensions import db


def test_migrated_schema_matches_the_models(session):
    """The session fixture's database was built by `db upgrade` alone; the models add nothing."""
    context = MigrationContext.configure(session.connection(), opts={"compare_type": True})
    assert compare_metadata(context, db.metadata) == []
