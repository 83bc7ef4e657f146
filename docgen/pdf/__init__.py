"""The PDF wing: LibreOffice headless, with every PDF checked.

``soffice.find_soffice`` finds LibreOffice, ``convert.convert`` turns many documents into
PDFs in few processes, ``verify.verify_pdf`` checks each (LibreOffice exits 0 on failure),
``stable`` pins dates and ids for byte-identical rebuilds, ``combine.combine_pdfs`` joins PDFs.
"""
