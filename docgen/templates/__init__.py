"""The templates wing: the contract between a case and the Word and Excel templates.

``context`` builds what each template sees, ``variables`` lists every name it may use
(``reference`` prints the list), and ``lint.lint_templates`` checks templates against
that list before anything is rendered (``docx_checks``, ``xlsx_checks``, ``tags``, ``names``).
"""
