"""The benchmark's world: its own database, production settings, gunicorn and the task worker.

`prepare()` builds the environment every process of the run shares (this one, gunicorn, the task
worker, the crowd's processes): DEBUG off, the sandbox on and served by the portal's own gunicorn on
a free loopback port, a database made anew for the run, collected static files. The database is a
SQLite file under `benchmarks/.work/`, or, when the environment sets DATABASE_URL to PostgreSQL, a
database `<name>_bench` made anew on that server (the named database itself is never touched).
CACHE_URL is honoured when set, under a key prefix of the run's own.

`Service` runs gunicorn or the worker in a process group of its own and always stops it (context
manager); their output goes to log files under `benchmarks/.work/`.
"""

from __future__ import annotations

import logging
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PACKAGE = Path(__file__).resolve().parent
PROJECT = PACKAGE.parent
WORK = PACKAGE / ".work"
PYTHON = sys.executable

# Retry backoff of queued submissions during the outage drill: 1 s, doubling, capped at 4 s.
SYNC_RETRY_BASE_SECONDS = 1
SYNC_RETRY_MAX_SECONDS = 4
CRM_REQUEST_MAX_SECONDS = 45
GUNICORN_WORKERS = 2
GUNICORN_THREADS = 8


@dataclass
class Bench:
    env: dict[str, str]  # the whole environment of every process of the run
    port: int
    database: str  # what the run uses, for the report
    cache: str
    crm_port: int = 0  # the sandbox's own gunicorn: MyCRM and the address service, as in production

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def crm_url(self) -> str:
        return f"http://127.0.0.1:{self.crm_port}"


class HarnessError(RuntimeError):
    """The harness itself failed (set-up, a server that did not start): the run exits non-zero."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare() -> Bench:
    """Make the run's database and settings, migrate, create the cache table, collect static."""
    WORK.mkdir(parents=True, exist_ok=True)
    for old in WORK.glob("*.log"):
        old.unlink()
    port = free_port()
    crm_port = free_port()
    database_url, database = _database()
    cache_url, cache = _cache()
    base = f"http://127.0.0.1:{port}"
    settings_env = {
        "DJANGO_SETTINGS_MODULE": "mycrm_portal.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "FIELD_ENCRYPTION_KEYS": _fernet_key(),
        "DATABASE_URL": database_url,
        "CACHE_URL": cache_url,
        "CACHE_KEY_PREFIX": f"bench-{secrets.token_hex(4)}",
        # The sandbox, served by a gunicorn of its own (a real MyCRM is another server: served by
        # the portal's, the portal's threads would wait on requests queued behind them); both URLs
        # are set so that nothing (a .env file included) can point the run at a real CRM.
        "SANDBOX_ENABLED": "true",
        "PORTAL_SELF_URL": base,
        "MYCRM_URL": f"http://127.0.0.1:{crm_port}/sandbox",
        "SERVICEABILITY_URL": f"http://127.0.0.1:{crm_port}/sandbox/fcc",
        # Plain HTTP on loopback.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "BEHIND_HTTPS_PROXY": "false",
        "PROXY_COUNT": "0",
        # The production defaults, stated so that a .env file cannot change what is measured.
        "CRM_CONNECT_TIMEOUT": "3.05",
        "CRM_READ_TIMEOUT": "10",
        "CRM_SESSION_EXTEND_AFTER": "900",
        "CRM_SESSION_MAX_AGE": "86400",
        "CRM_DESCRIBE_CACHE_SECONDS": "3600",
        "SERVICEABILITY_CONNECT_TIMEOUT": "3.05",
        "SERVICEABILITY_READ_TIMEOUT": "15",
        "SERVICEABILITY_CACHE_TTL": "86400",
        "SERVICEABILITY_STALE_TTL": "86400",
        "SANDBOX_SESSION_IDLE_SECONDS": "1800",
        # The upstream budget is part 10's subject (it sets its own); the load parts measure the
        # portal, not a budget meant for the real address service.
        "SERVICEABILITY_MAX_RPS": "1000",
        "AXES_FAILURE_LIMIT": "5",
        "LOG_LEVEL": "INFO",
        # Short retry delays for the outage drill (production: 30 s doubling to 1 h).
        "SYNC_RETRY_BASE_SECONDS": str(SYNC_RETRY_BASE_SECONDS),
        "SYNC_RETRY_MAX_SECONDS": str(SYNC_RETRY_MAX_SECONDS),
        # The drill's slow CRM answers after 40 s: a timed-out create is looked for after 45 s
        # (production: 120 s, a PHP server's own limit).
        "CRM_REQUEST_MAX_SECONDS": str(CRM_REQUEST_MAX_SECONDS),
        "PYTHONUNBUFFERED": "1",
    }
    env = {**os.environ, **settings_env}
    # To open the run's database afterwards: `set -a; . benchmarks/.work/settings.env; set +a`.
    # Owner-only: DATABASE_URL may hold a password.
    settings_file = WORK / "settings.env"
    settings_file.touch(mode=0o600)
    settings_file.chmod(0o600)
    settings_file.write_text("".join(f"{k}='{v}'\n" for k, v in settings_env.items()), encoding="utf-8")
    # This process runs Django too (the in-process parts): same settings.
    os.environ.update(settings_env)
    bench = Bench(env=env, port=port, database=database, cache=cache, crm_port=crm_port)
    manage(bench, "migrate", "--noinput", log="setup")  # the cache table too (mycrm_portal/migrations)
    manage(bench, "collectstatic", "--noinput", log="setup")
    return bench


