"""Settings: config.toml with embedded defaults, overridden by HOTLINE_* environment variables.

Every setting is checked at start-up, and a bad value stops the process with a message naming the
setting and where it came from; a typo must not surface later as a confusing failure mid-call.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

DEFAULT_CONFIG = Path(__file__).resolve().parents[2] / "config.toml"
LOCALES = ("zh_CN", "en")


class SettingsError(ValueError):
    """A setting with a bad value; the message names it."""


def _url(schemes: tuple[str, ...]) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        text = str(value)
        scheme = urlparse(text).scheme
        if not any(scheme == s or scheme.startswith(s + "+") for s in schemes):
            raise ValueError(f"expected a URL starting with {' or '.join(s + '://' for s in schemes)}")
        return text

    return parse


def _port(value: Any) -> int:
    port = _int(value)
    if not 0 < port < 65536:
        raise ValueError("expected a TCP port between 1 and 65535")
    return port


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("expected a whole number")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValueError("expected a whole number") from None


def _positive(value: Any) -> int:
    number = _int(value)
    if number < 1:
        raise ValueError("expected a whole number of 1 or more")
    return number


def _seconds(low: float, high: float) -> Callable[[Any], float]:
    """A duration in seconds (whole or fractional) between low and high."""
    def parse(value: Any) -> float:
        if isinstance(value, bool):
            raise ValueError("expected a number of seconds")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError("expected a number of seconds") from None
        if not low <= number <= high:
            raise ValueError(f"expected between {low:g} and {high:g} seconds")
        return number

    return parse


def _bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("1", "true", "yes", "on"):
        return True
    if text in ("0", "false", "no", "off"):
        return False
    raise ValueError("expected true or false")


def _text(value: Any) -> str:
    text = str(value)
    if not text.strip():
        raise ValueError("must not be empty")
    return text


def _secret(value: Any) -> str:
    """Empty means "not set": `hotline up` on localhost then makes one (secret_key.py); all else refuses."""
    text = str(value)
    if text and len(text) < 16:
        raise ValueError("must be at least 16 characters (32 bytes or more to start outside the demo)")
    return text


def _samesite(value: Any) -> str:
    text = str(value).capitalize()
    if text not in ("Lax", "Strict"):
        raise ValueError("expected Lax or Strict")
    return text


def _optional_text(value: Any) -> str:
    return str(value).strip()


def _template(*fields: str) -> Callable[[Any], str]:
    """A dial string template that must name each field once, e.g. "user/{extension}"."""
    def parse(value: Any) -> str:
        text = _text(value)
        for name in fields:
            if "{" + name + "}" not in text:
                # QA 12 #6: the way to one fixed endpoint (a test agent) was undocumented
                hint = (f" (for one fixed endpoint name it in a channel variable, e.g. [hl_{name[:3]}={{{name}}}]"
                        "loopback/agentbusy/agents)") if name == "extension" else ""
                raise ValueError(f"must contain {{{name}}}{hint}")
        try:
            text.format(**{name: "1" for name in fields})
        except (KeyError, IndexError, ValueError):
            raise ValueError(f"may only use {', '.join('{' + f + '}' for f in fields)} in braces") from None
        return text

    return parse


def _choice(*allowed: str) -> Callable[[Any], str]:
    def parse(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}")
        return str(value)

    return parse


def _locale(value: Any) -> str:
    if value not in LOCALES:
        raise ValueError(f"expected one of {', '.join(LOCALES)}")
    return str(value)


#: (section, key) → parser; the single list of settings the product knows.
SCHEMA: dict[tuple[str, str], Callable[[Any], Any]] = {
    ("database", "url"): _url(("sqlite", "postgresql")),
    ("database", "echo"): _bool,
    ("redis", "url"): _url(("redis", "rediss", "unix")),
    ("redis", "required"): _bool,
    ("esl", "host"): _text,
    ("esl", "port"): _port,
    ("esl", "password"): _text,
    ("runtime", "socket_host"): _text,
    ("runtime", "socket_port"): _port,
    ("runtime", "simulator"): _bool,
    # Runtime process lifetime and the ACD's reaction to failed offers (docs/runtime.md).
    ("runtime", "shutdown_grace_seconds"): _seconds(0, 3600),
    ("runtime", "lease_seconds"): _seconds(1, 600),
    ("runtime", "busy_pause_seconds"): _seconds(0, 3600),
    ("runtime", "no_answer_pause_seconds"): _seconds(0, 3600),
    ("runtime", "unreachable_pause_seconds"): _seconds(0, 3600),
    ("runtime", "reject_limit"): _positive,
    ("runtime", "advertised_socket"): _optional_text,
    ("web", "host"): _text,
    ("web", "port"): _port,
    ("web", "secret_key"): _secret,
    ("web", "locale"): _locale,
    # `hotline serve` (gunicorn, cli/serve_gunicorn.py)
    ("web", "workers"): _positive,
    ("web", "threads"): _positive,
    ("web", "timeout"): _positive,
    ("web", "graceful_timeout"): _positive,
    ("web", "request_timeout"): _positive,
    ("web", "keepalive"): _positive,
    # Everything the runtime sends to FreeSWITCH that depends on the installation (docs/freeswitch/).
    ("switch", "agent_dial_string"): _template("extension"),
    ("switch", "transfer_dial_string"): _template("number"),
    ("switch", "transfer_caller_id"): _optional_text,
    ("switch", "recordings"): _text,
    ("switch", "hold_music"): _text,
    ("switch", "tts_engine"): _text,
    ("switch", "tts_voice"): _text,
    ("switch", "live_tts"): _bool,
    # Text prompts rendered to audio files when an IVR is loaded (platform/prompt_tts.py).
    ("prompts", "tts"): _choice("command", "http", "none"),
    ("prompts", "tts_command"): _template("file", "text"),
    ("prompts", "tts_url"): _optional_text,
    # Where recordings are kept: the switch's folder alone, or that folder in front of an S3-compatible bucket
    # (platform/services/recording_stores.py).
    ("recordings", "store"): _choice("local", "s3"),
    ("recordings", "s3_endpoint"): _optional_text,
    ("recordings", "s3_bucket"): _optional_text,
    ("recordings", "s3_region"): _text,
    ("recordings", "s3_prefix"): _optional_text,
    ("recordings", "s3_access_key"): _optional_text,
    ("recordings", "s3_secret_key"): _optional_text,
    ("recordings", "s3_addressing"): _choice("path", "virtual", "auto"),
    ("web", "https"): _bool,
    ("web", "cookie_samesite"): _samesite,
    ("web", "session_idle_minutes"): _positive,
    ("web", "session_absolute_hours"): _positive,
    ("limits", "login_failures"): _positive,
    ("limits", "login_lockout_seconds"): _positive,
    ("limits", "test_calls_per_tenant"): _positive,
    ("limits", "test_calls_per_tenant_per_hour"): _positive,
    ("limits", "desk_sends_per_tenant_per_minute"): _positive,
    ("limits", "imports_per_tenant_per_hour"): _positive,
    ("limits", "exports_per_tenant_per_hour"): _positive,
    ("limits", "api_requests_per_tenant_per_minute"): _positive,
    ("limits", "large_document_bytes"): _positive,
    ("limits", "large_documents_per_tenant"): _positive,
    ("limits", "document_bytes_per_tenant_per_minute"): _positive,
}

#: Settings a config file may leave out (older config files keep working): their embedded defaults.
DEFAULTS: dict[tuple[str, str], Any] = {
    ("runtime", "shutdown_grace_seconds"): 30.0,
    ("runtime", "lease_seconds"): 15.0,
    ("runtime", "busy_pause_seconds"): 15.0,
    ("runtime", "no_answer_pause_seconds"): 30.0,
    ("runtime", "unreachable_pause_seconds"): 60.0,
    ("runtime", "reject_limit"): 3,
    ("switch", "agent_dial_string"): "user/{extension}",
    ("switch", "transfer_dial_string"): "sofia/gateway/pstn/{number}",
    ("switch", "transfer_caller_id"): "",
    ("runtime", "advertised_socket"): "",
    ("switch", "recordings"): "/var/lib/hotline/recordings",
    ("switch", "hold_music"): "tone_stream://L=-1;%(400,100,523);%(400,100,659);%(400,3000,784)",
    ("switch", "tts_engine"): "tts_commandline",
    ("switch", "tts_voice"): "zh",
    ("switch", "live_tts"): True,
    ("prompts", "tts"): "command",
    ("prompts", "tts_command"): "espeak-ng -v cmn -s 160 -w {file} {text}",
    ("prompts", "tts_url"): "",
    ("recordings", "store"): "local",
    ("recordings", "s3_endpoint"): "",
    ("recordings", "s3_bucket"): "",
    ("recordings", "s3_region"): "us-east-1",
    ("recordings", "s3_prefix"): "",
    ("recordings", "s3_access_key"): "",
    ("recordings", "s3_secret_key"): "",
    ("recordings", "s3_addressing"): "path",
    ("web", "https"): False,
    ("web", "request_timeout"): 30,
    ("web", "cookie_samesite"): "Lax",
    ("web", "session_idle_minutes"): 120,
    ("web", "session_absolute_hours"): 12,
    ("limits", "login_failures"): 5,
    ("limits", "login_lockout_seconds"): 30,
    ("limits", "test_calls_per_tenant"): 5,
    ("limits", "test_calls_per_tenant_per_hour"): 120,
    ("limits", "desk_sends_per_tenant_per_minute"): 30,
    ("limits", "imports_per_tenant_per_hour"): 20,
    ("limits", "exports_per_tenant_per_hour"): 60,
    ("limits", "api_requests_per_tenant_per_minute"): 1200,
    ("limits", "large_document_bytes"): 256 * 1024,
    ("limits", "large_documents_per_tenant"): 1,
    ("limits", "document_bytes_per_tenant_per_minute"): 16 * 1024 * 1024,
}


@dataclass(frozen=True)
class Settings:
    database_url: str
    database_echo: bool
    redis_url: str
    redis_required: bool
    esl_host: str
    esl_port: int
    esl_password: str
    runtime_socket_host: str
    runtime_socket_port: int
    runtime_simulator: bool
    web_host: str
    web_port: int
    web_secret_key: str
    web_locale: str
    web_workers: int
    web_threads: int
    web_timeout: int
    web_graceful_timeout: int
    web_keepalive: int
    root: Path
    web_request_timeout: int = DEFAULTS["web", "request_timeout"]
    runtime_shutdown_grace_seconds: float = DEFAULTS["runtime", "shutdown_grace_seconds"]
    runtime_lease_seconds: float = DEFAULTS["runtime", "lease_seconds"]
    runtime_busy_pause_seconds: float = DEFAULTS["runtime", "busy_pause_seconds"]
    runtime_no_answer_pause_seconds: float = DEFAULTS["runtime", "no_answer_pause_seconds"]
    runtime_unreachable_pause_seconds: float = DEFAULTS["runtime", "unreachable_pause_seconds"]
    runtime_reject_limit: int = DEFAULTS["runtime", "reject_limit"]
    switch_agent_dial_string: str = DEFAULTS["switch", "agent_dial_string"]
    switch_transfer_dial_string: str = DEFAULTS["switch", "transfer_dial_string"]
    switch_transfer_caller_id: str = DEFAULTS["switch", "transfer_caller_id"]
    runtime_advertised_socket: str = DEFAULTS["runtime", "advertised_socket"]
    switch_recordings: str = DEFAULTS["switch", "recordings"]
    switch_hold_music: str = DEFAULTS["switch", "hold_music"]
    switch_tts_engine: str = DEFAULTS["switch", "tts_engine"]
    switch_tts_voice: str = DEFAULTS["switch", "tts_voice"]
    switch_live_tts: bool = DEFAULTS["switch", "live_tts"]
    prompts_tts: str = DEFAULTS["prompts", "tts"]
    prompts_tts_command: str = DEFAULTS["prompts", "tts_command"]
    prompts_tts_url: str = DEFAULTS["prompts", "tts_url"]
    recordings_store: str = DEFAULTS["recordings", "store"]
    recordings_s3_endpoint: str = DEFAULTS["recordings", "s3_endpoint"]
    recordings_s3_bucket: str = DEFAULTS["recordings", "s3_bucket"]
    recordings_s3_region: str = DEFAULTS["recordings", "s3_region"]
    recordings_s3_prefix: str = DEFAULTS["recordings", "s3_prefix"]
    recordings_s3_access_key: str = DEFAULTS["recordings", "s3_access_key"]
    recordings_s3_secret_key: str = DEFAULTS["recordings", "s3_secret_key"]
    recordings_s3_addressing: str = DEFAULTS["recordings", "s3_addressing"]
    web_https: bool = DEFAULTS["web", "https"]
    web_cookie_samesite: str = DEFAULTS["web", "cookie_samesite"]
    web_session_idle_minutes: int = DEFAULTS["web", "session_idle_minutes"]
    web_session_absolute_hours: int = DEFAULTS["web", "session_absolute_hours"]
    limits_login_failures: int = DEFAULTS["limits", "login_failures"]
    limits_login_lockout_seconds: int = DEFAULTS["limits", "login_lockout_seconds"]
    limits_test_calls_per_tenant: int = DEFAULTS["limits", "test_calls_per_tenant"]
    limits_test_calls_per_tenant_per_hour: int = DEFAULTS["limits", "test_calls_per_tenant_per_hour"]
    limits_desk_sends_per_tenant_per_minute: int = DEFAULTS["limits", "desk_sends_per_tenant_per_minute"]
    limits_imports_per_tenant_per_hour: int = DEFAULTS["limits", "imports_per_tenant_per_hour"]
    limits_exports_per_tenant_per_hour: int = DEFAULTS["limits", "exports_per_tenant_per_hour"]
    limits_api_requests_per_tenant_per_minute: int = DEFAULTS["limits", "api_requests_per_tenant_per_minute"]
    limits_large_document_bytes: int = DEFAULTS["limits", "large_document_bytes"]
    limits_large_documents_per_tenant: int = DEFAULTS["limits", "large_documents_per_tenant"]
    limits_document_bytes_per_tenant_per_minute: int = DEFAULTS["limits", "document_bytes_per_tenant_per_minute"]


def env_name(section: str, key: str) -> str:
    """HOTLINE_DATABASE_URL for (database, url)."""
    return f"HOTLINE_{section}_{key}".upper()


def load(path: Path | None = None, environ: Mapping[str, str] | None = None,
         overrides: Mapping[str, Any] | None = None) -> Settings:
    """Reads config.toml, applies environment variables and explicit overrides, checks every value.

    `overrides` take `database_url`-style names (tests and the app factory pass them).
    """
    path = path or Path(os.environ.get("HOTLINE_CONFIG", DEFAULT_CONFIG))
    environ = os.environ if environ is None else environ
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SettingsError(f"settings file {path} not found (set HOTLINE_CONFIG)") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"settings file {path} is not valid TOML: {exc}") from None
    unknown = [f"{section}.{key}" for section, table in raw.items() if isinstance(table, dict)
               for key in table if (section, key) not in SCHEMA]
    if unknown:
        raise SettingsError(f"unknown setting(s) in {path}: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for (section, key), parse in SCHEMA.items():
        name = f"{section}_{key}"
        if overrides and name in overrides:
            value, origin = overrides[name], f"override {name}"
        elif env_name(section, key) in environ:
            value, origin = environ[env_name(section, key)], f"environment variable {env_name(section, key)}"
        elif key in raw.get(section, {}):
            value, origin = raw[section][key], f"{path} [{section}] {key}"
        elif (section, key) in DEFAULTS:
            value, origin = DEFAULTS[section, key], "embedded default"
        else:
            raise SettingsError(f"setting {section}.{key} is missing from {path}")
        try:
            values[name] = parse(value)
        except ValueError as exc:
            shown = "(hidden)" if "secret" in key or "password" in key else repr(value)  # never echo a secret
            raise SettingsError(f"setting {section}.{key} ({origin}) = {shown}: {exc}") from None
    if values["recordings_store"] == "s3" and not values["recordings_s3_bucket"]:
        raise SettingsError('setting recordings.s3_bucket: must name the bucket when recordings.store is "s3"')
    root = path.resolve().parent
    values["database_url"] = _anchor_sqlite(values["database_url"], root)
    return Settings(root=root, **values)


def _anchor_sqlite(url: str, root: Path) -> str:
    """A relative SQLite path is relative to the config file, not to wherever the command ran."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and url != "sqlite:///:memory:":
        return prefix + str(root / url[len(prefix):])
    return url
