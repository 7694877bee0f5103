"""Client addresses behind trusted proxies, and the security headers on every response."""
import ipaddress

from flask import current_app, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def _networks(setting):
    networks = []
    for part in (setting or "").split(","):
        part = part.strip()
        if part:
            networks.append(ipaddress.ip_network(part, strict=False))
    return networks


def _is_trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_address():
    """The client's IP. X-Forwarded-For counts only when the direct peer is a trusted proxy."""
    remote = request.remote_addr or ""
    networks = current_app.extensions.get("trusted_proxies")
    if networks is None:
        networks = _networks(current_app.config.get("TRUSTED_PROXIES"))
        current_app.extensions["trusted_proxies"] = networks
    if not networks or not _is_trusted(remote, networks):
        return remote[:64]
    forwarded = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop.strip()]
    # Walk from the nearest hop outwards; the first untrusted address is the client.
    for hop in reversed(forwarded):
        if not _is_trusted(hop, networks):
            return hop[:64]
    return (forwarded[0] if forwarded else remote)[:64]


_SECURITY_HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
)
_HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")


def set_security_headers(response):
    """The security headers, unless a view set its own; added in one pass over the headers, since
    every response gets them (a `setdefault` each scans the whole list)."""
    headers = response.headers
    present = {name.lower() for name, _value in headers.items()}
    wanted = _SECURITY_HEADERS + (_HSTS,) if current_app.config.get("SESSION_COOKIE_SECURE") else _SECURITY_HEADERS
    headers.extend([(name, value) for name, value in wanted if name.lower() not in present])
    if not request.path.startswith("/static/"):
        # Pages may show a person's data: never keep them in any cache.
        headers["Cache-Control"] = "no-store"
    return response
