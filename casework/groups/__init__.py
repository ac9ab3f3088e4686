"""Group sessions (DOMAIN.md §2 `group_session`): one session, an `activity` in each attendee's log."""


def init_app(app) -> None:
    from casework.groups.service import register_rules

    register_rules()
