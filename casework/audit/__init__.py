"""The access log (loggkontroll): who read which participant's personal data, when and why; and
the security event log (`security`): sign-ins, refusals, exports, erasures.

A low layer: every area that decrypts personal data writes here, and it imports no area.
"""


def init_app(app) -> None:
    from casework.audit import access_log
    from casework.web.commands import after_unit_of_work

    after_unit_of_work(app, access_log.pending, access_log.write_pending)
