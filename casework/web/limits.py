"""Request size and JSON nesting limits (ASVS 5.0 V4/V15: resource use bounded before any work).

A body over `MAX_CONTENT_LENGTH` (CASEWORK_MAX_REQUEST_BYTES, default 1 MB) is answered 413 from
its Content-Length alone, before the body is read and before sign-in or CSRF are looked at; a
body without a Content-Length is cut off by werkzeug at the same size as it is read. JSON nested
deeper than `MAX_JSON_DEPTH` is refused by the API's parser (`json_depth_exceeds`).
"""

from flask import Flask, request
from werkzeug.exceptions import RequestEntityTooLarge

MAX_JSON_DEPTH = 20


def init_app(app: Flask) -> None:
    """Register before every other before-request function, so nothing reads or authenticates first."""
    app.before_request_funcs.setdefault(None, []).insert(0, refuse_large_bodies)


def refuse_large_bodies():
    limit = request.max_content_length
    if limit is not None and request.content_length is not None and request.content_length > limit:
        raise RequestEntityTooLarge()


def json_depth_exceeds(value, limit: int = MAX_JSON_DEPTH) -> bool:
    """True if lists and objects nest deeper than `limit` (a scalar is depth 0, `[]` and `{}` depth 1)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False
