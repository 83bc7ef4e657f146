"""Renderers by template type; the pipeline picks one by the template's suffix."""
