"""docgen: the whole hiring pack for a peer-support-worker position from one YAML case file."""

__version__ = "0.1.0"
