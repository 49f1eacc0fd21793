"""Settings: embedded defaults work, environment overrides, and a bad value names the setting."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline.platform import settings
from hotline.platform.settings import SettingsError


def test_shipped_config_loads_with_embedded_defaults() -> None:
    loaded = settings.load(environ={})
    assert loaded.database_url.startswith("sqlite:///")
    assert loaded.database_url.endswith("var/hotline.sqlite3")
    assert Path(loaded.database_url.removeprefix("sqlite:///")).is_absolute()
    assert loaded.esl_port == 8021 and loaded.runtime_socket_port == 8084
    assert loaded.web_locale == "zh_CN"


def test_environment_variables_override_the_file() -> None:
    loaded = settings.load(environ={"HOTLINE_DATABASE_URL": "postgresql+psycopg://u@db/x",
                                    "HOTLINE_ESL_PORT": "9021", "HOTLINE_RUNTIME_SIMULATOR": "false"})
    assert loaded.database_url == "postgresql+psycopg://u@db/x"
    assert loaded.esl_port == 9021
    assert loaded.runtime_simulator is False


@pytest.mark.parametrize(("variable", "value", "named"), [
    ("HOTLINE_ESL_PORT", "eighty", "esl.port"),
    ("HOTLINE_RUNTIME_SOCKET_PORT", "70000", "runtime.socket_port"),
    ("HOTLINE_DATABASE_URL", "mysql://x", "database.url"),
    ("HOTLINE_REDIS_URL", "http://x", "redis.url"),
    ("HOTLINE_WEB_SECRET_KEY", "short", "web.secret_key"),
    ("HOTLINE_WEB_LOCALE", "fr", "web.locale"),
    ("HOTLINE_RUNTIME_SIMULATOR", "maybe", "runtime.simulator"),
])
def test_a_bad_value_fails_naming_the_setting_and_its_origin(variable: str, value: str, named: str) -> None:
    with pytest.raises(SettingsError) as caught:
        settings.load(environ={variable: value})
    assert named in str(caught.value)
    assert variable in str(caught.value)
    if "SECRET" in variable:  # a refused secret is named, never echoed into terminals and logs
        assert value not in str(caught.value) and "(hidden)" in str(caught.value)


def test_unknown_and_missing_settings_in_the_file_are_refused(tmp_path: Path) -> None:
    text = settings.DEFAULT_CONFIG.read_text()
    (tmp_path / "typo.toml").write_text(text.replace("[esl]", "[esl]\nprot = 1"))
    with pytest.raises(SettingsError, match=r"esl\.prot"):
        settings.load(tmp_path / "typo.toml", environ={})
    (tmp_path / "missing.toml").write_text(text.replace('password = "ClueCon"', ""))
    with pytest.raises(SettingsError, match=r"esl\.password is missing"):
        settings.load(tmp_path / "missing.toml", environ={})
    (tmp_path / "broken.toml").write_text("[esl\n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        settings.load(tmp_path / "broken.toml", environ={})
