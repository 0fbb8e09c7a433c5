"""HTTP hardening: security headers, CORS, admin API key, request body limit and rate limiting.

Pages (the API's documentation pages too) load only their own scripts and styles (no inline
script), may not be framed, and declare their content types strictly. HEAD is answered wherever
GET is.
Admin actions (evaluations, import, reindex) depend on `require_admin`; the body size
and per-client rate limits are middlewares installed here. Refusals take the one error shape (`app.errors`).
"""

from __future__ import annotations

import hmac
import math
import re
import time
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from core.config import Settings
from app.errors import AdminKeyRequired, PayloadTooLarge, error_body

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
_ABSOLUTE_PATH = re.compile(r"(?<![\w.~:/])/(?:[^\s'\"/:]+/)+")


def without_paths(text: str) -> str:
    """`text` with the folders of absolute file paths left out (public answers name files, not where they live)."""
    return _ABSOLUTE_PATH.sub("", text)


def _given_key(request: Request) -> str | None:
    key = request.headers.get("x-api-key")
    if key is None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        key = token.strip() if scheme.lower() == "bearer" else None
    return key


def require_admin(request: Request) -> None:
    """Admin actions need `ZEBRA_ADMIN_API_KEY` when it is set (compared in constant time)."""
    expected = request.app.state.settings.admin_api_key
    if expected is None:
        return
    given = _given_key(request)
    if given is None:
        raise AdminKeyRequired("this admin action needs the API key: send it in the X-API-Key header "
                               "(or Authorization: Bearer <key>)")
    if not hmac.compare_digest(given.encode(), expected.get_secret_value().encode()):
        raise AdminKeyRequired("the API key in the request is wrong; use the value of ZEBRA_ADMIN_API_KEY")


AdminDep = Annotated[None, Depends(require_admin)]


class BodyLimit:
    """Refuses bodies over `limit` bytes: at once from Content-Length, else while they stream in."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app, self.limit = app, limit

    def _message(self, size: str) -> str:
        return (f"the request body has {size} bytes; the limit is {self.limit:,} (ZEBRA_MAX_BODY_BYTES). "
                "Send less, e.g. split the file into several requests")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            response = JSONResponse(error_body(413, "payload_too_large", self._message(f"{int(declared):,}")),
                                    status_code=413)
            return await response(scope, receive, send)
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise PayloadTooLarge(self._message(f"more than {self.limit:,}"))
            return message

        await self.app(scope, counted, send)


class RateLimit:
    """Per-client limits on /api (the `limits` library's moving window, in memory per process): 429 + Retry-After."""

    def __init__(self, app: ASGIApp, rates: str):
        self.app, self.rates = app, rates
        self.items: list[RateLimitItem] = parse_many(rates)
        self.limiter = MovingWindowRateLimiter(MemoryStorage())

    def _retry_after(self, item: RateLimitItem, client: str) -> int:
        reset_at, _ = self.limiter.get_window_stats(item, client)
        return max(1, math.ceil(reset_at - time.time()))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/"):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("unknown", 0))[0]
        for item in self.items:  # a refused request uses none of the other limits either
            if not self.limiter.test(item, client):
                wait = self._retry_after(item, client)
                message = (f"too many requests from this client: the limit is {item.amount} per {item.multiples} "
                           f"{item.GRANULARITY.name}; retry in {wait} s (Retry-After)")
                response = JSONResponse(error_body(429, "rate_limited", message), status_code=429,
                                        headers={"Retry-After": str(wait)})
                return await response(scope, receive, send)
        for item in self.items:
            self.limiter.hit(item, client)
        await self.app(scope, receive, send)


def install_limits(app: FastAPI, settings: Settings) -> None:
    """The per-client rate limit on the API (unless switched off) and the body size limit."""
    if settings.rate_limit:
        app.add_middleware(RateLimit, rates=settings.rate_limit)
    app.add_middleware(BodyLimit, limit=settings.max_body_bytes)


def install_security(app: FastAPI, cors_origins: list[str]) -> None:
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "Authorization", "X-API-Key"])

    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)


class SecurityHeaders:
    """The security headers and the CSP on every answer, over any the route set. A plain ASGI
    middleware: it edits the answer's first message and passes the body through untouched."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in {**HEADERS, "Content-Security-Policy": CSP}.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, with_headers)


class HeadAsGet:
    """HEAD answered wherever GET is: the GET answer's status and headers, without its body."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            return await self.app(scope, receive, send)

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)
