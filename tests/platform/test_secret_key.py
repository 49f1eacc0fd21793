"""The web secret key: refused when missing, published or short; made once for the local demo and reused."""

from __future__ import annotations

import dataclasses
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from hotline.cli import main
from hotline.platform import secret_key, settings
from hotline.platform.settings import SettingsError

STRONG = "s0me-Strong_key/that+is=long.enough!42"


def demo_settings(tmp_path: Path, **changes: object) -> settings.Settings:
    return dataclasses.replace(settings.load(environ={}), root=tmp_path, **changes)


@pytest.mark.parametrize("key", ["", "change-me-in-production-8f3c2a", "x" * 31, "短" * 10, "a" * 32])
def test_weak_keys_are_refused_with_how_to_set_one(key: str) -> None:
    with pytest.raises(SettingsError) as caught:
        secret_key.require_strong(key)
    assert "refusing to start" in str(caught.value) and "HOTLINE_WEB_SECRET_KEY" in str(caught.value)


def test_a_long_random_key_is_accepted() -> None:
    secret_key.require_strong("k3Y-9vQ_tz7LpW2xRc8NbF4mHs6JdG1e")
    assert secret_key.weakness("短长快递物业客服热线平台座席工") is None  # 45 bytes in UTF-8
    assert "different characters" in secret_key.weakness("ab" * 20)  # long, but two characters repeated


def test_the_local_demo_makes_a_key_once_and_reuses_it(tmp_path: Path) -> None:
    first = secret_key.for_embedded_demo(demo_settings(tmp_path))
    path = tmp_path / "var" / "secret_key"
    assert secret_key.weakness(first.web_secret_key) is None
    assert path.read_text().strip() == first.web_secret_key
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    again = secret_key.for_embedded_demo(demo_settings(tmp_path))
    assert again.web_secret_key == first.web_secret_key


def test_a_configured_strong_key_is_kept_and_no_file_is_written(tmp_path: Path) -> None:
    chosen = secret_key.for_embedded_demo(demo_settings(tmp_path, web_secret_key=STRONG))
    assert chosen.web_secret_key == STRONG and not (tmp_path / "var").exists()


def test_the_demo_on_a_public_address_refuses_a_weak_key(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="refusing to start"):
        secret_key.for_embedded_demo(demo_settings(tmp_path, web_host="0.0.0.0"))
    assert not (tmp_path / "var").exists()


def test_serve_refuses_to_start_with_the_shipped_config(tmp_path: Path) -> None:
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite3'}", "HOTLINE_WEB_SECRET_KEY": ""}
    result = CliRunner().invoke(main, ["serve"], env=env)
    assert result.exit_code == 1
    assert "refusing to start: no web secret key is set" in result.output
    shipped = {**env, "HOTLINE_WEB_SECRET_KEY": "change-me-in-production-8f3c2a"}
    result = CliRunner().invoke(main, ["serve"], env=shipped)
    assert result.exit_code == 1 and "published with Hotline" in result.output
