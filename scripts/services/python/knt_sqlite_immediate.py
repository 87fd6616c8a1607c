"""Imported first by every Nova/placement process the test scripts start: several processes share one sqlite
file, and a read-then-write transaction after another process's commit fails with "database is locked" even
with WAL. Starting every transaction with BEGIN IMMEDIATE (and waiting up to 20 s for the lock) serialises
writers instead. Test deployments only; production clouds use MariaDB/PostgreSQL."""
import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


@event.listens_for(Engine, "connect")
def _knt_connect(dbapi_connection, _record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA busy_timeout = 20000")


@event.listens_for(Engine, "before_cursor_execute", retval=True)
def _knt_begin_immediate(connection, _cursor, statement, parameters, _context, _executemany):
    # oslo.db emits a plain (deferred) BEGIN for sqlite; make it take the write lock up front.
    if connection.dialect.name == "sqlite" and statement.strip().upper() == "BEGIN":
        statement = "BEGIN IMMEDIATE"
    return statement, parameters
