"""Headless Chromium for tests, driven over the DevTools protocol on a pipe (standard library only).

Why a pipe: `--remote-debugging-pipe` needs no free port and no websocket client, and the browser dies
with its pipes, so a crashed test cannot leave a listening debugger behind.

Usage:
    with Browser() as b:
        page = b.open("file:///tmp/x.html", wait_for="window.kgReady === true")
        page.console_errors, page.remote_requests, b.evaluate("1 + 1"), b.screenshot(path)
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import tempfile
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--mute-audio",
    "--remote-debugging-pipe",
)
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:", "devtools:", "chrome:", "chrome-error:")


def find_chromium() -> str | None:
    """Path of a Chromium binary, or None so tests can skip cleanly."""
    env = os.environ.get("KG_CHROMIUM")
    for candidate in ((env,) if env else ()) + CHROMIUM_CANDIDATES:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


class BrowserError(RuntimeError):
    """The browser died, timed out, or answered a command with an error."""


@dataclass
class PageReport:
    """What happened while a page loaded: errors the page logged and requests that left the machine."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt messages (auto-dismissed)


class Browser:
    """One headless Chromium with one tab; every call blocks until the browser answers or times out."""

    def __init__(self, binary: str | None = None, width: int = 1280, height: int = 900, timeout: float = 60.0):
        self.binary = binary or find_chromium()
        if not self.binary:
            raise BrowserError("no Chromium binary found (set KG_CHROMIUM or install chromium)")
        self.width, self.height, self.timeout = width, height, timeout
        self._next_id = 0
        self._buffer = b""
        self._events: list[dict] = []
        self._session: str | None = None
        self._report: PageReport | None = None

    # -- process and pipe -------------------------------------------------------------------------

    def __enter__(self) -> "Browser":
        self._profile = tempfile.mkdtemp(prefix="kg-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_fds():  # Chromium reads commands on fd 3 and writes replies on fd 4
            high_r = fcntl.fcntl(to_browser_r, fcntl.F_DUPFD, 100)  # dodge clashes with fds 3/4
            high_w = fcntl.fcntl(from_browser_w, fcntl.F_DUPFD, 100)
            os.dup2(high_r, 3)
            os.dup2(high_w, 4)

        args = [self.binary, *CHROMIUM_FLAGS, f"--user-data-dir={self._profile}",
                f"--window-size={self.width},{self.height}", "about:blank"]
        self._proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                      stderr=subprocess.PIPE, preexec_fn=wire_fds, close_fds=False)
        os.close(to_browser_r)
        os.close(from_browser_w)
        try:
            target = self._call("Target.createTarget", {"url": "about:blank"})["targetId"]
            self._session = self._call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Runtime", "Log", "Network"):
                self._call(f"{domain}.enable")
            self._call("Emulation.setDeviceMetricsOverride",
                       {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False})
        except Exception:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._proc.poll() is None:
                try:
                    self._call("Browser.close", session=False, timeout=5)
                except BrowserError:
                    pass
                try:
                    self._proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self._proc.kill()
                    self._proc.wait()
        finally:
            for fd in (self._to_browser, self._from_browser):
                try:
                    os.close(fd)
                except OSError:
                    pass
            if self._proc.stderr:
                self._proc.stderr.close()
            shutil.rmtree(self._profile, ignore_errors=True)

    def _send(self, method: str, params: dict | None, session: bool) -> int:
        self._next_id += 1
        message = {"id": self._next_id, "method": method, "params": params or {}}
        if session and self._session:
            message["sessionId"] = self._session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        return self._next_id

    def _read_message(self, deadline: float) -> dict:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise BrowserError("timed out waiting for Chromium")
            ready, _, _ = select.select([self._from_browser], [], [], left)
            if ready:
                chunk = os.read(self._from_browser, 1 << 20)
                if not chunk:
                    raise BrowserError(f"Chromium exited (code {self._proc.poll()})")
                self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)

    def _call(self, method: str, params: dict | None = None, *, session: bool = True,
              timeout: float | None = None) -> dict:
        call_id = self._send(method, params, session)
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            message = self._read_message(deadline)
            if message.get("id") == call_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error'].get('message')}")
                return message.get("result", {})
            self._observe(message)

    def _observe(self, message: dict) -> None:
        """Record events that matter to tests: errors and any request that is not local."""
        method, params = message.get("method"), message.get("params", {})
        self._events.append(message)
        report = self._report
        if report is None or method is None:
            return
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            report.console_errors.append(" ".join(str(a.get("value", a.get("description", "")))
                                                  for a in params.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "")
            report.console_errors.append(f"uncaught: {text}")
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            report.console_errors.append(params["entry"].get("text", ""))
        elif method == "Page.javascriptDialogOpening":
            report.dialogs.append(params.get("message", ""))
            self._send("Page.handleJavaScriptDialog", {"accept": False}, session=True)
        elif method == "Network.requestWillBeSent":
            url = params.get("request", {}).get("url", "")
            if not url.startswith(LOCAL_SCHEMES):
                report.remote_requests.append(url)

    def _pump(self, seconds: float) -> None:
        """Let events arrive for a while without sending anything."""
        deadline = time.monotonic() + seconds
        try:
            while True:
                self._observe(self._read_message(deadline))
        except BrowserError as err:
            if "timed out" not in str(err):
                raise

    # -- public API -------------------------------------------------------------------------------

    def open(self, url_or_path: str | Path, *, wait_for: str | None = None, settle: float = 0.5) -> PageReport:
        """Load a page, wait for `load` and then until the JS expression `wait_for` is truthy."""
        url = url_or_path if str(url_or_path).startswith(("file:", "http:", "https:", "data:", "about:")) \
            else Path(url_or_path).resolve().as_uri()
        self._report = PageReport(str(url))
        self._events.clear()
        self._call("Page.navigate", {"url": str(url)})
        deadline = time.monotonic() + self.timeout
        while not any(e.get("method") == "Page.loadEventFired" for e in self._events):
            self._observe(self._read_message(deadline))
        if wait_for:
            while not self.evaluate(f"Boolean({wait_for})"):
                if time.monotonic() > deadline:
                    raise BrowserError(f"timed out waiting for {wait_for!r}; errors: {self._report.console_errors}")
                self._pump(0.2)
        self._pump(settle)
        return self._report

    def evaluate(self, expression: str):
        """Value of a JS expression in the page (promises awaited, result returned by value)."""
        result = self._call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                                 "awaitPromise": True})
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression!r} threw: {result['exceptionDetails'].get('text')}"
                               f" {result['exceptionDetails'].get('exception', {}).get('description', '')}")
        return result.get("result", {}).get("value")

    def move_mouse(self, x: float, y: float) -> None:
        """Move the pointer to viewport coordinates (hover effects, tooltips)."""
        self._call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})

    def screenshot(self, path: str | Path) -> Path:
        """Save a PNG of the viewport (parents created)."""
        data = self._call("Page.captureScreenshot", {"format": "png"})["data"]
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path


# -- PNG inspection, so a test can tell a blank screenshot from a drawn one ---------------------------

def png_colour_count(path: str | Path, step: int = 4) -> int:
    """Distinct RGB colours in an 8-bit RGB/RGBA PNG (sampling every `step`-th pixel of every row)."""
    data = Path(path).read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour_type = header[:4]
    if depth != 8 or colour_type not in (2, 6):
        raise ValueError(f"unsupported PNG (depth {depth}, colour type {colour_type})")
    bpp = 3 if colour_type == 2 else 4
    raw, stride = zlib.decompress(idat), width * bpp
    previous, colours = bytearray(stride), set()
    for row in range(height):
        start = row * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        _unfilter(kind, line, previous, bpp)
        for x in range(0, width, step):
            colours.add(bytes(line[x * bpp:x * bpp + 3]))
        previous = line
    return len(colours)


def _unfilter(kind: int, line: bytearray, prev: bytearray, bpp: int) -> None:
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = prev[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + ((left + up) >> 1)) & 0xFF
        elif kind == 4:
            corner = prev[i - bpp] if i >= bpp else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
