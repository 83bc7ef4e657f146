"""The output wing: the folders docgen writes, all or nothing, never over the user's work.

``staging.Staging`` stages a whole build inside the folder and commits it as a journal of
undoable renames (``journal``) once ``changes`` has compared every destination with the
manifest (``manifest``); ``staging.write_file`` adds one file for another command, and
``staging.recover`` finishes or undoes what a killed command left. ``lock``, ``paths``
(no path leaves the folder or crosses a link) and ``oserrors`` (the system's refusals as
messages) serve all of them.
"""
