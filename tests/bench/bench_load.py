"""Load benchmark: the portal under gunicorn with production settings, on PostgreSQL, with
simulated people signed in through the real forms, browsing their usual pages.

    python tests/bench/bench_load.py [--users 50] [--duration 60] [--workers 2] [--threads 4]
                                     [--think 300-900] [--seed 1]

It creates a throwaway database on the PostgreSQL server of ``DATABASE_URL`` (default: the
development server, ``postgres://portal_dev:devpass@127.0.0.1:5432/portal_dev``; the role needs
CREATEDB; a DATABASE_URL that is not PostgreSQL is ignored), migrates it, seeds the demo and
adds people (students, mentees, reviewers, a chair, coordinators), refreshes the planner's
statistics (`portal.db.analyze`), collects the static files into a temporary folder, and
starts gunicorn on a loopback port with DEBUG off. Each
simulated person then signs in through the login form (with the authenticator code where
their role needs one), and all of them loop over their pages for the duration. It prints
requests per second, p50, p95 and p99 latencies and errors (any answer but 200), per role and
overall, then stops gunicorn and drops the database.

Think time. A person reads a page before clicking the next one: before each page, each
simulated person waits a time drawn uniformly between the two bounds of ``--think`` (in ms,
default 300-900: 0.6 s on average), from a random generator of their own seeded by ``--seed``
and their number, so that two runs draw the same waits. By Little's law a closed loop of N
people, each waiting Z between an answer and their next request, with answers taking R,
makes N / (Z + R) requests per second: 50 people at 60 requests/s and R <= 0.5 s read for
about 0.33 s or more per page, so people who never pause are not what the targets describe.
The first wait, before the first page, also staggers the start. ``--think 0`` removes the
pauses and measures the server's capacity instead (latencies then grow with the queue).

Each person connects from an address of their own on the loopback network (127.0.1.x), as
people do from their own machines: the sign-in rate limit counts by address.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://portal_dev:devpass@127.0.0.1:5432/portal_dev"
# The share of each kind of person among the simulated users, and the pages each one visits
# in turn. `{board}` is the chair's board of the demo's closed (reviewed) call.
MIX = {"student": 0.44, "mentee": 0.12, "reviewer": 0.24, "chair": 0.04, "coordinator": 0.16}
PAGES = {
    "student": ["/applications/", "/exchanges/", "/", "/programmes/scholarship/", "/rotations/"],
    "mentee": ["/mentorship/my-mentor/", "/applications/", "/"],
    "reviewer": ["/applications/reviewing/", "/applications/", "/accounts/profile/"],
    "chair": ["/applications/chairing/", "{board}", "/applications/reviewing/"],
    "coordinator": ["/exchanges/coordinating/", "/exchanges/", "/"],
}
MFA_KINDS = {"reviewer", "chair", "coordinator"}


def _admin_connect(url: str):
    import psycopg

    parts = urlsplit(url)
    return psycopg.connect(
        f"host={parts.hostname} port={parts.port or 5432} dbname={parts.path.lstrip('/')}",
        user=parts.username,
        password=parts.password,
        autocommit=True,
    )


def database_create(url: str) -> str:
    name = f"portal_load_{os.getpid()}"
    with _admin_connect(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def database_drop(url: str, load_url: str) -> None:
    name = urlsplit(load_url).path.lstrip("/")
    with _admin_connect(url) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def production_environ(load_url: str, var_dir: str) -> dict[str, str]:
    """What production sets (portal/settings.py): DEBUG off, a secret key, the allowed host,
    the database; plain HTTP on the loopback (no TLS redirect), quiet logs."""
    return {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": load_url,
        "PORTAL_VAR_DIR": var_dir,
        "SECURE_SSL_REDIRECT": "0",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }


@dataclass
class Person:
    kind: str
    email: str
    mfa: bool


def data_prepare(users: int) -> tuple[list[Person], dict[str, str]]:
    """Migrate, seed the demo, add the people of the mix; returns them and the URL values."""
    import django

    django.setup()
    from django.core.management import call_command

    quiet = open(os.devnull, "w")  # noqa: SIM115
    call_command("migrate", verbosity=0, stdout=quiet)
    call_command("createcachetable", verbosity=0, stdout=quiet)
    call_command("seed_demo", force=True, stdout=quiet)
    call_command("collectstatic", interactive=False, verbosity=0, stdout=quiet)
    people = _people_add(users)
    from applications.models import Call
    from portal.db import analyze

    analyze()
    board = f"/applications/calls/{Call.objects.get(slug='research-elective-grant-2026').pk}/board/"
    from django.db import connections

    connections.close_all()
    return people, {"board": board}


def _people_add(users: int) -> list[Person]:
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP
    from django.contrib.auth import get_user_model

    from applications.models import Call, CommitteeMembership
    from exchanges.models import Coordinator, Institution
    from mentorship.enums import RequestStatus
    from mentorship.models import MenteeRequest
    from portal.demo import DEMO_TOTP_SECRET, demo_user

    User = get_user_model()
    password = demo_user("applicant").password  # one hash for all: hashing is slow by design
    calls = list(Call.objects.all())
    institutions = list(Institution.objects.all())
    counts = {kind: max(1, round(share * users)) for kind, share in MIX.items()}
    counts["student"] += users - sum(counts.values())
    people = []
    for kind, count in counts.items():
        for number in range(count):
            email = f"{kind}{number}@load.test"
            user = User.objects.create(email=email, full_name=f"Load {kind} {number}")
            User.objects.filter(pk=user.pk).update(password=password)
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            if kind in ("reviewer", "chair"):
                for call in calls:
                    CommitteeMembership.objects.create(
                        call=call, user=user, is_chair=kind == "chair", languages=["en"]
                    )
            if kind == "coordinator":
                Coordinator.objects.create(
                    user=user, institution=institutions[number % len(institutions)]
                )
            if kind == "mentee":
                wish = {"interests": ["cardiology"], "languages": ["en"], "goals": "A residency."}
                MenteeRequest.objects.create(user=user, status=RequestStatus.OPEN, **wish)
            if kind in MFA_KINDS:
                TOTP.activate(user, DEMO_TOTP_SECRET)
            people.append(Person(kind, email, kind in MFA_KINDS))
    return people


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_start(port: int, workers: int, threads: int, environ: dict) -> subprocess.Popen:
    command = [str(Path(sys.executable).parent / "gunicorn"), "portal.wsgi"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", str(workers)]
    command += ["--threads", str(threads), "--worker-class", "gthread", "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **environ})
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


class Browser:
    """One person: a keep-alive connection from an address of their own, and their cookies."""

    def __init__(self, port: int, number: int, person: Person, password: str, secret: str):
        self.port, self.person, self.password, self.secret = port, person, password, secret
        self.number = number
        self.source = f"127.0.{1 + number // 250}.{2 + number % 250}"
        self.cookies: dict[str, str] = {}
        self.connection: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            if self.connection is None:
                self.connection = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60, source_address=(self.source, 0)
                )
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                content = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location", ""), content.decode()

    def form_post(self, path: str, form: dict) -> tuple[int, str]:
        status, _location, html = self.request("GET", path)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        if status != 200 or not token:
            raise RuntimeError(f"no form at {path} ({status})")
        status, location, _html = self.request(
            "POST", path, {**form, "csrfmiddlewaretoken": token.group(1)}
        )
        return status, location

    def sign_in(self) -> None:
        person = self.person
        status, location = self.form_post(
            "/accounts/login/", {"login": person.email, "password": self.password}
        )
        if status != 302:
            raise RuntimeError(f"{person.email}: the login form answered {status}")
        if person.mfa:
            from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

            code = format_hotp_value(hotp_value(self.secret, int(time.time()) // 30))
            status, location = self.form_post(urlsplit(location).path, {"code": code})
            if status != 302 or "/2fa/" in location:
                raise RuntimeError(f"{person.email}: the authenticator code was refused")


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            if error:
                self.errors.setdefault(kind, []).append(error)


def browse(browser, pages, stop_at, tally, think: tuple[float, float], seed: int) -> None:
    """Visit `pages` in turn until `stop_at`, waiting a think time (s) drawn uniformly in
    `think` before each page; each person draws from a generator of their own."""
    kind, turn = browser.person.kind, 0
    draw = random.Random(f"{seed}:{browser.number}")
    while True:
        if think[1] > 0:
            time.sleep(draw.uniform(*think))
        if time.monotonic() >= stop_at:
            return
        path = pages[turn % len(pages)]
        turn += 1
        started = time.perf_counter()
        try:
            status, location, _html = browser.request("GET", path)
            error = None if status == 200 else f"{status} {path} {location}"
        except (OSError, http.client.HTTPException) as failure:
            error = f"{type(failure).__name__} {path}"
        tally.add(kind, time.perf_counter() - started, error)


def together(calls) -> None:
    """Run every call in a thread of its own, all at once, and wait for them."""
    threads = [threading.Thread(target=call) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(tally: Tally, seconds: float) -> int:
    every = [value for values in tally.latencies.values() for value in values]
    errors = sum(len(values) for values in tally.errors.values())
    print(
        f"{'who':<12} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} errors"
    )
    rows = [*sorted(tally.latencies.items()), ("all", every)]
    for kind, values in rows:
        wrong = errors if kind == "all" else len(tally.errors.get(kind, []))
        print(
            f"{kind:<12} {len(values):>8} {len(values) / seconds:>8.1f} "
            f"{statistics.median(values) * 1000:>8.0f} {percentile(values, 0.95) * 1000:>8.0f} "
            f"{percentile(values, 0.99) * 1000:>8.0f} {wrong:>6}"
        )
    for kind, values in sorted(tally.errors.items()):
        print(f"  {kind} errors, first: {values[:3]}")
    return errors


def run(args) -> int:
    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        admin_url = DEFAULT_URL  # the benchmark measures PostgreSQL, never SQLite
    load_url = database_create(admin_url)
    var_dir = tempfile.mkdtemp(prefix="portal-load-")
    environ = production_environ(load_url, var_dir)
    os.environ.update(environ)
    server = None
    try:
        prepared = time.monotonic()
        people, values = data_prepare(args.users)
        print(
            f"database, demo, {len(people)} people and static files: "
            f"{time.monotonic() - prepared:.0f} s"
        )
        port = free_port()
        server = gunicorn_start(port, args.workers, args.threads, environ)
        from portal.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

        browsers = [
            Browser(port, number, person, DEMO_PASSWORD, DEMO_TOTP_SECRET)
            for number, person in enumerate(people)
        ]
        signing = time.monotonic()
        together(b.sign_in for b in browsers)
        print(f"{len(people)} signed in through the forms in {time.monotonic() - signing:.1f} s")
        tally = Tally()
        started = time.monotonic()
        stop_at = started + args.duration
        together(
            partial(
                browse,
                b,
                [page.format(**values) for page in PAGES[b.person.kind]],
                stop_at,
                tally,
                (args.think[0] / 1000, args.think[1] / 1000),
                args.seed,
            )
            for b in browsers
        )
        seconds = time.monotonic() - started
        print(
            f"{len(people)} users, {seconds:.0f} s, gunicorn {args.workers} workers x "
            f"{args.threads} threads, PostgreSQL, DEBUG off, "
            f"think time {args.think[0]:g}-{args.think[1]:g} ms (seed {args.seed})"
        )
        return 1 if report(tally, seconds) else 0
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        from django.db import connections

        connections.close_all()
        database_drop(admin_url, load_url)


def think_range(text: str) -> tuple[float, float]:
    low, _dash, high = text.partition("-")
    bounds = (float(low), float(high or low))
    if not 0 <= bounds[0] <= bounds[1]:
        raise argparse.ArgumentTypeError("MIN-MAX in ms, with 0 <= MIN <= MAX")
    return bounds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument(
        "--think",
        type=think_range,
        default=(300.0, 900.0),
        help="ms each user waits before each page, drawn uniformly: MIN-MAX, or one value "
        "(0: no pause, the server's capacity)",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the think times")
    return run(parser.parse_args())


if __name__ == "__main__":
    sys.exit(main())
