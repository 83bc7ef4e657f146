"""The retention wing: a case's outputs are deleted once its retention period has passed.

``purging.purge`` (also ``docgen.purge``) deletes everything the case's manifest lists and
leaves a record without personal data; the period itself is ``case.effective.retention_ends``.
"""

from docgen.retention.purging import PurgeResult, purge

__all__ = ["PurgeResult", "purge"]
