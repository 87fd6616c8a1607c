"""uwsgi entry point for nova-api in the test deployment: sqlite BEGIN IMMEDIATE first, then Nova's own app."""
import knt_sqlite_immediate  # noqa: F401
from nova.api.openstack.compute.wsgi import init_application

application = init_application()
