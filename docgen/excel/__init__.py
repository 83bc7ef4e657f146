"""The Excel wing: docgen's xlsx template engine.

``fill.fill_workbook`` fills a template workbook from a context: cell text (``cells``),
repeated rows and sheets (``regions``) with their references (``refs``), charts and
conditional formats (``charts``), and the hidden metadata that identifies a workbook (``meta``).
"""
