"""FollowTheMoney (OCCRP Aleph, OpenSanctions) in and out, with the ``followthemoney`` library.

:mod:`.mapping` is the one table of schema <-> label and property <-> field mappings;
:func:`import_ftm` reads FtM JSON lines into the graph through the case-file ingest;
:func:`export_ftm` writes the graph, redacted for a viewer, as FtM JSON lines.
"""

from .exporter import FtmExportResult, export_ftm
from .importer import FtmImportResult, import_ftm

__all__ = ["FtmExportResult", "FtmImportResult", "export_ftm", "import_ftm"]
