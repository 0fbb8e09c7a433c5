"""HTTP hardening: security headers on every response and configurable CORS.

Pages load only their own scripts and styles (no inline script), may not be framed,
and declare their content types strictly. The OpenAPI pages are left to FastAPI.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}
OPEN_DOCS = ("/docs", "/redoc")


def install_security(app: FastAPI, cors_origins: list[str]) -> None:
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Content-Type", "Authorization", "X-API-Key"])

    @app.middleware("http")
    async def _headers(request: Request, call_next):
        response = await call_next(request)
        response.headers.update(HEADERS)
        if not request.url.path.startswith(OPEN_DOCS):
            response.headers["Content-Security-Policy"] = CSP
        return response
