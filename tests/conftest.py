"""Fixtures shared by the whole suite: people signed in past MFA, a query counter, S3 over HTTP
on moto's server, a media folder of the test's own, Chromium, demo data."""

import logging
import os
import socket

import boto3
import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from portal.middleware import MFA_SESSION_FLAG

# Playwright's sync API runs an event loop in the test thread; Django's live server and ORM
# calls from the test are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

S3_BUCKET = "portal-test-documents"
S3_REGION = "eu-west-1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def signed_in(client):
    """``signed_in(user)``: a client signed in as `user` whose multi-factor check is done for
    the session. Pass ``client=`` to sign in a given client (the test's own `client` fixture);
    otherwise each call gives a new one, so one test can act as several people."""

    def sign_in(user, client: Client | None = None) -> Client:
        client = client or Client()
        client.force_login(user)
        session = client.session
        session[MFA_SESSION_FLAG] = True
        session.save()
        return client

    return sign_in


@pytest.fixture
def count_queries():
    """``count_queries(client, url)``: how many SQL queries a GET of the page makes, after one
    warm-up request (Wagtail caches sites and locales per process). Both answers must be 200."""

    def count(client: Client, url: str) -> int:
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    return count


@pytest.fixture
def started(django_capture_on_commit_callbacks):
    """POST to a page that starts long work (`portal.operations`), let the worker do it (the
    tests' task backend runs a task when it is queued, after the request's commit), and
    return the work's progress page::

        page = started(client, url, {"note": "first"})
    """

    def start(client, url, data=None):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, data or {})
        assert response.status_code == 302, response.content[:500]
        assert "/work/" in response.url, response.url
        return client.get(response.url)

    return start


@pytest.fixture
def worker(settings, monkeypatch):
    """The database task backend, and a worker to run what it queued: ``worker()`` does what
    `manage.py db_worker --batch` does (every queued task, then stop), inside the test's
    transaction (the worker's check of old connections would close it)."""
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.management.commands.db_worker import Worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

    def work() -> None:
        Worker(
            queue_names=["default"],
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=None,
            worker_id="tests",
            excluded_queue_names=[],
        ).run()

    return work


@pytest.fixture
def media(settings, tmp_path):
    """Documents on a local folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": settings.MEDIA_ROOT, "base_url": None},
        },
    }
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on a free loopback port, once per test session."""
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=S3_REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    client.create_bucket(
        Bucket=S3_BUCKET, CreateBucketConfiguration={"LocationConstraint": S3_REGION}
    )
    yield {"endpoint": endpoint, "client": client, "bucket": S3_BUCKET}
    server.stop()


@pytest.fixture
def s3_storage(settings, s3_server, db):
    """Switch the default storage to S3 on the moto server for one test."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": s3_server["bucket"],
                "region_name": S3_REGION,
                "endpoint_url": s3_server["endpoint"],
                "access_key": "testing",
                "secret_key": "testing",
                "signature_version": "s3v4",
                "addressing_style": "path",
                "default_acl": None,
                "querystring_auth": True,
                "querystring_expire": 300,
                "file_overwrite": False,
            },
        },
    }
    return s3_server


@pytest.fixture
def demo(db):
    call_command("seed_demo", force=True, stdout=open(os.devnull, "w"))  # noqa: SIM115


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium: pytest-playwright cannot download its own browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _english_to_start():
    """Each test starts in English. A page requested at /fr/ leaves French active in the test's
    thread (the test client does not reset it), and content created then would be written in
    the French columns of translated fields (django-modeltranslation), not the English ones."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_local_cache():
    """Each test starts with an empty in-memory cache: the CMS navigation kept by one test's
    pages must not be read by the next (cms/navigation.py)."""
    caches["default"].clear()
    yield
