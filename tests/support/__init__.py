"""Helpers shared by the tests: plain functions and values, no fixtures and no tests. Fixtures
are shared through conftest.py; a test imports helpers from here, never from a test module or a
conftest."""

PASSWORD = "correct horse battery staple"  # every test user's
