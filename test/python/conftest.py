"""Starts `sluice serve` for the Python peer tests, on a free loopback port."""
import os
import re
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
PASSWORD = "Sluice_Test_1"


class Server:
    def __init__(self, encrypt: str, *extra: str):
        self.cert_path = str(Path(tempfile.mkdtemp(prefix="sluice-cert-")) / "server.pem")
        self.proc = subprocess.Popen(
            ["node", str(REPO / "bin" / "sluice.js"), "serve", "--port", "0", "--encrypt", encrypt, "--cert-out", self.cert_path, *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        deadline = time.monotonic() + 20
        line = ""
        while time.monotonic() < deadline:
            line = self.proc.stdout.readline()
            m = re.match(r"^listening on (.+):(\d+)$", line.strip())
            if m:
                self.host, self.port = m.group(1), int(m.group(2))
                return
            if self.proc.poll() is not None:
                break
        self.proc.kill()
        raise RuntimeError(f"sluice serve did not start: {line!r}")

    def odbc(self, extra: str = "") -> str:
        return f"Server={self.host},{self.port};UID=sa;PWD={PASSWORD};{extra}"

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@pytest.fixture(scope="module")
def mandatory_server():
    s = Server("mandatory")
    yield s
    s.stop()


@pytest.fixture(scope="module")
def strict_server():
    s = Server("strict")
    yield s
    s.stop()
