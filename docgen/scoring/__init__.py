"""The scoring wing: the panel's returned scoresheets read back, checked and summarised.

``recipe.collect`` is the recipe (``docgen collect``): ``returned`` identifies and checks
one workbook (opened through ``docgen.excel.untrusted``), ``figures`` does the panel's
arithmetic, ``summary`` fills the summary template, and ``docgen.output.add`` writes it.
"""

from docgen.scoring.recipe import CollectResult, collect

__all__ = ["CollectResult", "collect"]
