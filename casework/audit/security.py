"""The security event log: one JSON line per event on the `casework.security` logger (ASVS 5.0 V16).

Sign-ins, refusals, token use, exports and erasures are recorded with who (user id), which
request (request id, remote address, endpoint) and a few ids, never with names, e-mail addresses,
personnummer or notes: `security_event` keeps only the fields in `FIELDS` and drops the rest
(naming what it dropped), and keeps a value only if it looks like an id or a code.

Each line names its request by the id that `casework.web.headers` gives it and sends back as
`X-Request-ID` (keeping a safe one sent by the proxy), so a line can be followed through the
proxy's logs too.
"""

import datetime as dt
import json
import logging
import re
import sys

from flask import Flask, g, has_request_context, request

from casework.web.headers import request_id

logger = logging.getLogger("casework.security")

FIELDS = frozenset({"user_id", "participant_id", "team", "target_user_id", "token_id", "purpose", "format",
                    "kind", "scope", "status", "count"})
SAFE_VALUE = re.compile(r"^[A-Za-z0-9_.:/-]{0,100}$")


def init_app(app: Flask) -> None:
    """Security events go to their own stream, one JSON object a line, unless logging is set up already."""
    if not logger.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        logger.addHandler(handler)
        logger.propagate = False
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.INFO)
    app.after_request(_log_refusals)


def _log_refusals(response):
    """Every 403, whoever raised it (a service's PermissionDenied, a view's abort, an area's own handler)."""
    if response.status_code == 403:
        security_event("permission_refused", status=403)
    return response


def security_event(name: str, /, **fields) -> None:
    """Log one security event. Fields outside `FIELDS`, and values that are not ids or codes, are dropped."""
    line = {"event": name, "at": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")}
    line.update(_context())
    dropped = sorted(key for key in fields if key not in FIELDS)
    for key in sorted(FIELDS & fields.keys()):
        value = fields[key]
        if value is None or isinstance(value, (bool, int)) or SAFE_VALUE.match(str(value)):
            line[key] = value if value is None or isinstance(value, (bool, int)) else str(value)
        else:
            dropped.append(key)
    line.setdefault("user_id", _signed_in_user_id())
    if dropped:
        line["dropped"] = dropped
    logger.info(json.dumps(line, ensure_ascii=True, sort_keys=False))


def _context() -> dict:
    if not has_request_context():
        import click

        context = click.get_current_context(silent=True)
        return {"request_id": None, "remote_addr": None, "endpoint": context.command_path if context else None}
    rule = request.url_rule
    return {"request_id": request_id(), "remote_addr": request.remote_addr, "method": request.method,
            "endpoint": request.endpoint, "route": rule.rule if rule is not None else None}


def _signed_in_user_id() -> str | None:
    """The user already loaded for this request; never loads one (that could recurse into token checks)."""
    if not has_request_context():
        return None
    user = g.get("_login_user")
    return getattr(user, "id", None) if getattr(user, "is_authenticated", False) else None
