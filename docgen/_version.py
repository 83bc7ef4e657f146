"""The version, on the ground floor so that any layer may name it without importing the API."""

__version__ = "0.1.0"
