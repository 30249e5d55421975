"""One settings object for the CLI and the API, read from the environment.

Variables: ``REPGRAPH_BACKEND`` (``embedded`` | ``neo4j``; default ``embedded``, or
``neo4j`` when ``NEO4J_URI`` is set), ``REPGRAPH_DB`` (embedded SQLite file, default
``./repgraph.db``), ``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``, ``NEO4J_DATABASE``.

Access and hardening of the API: ``REPGRAPH_ACCESS_DB`` (users, keys and audit log; see
:func:`repgraph.access.access_db_path` for the default), ``REPGRAPH_ALLOWED_HOSTS``
(comma-separated ``Host`` names the API answers; default loopback only),
``REPGRAPH_CORS_ORIGINS`` (comma-separated origins allowed cross-origin reads; default
none), ``REPGRAPH_REQUEST_BUDGET`` (seconds of work one request may cost; default 20).
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    backend: Literal["embedded", "neo4j"] | None = Field(default=None, validation_alias="REPGRAPH_BACKEND")
    db: Path = Field(default=Path("repgraph.db"), validation_alias="REPGRAPH_DB")
    neo4j_uri: str | None = Field(default=None, validation_alias="NEO4J_URI")
    neo4j_user: str = Field(default="neo4j", validation_alias="NEO4J_USER")
    neo4j_password: str | None = Field(default=None, validation_alias=AliasChoices("NEO4J_PASSWORD"))
    neo4j_database: str = Field(default="neo4j", validation_alias="NEO4J_DATABASE")
    access_db: Path | None = Field(default=None, validation_alias="REPGRAPH_ACCESS_DB")
    allowed_hosts: str = Field(default="127.0.0.1,localhost,::1,[::1]", validation_alias="REPGRAPH_ALLOWED_HOSTS")
    cors_origins: str = Field(default="", validation_alias="REPGRAPH_CORS_ORIGINS")
    request_budget: float = Field(default=20.0, gt=0, le=600, validation_alias="REPGRAPH_REQUEST_BUDGET")

    @model_validator(mode="after")
    def _choose_backend(self):
        if self.backend is None:
            self.backend = "neo4j" if self.neo4j_uri else "embedded"
        if self.backend == "neo4j" and not self.neo4j_uri:
            raise ValueError("REPGRAPH_BACKEND=neo4j needs NEO4J_URI (e.g. bolt://localhost:7687)")
        return self


def get_settings(**overrides) -> Settings:
    """Settings from the environment, with explicit overrides (e.g. ``db`` from ``--db``)."""
    clean = {k: v for k, v in overrides.items() if v is not None}
    if "db" in clean and "backend" not in clean:
        # --db names an embedded file: it wins over a NEO4J_URI in the environment.
        clean["backend"] = "embedded"
    return Settings(**clean)
