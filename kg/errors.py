"""One exception type for everything a user can cause; its message is the whole one-line error."""


class KgError(Exception):
    """A user-facing failure: the message names the file/line or setting and what to do."""

    exit_code = 2


class ConfigError(KgError):
    """A setting (environment variable, option, .env entry) is missing or wrong."""


class BackendError(KgError):
    """The graph backend (local store folder or Neo4j server) could not be used."""

    exit_code = 3
