"""Who may use the portal, and that a form was sent by the portal's own page.

Access: with a token configured, every request must carry it — an
`Authorization: Bearer TOKEN` header (scripts) or the session cookie that
visiting any page once as `/?token=TOKEN` sets (browsers; the address is
then redirected without the token so it stays out of history and logs).
Without a token the server only binds to loopback (`yusuan serve` refuses
anything else).

CSRF, by double-submit cookie: every response sets a random `yusuan_csrf`
cookie (HttpOnly, SameSite=Strict) and pages put the same value in their
forms (field `csrf_token`) or htmx headers (`X-CSRF-Token`), read from
`request.state.csrf_token`. A page's POST must carry it (`csrf_protect`).
The JSON API's writes are accepted with a bearer header (a browser cannot
add one to a cross-site request), with the CSRF header, or, without a
token, when the request is not a cross-site one from a browser
(`Sec-Fetch-Site`/`Origin`): curl on the same machine needs nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TOKEN_COOKIE = "yusuan_session"
CSRF_COOKIE = "yusuan_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and hmac.compare_digest(a.encode(), b.encode())


def session_value(token: str) -> str:
    # the cookie carries a value derived from the token, not the token itself,
    # so a cookie seen in a browser's storage does not give the bearer token
    return hmac.new(token.encode(), b"yusuan portal session", hashlib.sha256).hexdigest()


def bearer(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


class AccessMiddleware(BaseHTTPMiddleware):
    """The token on every request when one is configured; the CSRF cookie
    on every response; headers that keep pages out of frames and sniffing."""

    def __init__(self, app: ASGIApp, token: str | None):
        super().__init__(app)
        self.token = token

    async def dispatch(self, request: Request, call_next) -> Response:
        if self.token:
            given = request.query_params.get("token")
            if given is not None and request.method in ("GET", "HEAD"):
                if not _same(given, self.token):
                    return _unauthorised()
                response = RedirectResponse(str(request.url.remove_query_params("token")), status_code=303)
                response.set_cookie(TOKEN_COOKIE, session_value(self.token), httponly=True, samesite="strict",
                                    secure=request.url.scheme == "https")
                return response
            if not (_same(bearer(request), self.token)
                    or _same(request.cookies.get(TOKEN_COOKIE), session_value(self.token))):
                return _unauthorised()
        cookie = request.cookies.get(CSRF_COOKIE)
        request.state.csrf_token = cookie or secrets.token_urlsafe(32)
        response = await call_next(request)
        if not cookie:
            response.set_cookie(CSRF_COOKIE, request.state.csrf_token, httponly=True, samesite="strict",
                                secure=request.url.scheme == "https")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response


def _unauthorised() -> Response:
    return JSONResponse({"detail": "a token is required: Authorization: Bearer TOKEN, or open /?token=TOKEN once"},
                        status_code=401, headers={"WWW-Authenticate": "Bearer"})


def _csrf_given(request: Request, form_value: str | None = None) -> bool:
    expected = request.cookies.get(CSRF_COOKIE)
    return _same(request.headers.get(CSRF_HEADER), expected) or _same(form_value, expected)


async def csrf_protect(request: Request) -> None:
    """Dependency of every page route: a POST must carry the CSRF token (form
    field or header) equal to the cookie. Reading the form here parses it
    once; the route's own Form/File parameters reuse it."""
    if request.method not in UNSAFE:
        return
    form_value = None
    if request.headers.get(CSRF_HEADER) is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        form_value = value if isinstance(value, str) else None
    if not _csrf_given(request, form_value):
        raise HTTPException(403, "the form has expired or did not come from this portal; reload the page and try again")


def _cross_site(request: Request) -> bool:
    site = request.headers.get("sec-fetch-site")
    if site is not None and site not in ("same-origin", "none"):
        return True
    origin = request.headers.get("origin")
    if origin is None:
        return False
    host = request.headers.get("host", "")
    return origin.split("://", 1)[-1].rstrip("/") != host


async def api_write_allowed(request: Request) -> None:
    """Dependency of the API's writes (see the module's docstring)."""
    if request.method not in UNSAFE or bearer(request) is not None or _csrf_given(request):
        # a bearer header that reached here was checked by AccessMiddleware
        return
    if not request.app.state.settings.token and not _cross_site(request):
        return
    raise HTTPException(403, f"a cross-site write needs the {CSRF_HEADER} header or a bearer token")


class TooLarge(HTTPException):
    pass


class BodyLimit:
    """Refuses a request body larger than `limit` bytes (413) as it arrives,
    declared or not, before it is spooled to disk whole."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app, self.limit = app, limit

    def _refusal(self) -> TooLarge:
        return TooLarge(413, f"the upload is larger than this portal accepts in one request ({self.limit:,} bytes)")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope.get("headers") or ()).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            exc = self._refusal()
            return await JSONResponse({"detail": exc.detail}, status_code=413)(scope, receive, send)
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise self._refusal()
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except TooLarge as exc:
            if started:
                raise
            await JSONResponse({"detail": exc.detail}, status_code=413)(scope, receive, send)
