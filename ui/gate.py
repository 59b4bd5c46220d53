"""The web app's HTTP gate, in front of Gradio's own routes: the admin login and logout, and Gradio's file
upload route, which without it takes files from anyone (it runs before any event handler can check)."""

from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response

from ui import admin

LOGIN, LOGOUT = "/admin/login", "/admin/logout"


class AdminGate(BaseHTTPMiddleware):
    async def dispatch(self, request: Request, call_next) -> Response:
        path = request.url.path.rstrip("/")
        if request.method == "POST" and path.endswith(LOGIN):
            return await _login(request)
        if request.method == "POST" and path.endswith(LOGOUT):
            admin.SESSIONS.close(request.cookies.get(admin.SESSION_COOKIE))
            return _back_to_app(request, LOGOUT, "da-dang-xuat", clear=True)
        if request.method == "POST" and path.endswith("/upload"):
            try:
                admin.require_session(request.cookies.get(admin.SESSION_COOKIE))
            except admin.AdminError as error:
                return JSONResponse({"detail": str(error)}, status_code=403)
        return await call_next(request)


async def _login(request: Request) -> Response:
    form = await request.form()
    client = request.client.host if request.client else "unknown"
    try:
        token = await run_in_threadpool(admin.SESSIONS.open, str(form.get("password") or ""), client)
    except admin.AdminError as error:
        outcome = "khoa" if "thử lại sau" in str(error) else "tat" if "đang tắt" in str(error) else "sai"
        return _back_to_app(request, LOGIN, outcome)
    response = _back_to_app(request, LOGIN, "da-dang-nhap")
    response.set_cookie(admin.SESSION_COOKIE, token, max_age=admin.SESSION_S, httponly=True, samesite="strict",
                        path="/")
    return response


def _back_to_app(request: Request, route: str, outcome: str, clear: bool = False) -> RedirectResponse:
    """Back to the page the form was on, saying how the login went (`?quan-tri=sai`)."""
    base = request.url.path.rstrip("/")[: -len(route)] or ""
    response = RedirectResponse(f"{base}/?quan-tri={outcome}", status_code=303)
    if clear:
        response.delete_cookie(admin.SESSION_COOKIE, path="/")
    return response
