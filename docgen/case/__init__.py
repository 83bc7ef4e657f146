"""The case wing: what one hiring is, read from its YAML file and checked.

``model`` declares the case (pydantic, one description per field), ``checks`` adds the
cross-field rules and the guide's advice, ``effective`` completes the case from the
settings, ``schema`` makes the JSON Schema and ``starter`` the file ``docgen init`` writes.
"""
