"""Alembic migrations of the application database (run by ``appdb.Database.upgrade``)."""
