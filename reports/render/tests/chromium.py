"""Headless Chromium driven over the DevTools protocol on a pipe
(--remote-debugging-pipe: fd 3 in, fd 4 out, NUL-separated JSON), so no port, no
websocket library and nothing downloaded: Debian's chromium alone."""
import base64
import json
import os
import select
import shutil
import signal
import subprocess
import tempfile
import time

CHROMIUM = "/usr/bin/chromium"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--remote-debugging-pipe"]


class Browser:
    def __init__(self, timeout=60):
        self.timeout = timeout
        self.profile = tempfile.mkdtemp(prefix="slotlab-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire_pipes():
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.proc = subprocess.Popen(
            [CHROMIUM, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            pass_fds=(3, 4), preexec_fn=wire_pipes, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buf = b""
        self._next_id = 0
        self.events = []

    def send(self, method, params=None, session=None):
        """Sends one command and returns its result; events seen meanwhile are kept."""
        self._next_id += 1
        msg = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self._to_browser, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_for(self, method, timeout=None):
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for e in self.events:
                if e["method"] == method:
                    return e
            self.events.append(self._read(deadline))

    def _read(self, deadline=None):
        deadline = deadline or time.monotonic() + self.timeout
        while b"\0" not in self._buf:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise TimeoutError("chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the pipe (crashed?)")
            self._buf += chunk
        raw, self._buf = self._buf.split(b"\0", 1)
        return json.loads(raw)

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        # Chromium's zygote and renderers are its process group (its own session):
        # none outlives the test, even when the browser hung.
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)


def inspect_page(path, screenshot, script, width=1280):
    """Opens file `path`, saves a full-page PNG to `screenshot`, evaluates `script`
    (an expression returning JSON-able data) and returns (its value, console and
    log entries, network requests)."""
    b = Browser()
    try:
        target = b.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = b.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            b.send(f"{domain}.enable", session=session)
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
               session=session)
        b.events.clear()
        b.send("Page.navigate", {"url": "file://" + os.path.abspath(path)}, session=session)
        b.wait_for("Page.loadEventFired")
        value = b.send("Runtime.evaluate", {"expression": script, "returnByValue": True},
                       session=session)
        if "exceptionDetails" in value:
            raise RuntimeError(f"page script failed: {value['exceptionDetails']}")
        height = b.send("Runtime.evaluate", {
            "expression": "document.documentElement.scrollHeight", "returnByValue": True},
            session=session)["result"]["value"]
        shot = b.send("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}},
            session=session)
        with open(screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        messages = []
        for e in b.events:
            p = e.get("params", {})
            if e["method"] == "Runtime.consoleAPICalled":
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))
                messages.append((p.get("type"), text))
            elif e["method"] == "Runtime.exceptionThrown":
                messages.append(("error", str(p.get("exceptionDetails", {}).get("text"))))
            elif e["method"] == "Log.entryAdded":
                entry = p.get("entry", {})
                messages.append((entry.get("level"), f"{entry.get('source')}: {entry.get('text')} "
                                                     f"{entry.get('url', '')}".strip()))
        requests = [e["params"]["request"]["url"] for e in b.events
                    if e["method"] == "Network.requestWillBeSent"]
        return value["result"].get("value"), messages, requests
    finally:
        b.close()
