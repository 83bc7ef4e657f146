"""The case wing: what one hiring is, read from its YAML file and checked.

``load`` reads and checks a case for every command; ``model`` declares it (with ``base``
and ``sections``; one description per field) from the value types in ``values``;
``checks`` and ``consistency`` add the cross-field rules and the guide's advice, ``logo``
checks the logo, ``effective`` completes the case from the settings, ``figures`` does the
panel's arithmetic, ``schema`` makes the JSON Schema and ``starter`` the file
``docgen init`` writes.
"""