def _fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def _database() -> tuple[str, str]:
    given = os.environ.get("DATABASE_URL", "")
    scheme = urlsplit(given).scheme
    if scheme in ("postgres", "postgresql", "pgsql", "psql"):
        url = _postgres_recreate(given)
        parts = urlsplit(url)
        return url, f"postgresql {parts.hostname}:{parts.port or 5432}{parts.path} (server from DATABASE_URL)"
    if given and scheme not in ("sqlite", ""):
        raise HarnessError(f"DATABASE_URL scheme {scheme!r}: the benchmark supports SQLite and PostgreSQL.")
    path = WORK / "bench.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    note = " (DATABASE_URL is SQLite: the run uses its own file)" if given else ""
    return f"sqlite:///{path}", f"sqlite {path.relative_to(PROJECT)}{note}"


def _postgres_recreate(url: str) -> str:
    """A database `<name>_bench` on the server of `url`, dropped and created anew."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "portal"
    bench_name = f"{name}_bench"
    admin_url = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(bench_name)))
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(bench_name)))
    except psycopg.Error as exc:
        raise HarnessError(f"Could not make the database {bench_name!r} on the DATABASE_URL server: {exc}") from None
    return urlunsplit(parts._replace(path=f"/{bench_name}"))


def _cache() -> tuple[str, str]:
    given = os.environ.get("CACHE_URL", "")
    if not given:
        return "dbcache://portal_cache", "database cache (table portal_cache in the run's database)"
    parts = urlsplit(given)
    shown = f"{parts.scheme}://{parts.hostname or ''}{':' + str(parts.port) if parts.port else ''}{parts.path}"
    return given, f"{shown} (from CACHE_URL, under a key prefix of the run's own)"


def manage(bench: Bench, *args: str, log: str) -> None:
    """Run a management command with the run's settings; its output goes to `<log>.log`."""
    with open(WORK / f"{log}.log", "a", encoding="utf-8") as out:
        out.write(f"$ manage.py {' '.join(args)}\n")
        out.flush()
        done = subprocess.run(
            [PYTHON, "manage.py", *args], cwd=PROJECT, env=bench.env, stdout=out, stderr=subprocess.STDOUT, check=False
        )
    if done.returncode != 0:
        raise HarnessError(f"manage.py {args[0]} failed (see {WORK / (log + '.log')}):\n{tail(WORK / (log + '.log'))}")


def tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def django_setup() -> None:
    """Set up Django in this process (after prepare()); its log goes to `harness.log`."""
    import django

    django.setup()
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.FileHandler(WORK / "harness.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root.addHandler(handler)


# --- Services -------------------------------------------------------------------------------------


class Service:
    """A long-running subprocess in its own process group; `with` stops it (and its children)."""

    def __init__(self, name: str, args: list[str], bench: Bench):
        self.name = name
        self.args = args
        self.bench = bench
        self.log_path = WORK / f"{name}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Service:
        self.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def start(self) -> None:
        log = open(self.log_path, "a", encoding="utf-8")  # noqa: SIM115 (closed in stop())
        self._log = log
        self.process = subprocess.Popen(
            self.args,
            cwd=PROJECT,
            env=self.bench.env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped with all its children
        )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout: float = 10) -> None:
        process, self.process = self.process, None
        if process is None:
            return
        try:
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
                try:
                    process.wait(timeout=timeout)
                except subprocess.TimeoutExpired:
                    _signal_group(process, signal.SIGKILL)
                    process.wait(timeout=timeout)
        finally:
            self._log.close()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    try:
        os.killpg(process.pid, sig)  # the group this Popen started (start_new_session)
    except ProcessLookupError:
        pass


class Gunicorn(Service):
    """The portal under gunicorn with production settings; with `sandbox`, the same application on
    the sandbox's port, playing MyCRM and the address service."""

    def __init__(self, bench: Bench, *, sandbox: bool = False):
        self.url = bench.crm_url if sandbox else bench.base_url
        args = [
            PYTHON, "-m", "gunicorn", "mycrm_portal.wsgi",
            "--bind", f"127.0.0.1:{bench.crm_port if sandbox else bench.port}",
            "--workers", str(GUNICORN_WORKERS),
            "--threads", str(GUNICORN_THREADS),
            "--timeout", "60",
            "--graceful-timeout", "5",
            "--error-logfile", "-",
            "--no-control-socket",  # it would write a socket under ~/.gunicorn
        ]  # fmt: skip
        super().__init__("sandbox-gunicorn" if sandbox else "gunicorn", args, bench)

    def start(self) -> None:
        super().start()
        self.wait_healthy()

    def wait_healthy(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        url = f"{self.url}/healthz"
        while time.monotonic() < deadline:
            if not self.alive():
                raise HarnessError(f"gunicorn exited at start:\n{tail(self.log_path)}")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:  # noqa: S310 (loopback URL)
                    if answer.status == 200:
                        return
            except (urllib.error.URLError, OSError):
                pass
            time.sleep(0.2)
        raise HarnessError(f"gunicorn did not answer /healthz within {timeout:.0f} s:\n{tail(self.log_path)}")


class Worker(Service):
    """The task worker, as production runs it (`db_worker --queue-name '*'`)."""

    def __init__(self, bench: Bench):
        super().__init__("worker", [PYTHON, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"], bench)


# --- The machine ----------------------------------------------------------------------------------


def machine() -> dict[str, str | int | None]:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory": _memory(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return None
