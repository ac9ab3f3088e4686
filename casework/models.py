"""Imports every model so that the metadata (and Alembic's autogenerate) sees them all."""

from casework.audit.models import AccessLogEntry  # noqa: F401
from casework.auth.models import ApiToken, RateLimitCounter, RecoveryCode, User, UserSession, user_teams  # noqa: F401
from casework.crypto.models import DataKey  # noqa: F401
from casework.events.models import Event  # noqa: F401
from casework.groups.models import GroupSession  # noqa: F401
from casework.organisation.models import BudgetLine, Meeting, OrganisationChange, StaffPeriod  # noqa: F401
from casework.participants.models import Participant  # noqa: F401
from casework.protection.models import ErasureRecord, LegalHold, PersonalHistory  # noqa: F401
from casework.reports.models import ReportHistory, ReportSnapshot  # noqa: F401
from casework.schedule.models import ReferrerInvitation, ReferrerLink, ReminderSent  # noqa: F401
from casework.teams.models import Federation, SettingsChange, Team  # noqa: F401
