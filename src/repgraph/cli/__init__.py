"""The ``repgraph`` command line (typer/rich). Commands live in small modules here."""

from __future__ import annotations

import sys

import typer


def degrade_output_encoding() -> None:
    """Never crash on a name the terminal cannot encode.

    Under a non-UTF-8 locale (``LANG=C``, ``PYTHONUTF8=0``) stdout is ASCII: characters it
    cannot encode become ``?`` on stdout (tables keep their columns) and ``\\xe1``-style
    escapes on stderr, instead of a UnicodeEncodeError. rich then also draws ASCII boxes.
    Files are always written as UTF-8, whatever the locale.
    """
    for stream, errors in ((sys.stdout, "replace"), (sys.stderr, "backslashreplace")):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        if encoding not in ("utf8", "utf16", "utf32") and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors=errors)
            except (ValueError, OSError):  # a stream that cannot be reconfigured: leave it
                pass


class _Typer(typer.Typer):
    def __call__(self, *args, **kwargs):
        degrade_output_encoding()  # before any output, --help included
        return super().__call__(*args, **kwargs)


app = _Typer(
    name="repgraph",
    help="A knowledge graph of state repression networks: sourced facts, queried in Cypher.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

from .common import AsOption, set_viewer  # noqa: E402


@app.callback()
def _main(as_role: AsOption = None) -> None:
    """A knowledge graph of state repression networks: sourced facts, queried in Cypher.

    Global option ``--as ROLE`` (before the command: ``repgraph --as viewer query search
    -p q=...``) shows what that role would see: the same redaction the API applies.
    """
    set_viewer(as_role)


from . import core, demo, dossier, ftm, offline_import, resolution, serve, statements, users, viz  # noqa: E402,F401  (commands register themselves on `app`)
