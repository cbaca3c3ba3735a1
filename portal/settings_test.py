"""Settings for the test suite: the production module with fast, deterministic, local parts."""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("SECRET_KEY", "test-only-secret-key")
os.environ.setdefault("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from portal.settings import *  # noqa: F403
from portal.settings import BASE_DIR, DATABASE_CACHE, STORAGES

DEBUG = False
SITE_URL = "http://127.0.0.1:8000"  # the address the tests' emails are checked against
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
STORAGES = {
    **STORAGES,
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    # Tests do not run collectstatic; WhiteNoise's manifest would be missing.
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True
# Rate limits would make repeated logins in one test run fail for reasons tests do not study
# (their own tests turn them on).
ACCOUNT_RATE_LIMITS = False
REFEREE_LINK_RATE_LIMITS = ""  # the same for referee links; tests/portal/test_limits.py
# The portal's cache is the database's (see settings.py), which adds its reads to the queries
# of pages whose counts tests pin; tests keep a cache of their own process, and the tests of
# the limits switch "default" to the shared one. The "shared" alias only makes the test
# database's creation create the cache table (createcachetable makes one per database cache).
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "shared": DATABASE_CACHE,
}
