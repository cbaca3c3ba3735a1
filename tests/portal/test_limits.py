"""Limits shared by every process: the rate limits count in the one shared cache (the database's
by default), and concurrent writes on SQLite wait for each other instead of failing."""

import json
import os
import subprocess
import sys
import textwrap
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from applications.models import RefereeRequest
from applications.services.applications import application_start
from applications.services.referees import token_hash
from portal.settings import DATABASE_CACHE
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.applications import full_call

BASE_DIR = settings.BASE_DIR


def _manage(tmp_path, *args: str) -> str:
    """`manage.py` in a process of its own, with the production settings on a file database
    (and so the database cache) in `tmp_path`."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL"}
    }
    env |= {
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DEBUG": "1",
        "PORTAL_VAR_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
    }
    done = subprocess.run(
        [sys.executable, "manage.py", *args, "-v", "0"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def file_database(tmp_path):
    _manage(tmp_path, "createcachetable")
    return tmp_path


# allauth's limiter, asked as its login view asks it, once per line of input; prints the answers.
CONSUME = textwrap.dedent(
    """
    import sys
    from allauth.core import ratelimit
    from django.test import RequestFactory

    request = RequestFactory().post("/accounts/login/", REMOTE_ADDR="192.0.2.7")
    answers = [
        ratelimit.consume(request, action="login_failed", key="amina@example.org")
        for _ in range({attempts})
    ]
    print(answers)
    """
)


def test_a_login_limit_holds_across_two_processes(file_database):
    # Production: "5/5m/key", five failed logins for one address in five minutes.
    first = _manage(file_database, "shell", "-c", CONSUME.format(attempts=4))
    second = _manage(file_database, "shell", "-c", CONSUME.format(attempts=2))

    assert first.strip() == "[True, True, True, True]"
    assert second.strip() == "[True, False]"


CONCURRENT_WRITES = textwrap.dedent(
    """
    import json, threading, time
    from django.db import connection, transaction

    def write(results, barrier, mode, n):
        try:
            connection.ensure_connection()  # which reads the mode from the settings
            connection.transaction_mode = mode
            barrier.wait()
            with transaction.atomic(), connection.cursor() as cursor:
                # Read, then write: the pattern of every service that checks then changes.
                cursor.execute("SELECT count(*) FROM portal_cache")
                time.sleep(0.3)
                cursor.execute(
                    "INSERT INTO portal_cache (cache_key, value, expires) "
                    "VALUES (%s, 'x', '2999-01-01')",
                    [f"{{mode}}-{{n}}"],
                )
            results.append("written")
        except Exception as error:
            results.append(str(error))
        finally:
            connection.close()

    answers = {{}}
    for mode in ({modes}):
        results, barrier = [], threading.Barrier(2)
        threads = [threading.Thread(target=write, args=(results, barrier, mode, n)) for n in (1, 2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        answers[str(mode)] = sorted(results)
    print(json.dumps(answers))
    """
)


def test_concurrent_writes_on_sqlite_wait_instead_of_failing(file_database):
    if not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        pytest.skip("SQLite's locking only")
    configured = settings.DATABASES["default"]["OPTIONS"]["transaction_mode"]

    # The configured mode, and SQLite's default (DEFERRED, None to Django) to show what it fixes.
    out = _manage(
        file_database, "shell", "-c", CONCURRENT_WRITES.format(modes=f"{configured!r}, None")
    )

    answers = json.loads(out)
    assert configured == "IMMEDIATE"
    assert answers["IMMEDIATE"] == ["written", "written"]
    assert answers["None"] == ["database is locked", "written"]


def test_production_settings_use_the_database_cache_and_sqlite_waits():
    assert DATABASE_CACHE["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        options = settings.DATABASES["default"]["OPTIONS"]
        assert options["timeout"] >= 5
        assert "journal_mode=WAL" in options["init_command"]


# --- In this process, with the database cache of the test database ----------------------------

shared_cache = override_settings(CACHES={"default": DATABASE_CACHE})


@pytest.mark.django_db
@shared_cache
@override_settings(ACCOUNT_RATE_LIMITS={"login_failed": "10/m/ip,3/5m/key"})
def test_failed_logins_are_limited_by_account(client):
    person = UserFactory(email="amina@example.org")

    def log_in(password):
        return client.post(
            "/accounts/login/", {"login": person.email, "password": password}, follow=True
        )

    failed = [log_in("wrong").content.decode() for _ in range(3)]
    limited = log_in(PASSWORD).content.decode()

    assert all(
        "The email address and/or password you specified are not correct." in page
        for page in failed
    )
    assert "Too many failed login attempts. Try again later." in limited
    assert "_auth_user_id" not in client.session


@pytest.fixture
def referee_link(db):
    """A referee's link, and a way to make it an expired one."""
    application = application_start(call=full_call(), applicant=UserFactory())
    RefereeRequest.objects.create(
        application=application,
        name="Dr Kwame Mensah",
        email="kwame@example.org",
        token_hash=token_hash("the-right-link"),
    )
    return "/applications/referee/the-right-link/"


def _expire(call):
    call.closes_at = timezone.now() - timedelta(days=call.referee_grace_days, seconds=1)
    call.save()


@shared_cache
@override_settings(REFEREE_LINK_RATE_LIMITS="3/h/ip,2/h/key")
def test_guessing_referee_links_from_one_address_is_limited(client, referee_link):
    guesses = [
        client.get(f"/applications/referee/guess-{n}/", REMOTE_ADDR="192.0.2.7").status_code
        for n in range(3)
    ]
    blocked = client.get(referee_link, REMOTE_ADDR="192.0.2.7")
    elsewhere = client.get(referee_link, REMOTE_ADDR="198.51.100.4")

    assert guesses == [404, 404, 404]
    assert blocked.status_code == 429
    assert "Too many links that do not open were tried." in blocked.content.decode()
    assert elsewhere.status_code == 200


@shared_cache
@override_settings(REFEREE_LINK_RATE_LIMITS="3/h/ip,2/h/key")
def test_an_expired_referee_link_tried_again_and_again_is_limited(client, referee_link):
    _expire(RefereeRequest.objects.get().application.call)

    answers = [
        client.get(referee_link, REMOTE_ADDR=f"192.0.2.{n}").status_code for n in range(1, 4)
    ]

    assert answers == [410, 410, 429]
