"""The output wing: folders docgen writes into, written all or nothing.

``staging.Staging`` renders into a hidden folder and ``commit`` moves the files in with
``manifest.json`` last, under a lock; ``paths.check_inside`` refuses any path that would
leave the folder. The build (``docgen.pack``) and later commands write through it.
"""
