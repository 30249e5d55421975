"""Case files in, graph out: :func:`load_case_file` validates, :func:`ingest_case_file` writes."""

from .errors import CaseFileError
from .loader import load_case_file
from .writer import IngestResult, ingest_case_file, ingest_paths

__all__ = ["CaseFileError", "IngestResult", "load_case_file", "ingest_case_file", "ingest_paths"]
