"""Runs one Nova service (conductor, scheduler, compute) with sqlite BEGIN IMMEDIATE: nova_service.py NAME ARGS..."""
import importlib
import sys

import knt_sqlite_immediate  # noqa: F401

name = sys.argv.pop(1)
sys.argv[0] = "nova-" + name
sys.exit(importlib.import_module("nova.cmd." + name).main())
