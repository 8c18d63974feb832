"""The browser view's web server: textual-serve behind an access token.

Every request carries the token: in the address of the first page (`/?token=…`), which then
sets it as a cookie for the page's script, styles and WebSocket.  Anything else gets a bare
403: not the page, not the scripts, not a terminal.
"""

from __future__ import annotations

import hmac
import logging
from pathlib import Path
from typing import Any, Awaitable, Callable

import aiohttp_jinja2
import jinja2
import textual_serve
from aiohttp import web
from textual_serve.server import Server

COOKIE = "xtalent_token"
_TEMPLATES = Path(textual_serve.__file__).parent / "templates"


def _template(name: str) -> str:
    # textual-serve's page asks Google for a web font: a request to the outside from every
    # reviewer's browser, and a stall where there is no internet (the LGWAN side).
    text = (_TEMPLATES / name).read_text("utf-8")
    return "\n".join(line for line in text.splitlines() if "fonts.googleapis.com" not in line)


class TokenServer(Server):
    def __init__(self, command: str, *, host: str, port: int, token: str) -> None:
        super().__init__(command, host=host, port=port, title="xtalent")
        self.token = token

    def initialize_logging(self) -> None:
        # textual-serve logs with Rich tracebacks *with locals*: they could hold personal data.
        logging.basicConfig(level=logging.WARNING, format="%(message)s")

    async def on_startup(self, app: web.Application) -> None:
        pass  # the CLI has printed the address with the token; textual-serve's banner names the command

    def _allowed(self, request: web.Request) -> bool:
        given = request.query.get("token") or request.cookies.get(COOKIE) or ""
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return False
        origin = request.headers.get("Origin")
        # A page elsewhere must not drive the terminal through the visitor's cookie.
        return origin is None or origin == f"{request.scheme}://{request.host}"

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        aiohttp_jinja2.setup(app, loader=jinja2.FunctionLoader(_template))

        @web.middleware
        async def guard(request: web.Request, handler: Callable[[web.Request], Awaitable[Any]]) -> Any:
            if not self._allowed(request):
                return web.Response(status=403, text="403")
            response = await handler(request)
            if request.path == "/" and "token" in request.query:
                response.set_cookie(COOKIE, self.token, httponly=True, samesite="Strict")
            return response

        app.middlewares.append(guard)
        return app

    async def handle_index(self, request: web.Request) -> Any:
        # The page's script and WebSocket addresses are built from public_url: the address the
        # browser used, so a colleague reaching the server by its name gets working links.
        self.public_url = f"{request.scheme}://{request.host}"
        return await super().handle_index(request)
