"""gunicorn for the load test: the production settings (DEBUG off, the repo's gunicorn.conf.py, collected
static files served by WhiteNoise), on a free port of 127.0.0.1, stopped afterwards."""

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def production_env(base: Mapping[str, str], *, media_root: str) -> dict[str, str]:
    """The environment of a production start, from ``base`` (DATABASE_URL, CACHE_URL, CELERY_BROKER_URL…).

    What it sets: DEBUG off, a throwaway SECRET_KEY (unless given), this host only, e-mail allowed to go to
    the log (nothing is sent), uploads into ``media_root``. The HTTPS settings stay on: the client sends
    what the TLS proxy would (X-Forwarded-Proto)."""
    env = dict(base)
    env.pop("DJANGO_SETTINGS_MODULE", None)  # the production settings, not a test configuration
    env.update(DEBUG="0", ALLOWED_HOSTS=HOST, MEDIA_ROOT=media_root, LOG_FORMAT="json")
    env.setdefault("SECRET_KEY", "load-test-" + secrets.token_urlsafe(40))
    env.setdefault("LOG_LEVEL", "WARNING")
    if "EMAIL_BACKEND" not in env:
        env["ALLOW_CONSOLE_EMAIL"] = "1"
    return env


def collectstatic(env: Mapping[str, str]) -> None:
    """The production step: hashed, compressed static files in STATIC_ROOT, as WhiteNoise serves them."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=dict(env),
        check=True,
        timeout=300,
    )


def _ready(port: int) -> bool:
    connection = http.client.HTTPConnection(HOST, port, timeout=5)
    try:
        connection.request("GET", "/sehat/", headers={"X-Forwarded-Proto": "https"})
        return connection.getresponse().status == 200
    except OSError:
        return False
    finally:
        connection.close()


def cpu_seconds(pids: Iterable[int]) -> float | None:
    """User + system CPU time the processes have used so far (Linux /proc; None elsewhere)."""
    total = 0
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        for pid in pids:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    except (OSError, ValueError, IndexError):
        return None
    return total / ticks


@dataclass
class Server:
    port: int
    process: subprocess.Popen[bytes]

    def worker_pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children").read_text()
        except OSError:
            return []
        return [int(pid) for pid in children.split()]


@contextmanager
def gunicorn(
    env: Mapping[str, str], *, workers: int, threads: int | None, log: Path, port: int | None = None
) -> Iterator[Server]:
    """Start gunicorn with the repo's gunicorn.conf.py (on ``port``, else a free one); yields it once /sehat/
    answers 200."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        str(Path(settings.BASE_DIR) / "gunicorn.conf.py"),
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        *(["--threads", str(threads)] if threads else []),
        "ssk_tracker.wsgi",
    ]
    with open(log, "wb") as output:
        process = subprocess.Popen(command, cwd=settings.BASE_DIR, env=dict(env), stdout=output, stderr=output)
        try:
            deadline = time.monotonic() + 60
            while not _ready(port):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start; its log:\n{_tail(log)}")
                time.sleep(0.2)
            yield Server(port, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _tail(log: Path, lines: int = 40) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def load_average() -> tuple[float, float, float]:
    return os.getloadavg()
