import pytest


def test_healthz_reports_database_and_storage(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "storage": "ok"}


def test_healthz_checks_s3(client, s3_storage):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["storage"] == "ok"


def test_healthz_is_503_when_the_bucket_is_gone(client, s3_storage, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            **settings.STORAGES["default"],
            "OPTIONS": {**settings.STORAGES["default"]["OPTIONS"], "bucket_name": "no-such-bucket"},
        },
    }

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "storage": "error"}


@pytest.mark.parametrize("method", ["post", "put"])
def test_healthz_only_answers_get(client, db, method):
    assert getattr(client, method)("/healthz").status_code == 405
