"""uwsgi entry point for placement in the test deployment: sqlite BEGIN IMMEDIATE first, then placement's app."""
import knt_sqlite_immediate  # noqa: F401
from placement.wsgi import init_application

application = init_application()
