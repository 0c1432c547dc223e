"""Marshmallow schemas; importing the package installs the Chinese validation messages."""
from server.schemas import messages  # noqa: F401
