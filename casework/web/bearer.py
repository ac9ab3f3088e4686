"""The bearer token of a request, shared by sign-in (casework.auth) and the API layer."""


def bearer_token(req) -> str | None:
    header = req.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return None
