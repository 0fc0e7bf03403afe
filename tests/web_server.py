"""A real `yusuan serve` for browser tests and screenshots: a subprocess on a
free loopback port, on its own database, stopped with everything it started.

    with Portal(tmp_dir, examples=False) as portal:
        portal.url            # "http://127.0.0.1:PORT"

Own session (process group), so the job queue's worker processes go down
with the server even when it has to be killed."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

YUSUAN = Path(sys.executable).with_name("yusuan")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Portal:
    def __init__(self, folder: Path, examples: bool = False, started_within: float = 180):
        self.folder, self.examples, self.started_within = Path(folder), examples, started_within
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Portal:
        self.folder.mkdir(parents=True, exist_ok=True)
        self.log = self.folder / "serve.log"
        command = [str(YUSUAN), "serve", "--db", f"sqlite:///{self.folder / 'p.db'}", "--port", str(self.port),
                   "--examples" if self.examples else "--no-examples"]
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=self.folder,
                                            start_new_session=True)
        try:
            self._wait()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def _wait(self) -> None:
        # loading the examples happens before the port opens: that is the long part
        deadline = time.monotonic() + self.started_within
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"yusuan serve exited ({self.process.returncode}):\n{self.log.read_text()}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/documents", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        raise TimeoutError(f"yusuan serve did not answer within {self.started_within} s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        # SIGTERM first so uvicorn runs the lifespan's shutdown (closes the job pool)
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        else:
            # workers that outlived their parent are in its group still
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
