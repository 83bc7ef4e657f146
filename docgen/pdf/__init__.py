"""The PDF wing: LibreOffice headless, with every PDF checked.

``soffice.find_soffice`` finds LibreOffice, ``convert.convert`` turns many documents into
PDFs in few processes (``reaper`` makes sure none outlives docgen), ``verify.verify_pdf``
checks each (LibreOffice exits 0 on failure), ``cut`` cuts the letters' PDFs out of the
print file's, ``stable`` pins dates and ids, ``combine.combine_pdfs`` joins PDFs.
"""
