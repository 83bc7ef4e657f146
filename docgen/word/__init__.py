"""The Word wing: documents from docxtpl templates.

``render.render_docx`` renders one document with docxtpl; ``compiled.CompiledTemplate``
parses and compiles a template once and streams many documents (the letters) from it;
``package`` writes deterministic OOXML zips; ``printfile.combine_docx`` makes a print file.
"""
