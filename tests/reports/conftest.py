from tests.registrations.conftest import registration_data  # noqa: F401 - a shared fixture
