"""The one place that reads RAQIB_* environment variables; everything else asks here."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_DB_FILE = "raqib.db"
USER_AGENT = "Raqib/0.1 (+https://github.com/raqib; arms-trafficking news monitor; polite bot)"


@dataclass(frozen=True, slots=True)
class Settings:
    db_url: str
    user_agent: str
    fetch_timeout: float
    fetch_max_bytes: int
    fetch_delay: float
    max_input_bytes: int
    # Extra knowledge-base YAML files or folders, added to the bundled ones.
    kb_paths: tuple[str, ...] = ()


def load_settings() -> Settings:
    """Read the environment now (not at import), so tests and CLIs can set it first."""
    env = os.environ
    return Settings(
        db_url=env.get("RAQIB_DB_URL", f"sqlite:///{DEFAULT_DB_FILE}"),
        user_agent=env.get("RAQIB_USER_AGENT", USER_AGENT),
        fetch_timeout=float(env.get("RAQIB_FETCH_TIMEOUT", "20")),
        fetch_max_bytes=int(env.get("RAQIB_FETCH_MAX_BYTES", str(20 * 1024 * 1024))),
        fetch_delay=float(env.get("RAQIB_FETCH_DELAY", "1.0")),
        max_input_bytes=int(env.get("RAQIB_MAX_INPUT_BYTES", str(20 * 1024 * 1024))),
        kb_paths=split_paths(env.get("RAQIB_KB_PATH", "")),
    )


def split_paths(value: str) -> tuple[str, ...]:
    """An os.pathsep-separated list (like PATH), empty items dropped."""
    return tuple(item for item in value.split(os.pathsep) if item.strip())
