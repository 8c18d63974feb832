"""`xtalent serve`: the TUI in a browser, behind a token; read-only views refuse edits with a word.

The browser test drives Debian's headless Chromium over the DevTools protocol (aiohttp, which
textual-serve brings, is the WebSocket client): what xterm.js draws on its canvas is recorded by
wrapping fillText, so "renders Japanese" means the browser drew the glyphs.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from test_store_support import run_cli
from tui_support import TODAY, demo_store, open_engagement, settle
from xtalent.cli.serve import is_loopback
from xtalent.errors import StoreError
from xtalent.store import Store

ROOT = Path(__file__).resolve().parent.parent


def test_serving_beyond_localhost_needs_an_explicit_flag(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "--db", str(tmp_path / "db"), "serve", "--host", "0.0.0.0", lang="en")
    assert code == 2 and "needs --public" in err and out == ""
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1") and not is_loopback("example.invalid")


def test_a_read_only_store_refuses_every_write(tmp_path: Path) -> None:
    demo_store(tmp_path)
    store = Store.open(tmp_path / "db", read_only=True)
    engagement = store.engagements()[0]
    with pytest.raises(StoreError) as err:
        store.save(engagement.model_copy(update={"notes": "x"}))
    assert err.value.key == "store.read_only_mode"
    with pytest.raises(StoreError):
        store.backup_now()


async def test_the_read_only_view_refuses_edits_and_exports_with_a_word(tmp_path: Path) -> None:
    from xtalent_screens.app import XtalentApp

    store = demo_store(tmp_path)
    before = {e.id: e.revision for e in store.engagements()}
    app = XtalentApp(store=Store.open(tmp_path / "db", read_only=True), today=TODAY, lang="ja", read_only=True)
    # Counted as they are sent: a notification expires after 5 s, and on a loaded machine the
    # first ones are gone from app._notifications before the last key is pressed.
    said: list[str] = []
    notify = app.notify
    app.notify = lambda message, *args, **kwargs: (said.append(str(message)), notify(message, *args, **kwargs))[1]  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "閲覧のみ" in app.sub_title
        await pilot.press("n")  # a new engagement, from the dashboard
        await settle(app, pilot)
        await pilot.press("d")  # delete the selected one, from the dashboard
        await settle(app, pilot)
        assert type(app.screen).__name__ == "DashboardScreen"  # no confirmation asked
        await open_engagement(app, pilot, "en-2025-cdo-hayase", "items")
        screen = app.screen
        for key in ("a", "e", "d", "right_square_bracket", "v", "l", "x", "ctrl+z"):
            await pilot.press(key)
            await settle(app, pilot)
            assert app.screen is screen, key  # no form, no dialog, no export
        refusals = [message for message in said if "閲覧のみ" in message]
        assert len(refusals) >= 10
    assert {e.id: e.revision for e in Store.open(tmp_path / "db").engagements()} == before
    assert list(tmp_path.glob("*.md")) == [] and list(Path.cwd().glob("*引継*")) == []


# ----- a real browser --------------------------------------------------------------------------
# How often a wait below asks the page again: one DevTools round trip, ~1 ms; at 0.3 s each wait
# ended on average 0.15 s after what it waited for had happened.
POLL = 0.05
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run",
         "--disable-component-update", "--disable-sync", "--disable-quic", "--window-size=1280,900"]

# xterm.js draws on a canvas: record every string it draws (glyphs for its texture atlas too).
RECORD_DRAWING = """
window.__drawn = [];
for (const proto of [CanvasRenderingContext2D.prototype, OffscreenCanvasRenderingContext2D.prototype]) {
  const original = proto.fillText;
  proto.fillText = function (text, ...rest) { window.__drawn.push(String(text)); return original.call(this, text, ...rest); };
}
"""

DISTINCT_GLYPHS = """(() => {
  const canvas = document.createElement('canvas'); canvas.width = canvas.height = 40;
  const ctx = canvas.getContext('2d');
  ctx.font = "20px 'Roboto Mono', Monaco, 'Courier New', monospace";  // the terminal's font
  const pixels = c => { ctx.clearRect(0, 0, 40, 40); ctx.fillText(c, 5, 30); return ctx.getImageData(0, 0, 40, 40).data.join(); };
  return pixels('早') !== pixels('瀬');
})()"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class DevTools:
    """Just enough of the Chrome DevTools protocol: commands, and the events seen so far."""

    def __init__(self, ws) -> None:  # type: ignore[no-untyped-def]
        self.ws, self.next_id, self.events = ws, 0, []

    async def send(self, method: str, **params):  # type: ignore[no-untyped-def]
        self.next_id += 1
        await self.ws.send_json({"id": self.next_id, "method": method, "params": params})
        while True:
            message = await asyncio.wait_for(self.ws.receive_json(), 30)
            if message.get("id") == self.next_id:
                return message.get("result", {})
            self.events.append(message)

    async def evaluate(self, expression: str):  # type: ignore[no-untyped-def]
        result = await self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 30):  # type: ignore[no-untyped-def]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = await self.evaluate(expression)
            if value:
                return value
            await asyncio.sleep(POLL)
        raise AssertionError(f"not true within {timeout} s: {expression}")

    def received(self, since: int = 0) -> str:
        """What the page's WebSocket has received (the terminal's output), from event `since` on."""
        data = b""
        for event in self.events[since:]:
            if event.get("method") == "Network.webSocketFrameReceived":
                frame = event["params"]["response"]
                payload = frame["payloadData"]
                data += base64.b64decode(payload) if frame["opcode"] == 2 else payload.encode("utf-8")
        return data.decode("utf-8", errors="replace")

    async def wait_to_receive(self, texts: list[str], since: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(text in self.received(since) for text in texts):
                return
            await self.evaluate("0")  # lets the events that arrived meanwhile be read
            await asyncio.sleep(POLL)
        raise AssertionError(f"not received within {timeout} s: {texts}")

    async def key(self, key: str, code: int, text: str = "") -> None:
        down = {"type": "keyDown", "key": key, "code": key, "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code}
        await self.send("Input.dispatchKeyEvent", **down, **({"text": text} if text else {}))
        await self.send("Input.dispatchKeyEvent", **{**down, "type": "keyUp"})


@pytest.fixture()
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    """`xtalent serve --read-only` on the demo: (address, token)."""
    demo_store(tmp_path)
    port = free_port()
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), "XTALENT_LANG": "ja"}
    server = subprocess.Popen(
        [sys.executable, "-m", "xtalent", "--db", str(tmp_path / "db"), "--today", TODAY.isoformat(),
         "serve", "--port", str(port), "--read-only"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=tmp_path,
    )
    try:
        token = None
        for line in server.stdout:  # type: ignore[union-attr]
            if "token=" in line:
                token = line.split("token=", 1)[1].strip()
                break
        assert token, server.stderr.read()  # type: ignore[union-attr]
        address = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{address}/?token={token}", timeout=2).read()
                break
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        yield address, token
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_a_wrong_token_gets_nothing(served: tuple[str, str]) -> None:
    address, token = served
    for path in ("/?token=wrong", "/", "/static/js/textual.js", "/ws", f"/?token={token[:-1]}"):
        with pytest.raises(urllib.error.HTTPError) as err:
            urllib.request.urlopen(address + path, timeout=5)
        assert err.value.code == 403 and err.value.read() == b"403", path
    page = urllib.request.urlopen(f"{address}/?token={token}", timeout=5)
    body = page.read().decode("utf-8")
    assert page.status == 200 and "textual.js" in body and "fonts.googleapis.com" not in body
    assert "HttpOnly" in page.headers["Set-Cookie"] and "SameSite=Strict" in page.headers["Set-Cookie"]


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="needs Chromium from the OS packages (apt-get install chromium)")
def test_in_chromium_the_dashboard_renders_japanese_and_enter_opens_an_engagement(
    served: tuple[str, str], tmp_path: Path
) -> None:
    import aiohttp

    address, token = served
    profile = tmp_path / "chromium"
    browser = subprocess.Popen([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--remote-debugging-port=0", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    async def drive() -> None:
        port_file = profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while not port_file.exists() or not port_file.read_text().strip():
            assert time.monotonic() < deadline, "Chromium did not start"
            await asyncio.sleep(0.2)
        port = port_file.read_text().split()[0]
        async with aiohttp.ClientSession() as http:
            targets = await (await http.get(f"http://127.0.0.1:{port}/json/list")).json()
            page = next(t for t in targets if t["type"] == "page")
            async with http.ws_connect(page["webSocketDebuggerUrl"], max_msg_size=0) as ws:
                cdp = DevTools(ws)
                for domain in ("Page", "Runtime", "Network"):
                    await cdp.send(f"{domain}.enable")
                await cdp.send("Page.addScriptToEvaluateOnNewDocument", source=RECORD_DRAWING)

                # A wrong token: a bare 403, no terminal, no WebSocket.
                await cdp.send("Page.navigate", url=f"{address}/?token=wrong")
                await cdp.wait_for("document.readyState === 'complete'")
                await asyncio.sleep(1)
                assert (await cdp.evaluate("document.body.innerText")).strip() == "403"
                assert await cdp.evaluate("window.__drawn.length") == 0
                assert not [e for e in cdp.events if e.get("method") == "Network.webSocketCreated"]

                await cdp.send("Page.navigate", url=f"{address}/?token={token}")
                # The dashboard: names of the demo's people, drawn glyph by glyph.
                await cdp.wait_for("['早', '瀬', '望', '月'].every(c => window.__drawn.includes(c))", timeout=60)
                await asyncio.sleep(1)  # let the first frames settle before typing
                shot = await cdp.send("Page.captureScreenshot", format="png")
                (tmp_path / "dashboard.png").write_bytes(base64.b64decode(shot["data"]))

                assert "早瀬" in cdp.received()  # what the drawn glyphs came from
                # ... and drawn as themselves: with no Japanese font every kanji is the same box.
                assert await cdp.evaluate(DISTINCT_GLYPHS), "no Japanese font: kanji drawn as boxes"

                await cdp.evaluate("document.querySelector('.xterm-helper-textarea').focus()")
                since = len(cdp.events)
                await cdp.key("Enter", 13, "\r")
                # The engagement screen's tabs (glyphs already drawn are not drawn again, so what
                # the terminal received is what shows the new screen).
                await cdp.wait_to_receive(["変革目標", "受入れ体制"], since)
                await asyncio.sleep(1)
                shot = await cdp.send("Page.captureScreenshot", format="png")
                (tmp_path / "engagement.png").write_bytes(base64.b64decode(shot["data"]))

                # The reviewer's view refuses an edit with a word.
                since = len(cdp.events)
                await cdp.key("e", 69, "e")
                await cdp.wait_to_receive(["書き出しはできません"], since)

    try:
        asyncio.run(drive())
    finally:
        browser.terminate()
        browser.wait(timeout=20)
    if os.environ.get("XTALENT_KEEP_SCREENSHOTS"):
        shutil.copy(tmp_path / "dashboard.png", os.environ["XTALENT_KEEP_SCREENSHOTS"] + "-dashboard.png")
        shutil.copy(tmp_path / "engagement.png", os.environ["XTALENT_KEEP_SCREENSHOTS"] + "-engagement.png")
