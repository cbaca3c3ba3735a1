"""Database upkeep the portal asks for itself."""

from django.db import connections


def analyze(using: str = "default") -> None:
    """Fresh planner statistics after a bulk load (the demo's seed, a benchmark's data), as
    autovacuum would give them some minutes later: PostgreSQL otherwise plans the first
    queries on tables it still believes empty. A no-op on SQLite, whose planner reads no
    statistics the portal relies on."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
