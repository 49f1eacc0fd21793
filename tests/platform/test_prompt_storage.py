"""Prompt audio storage: per tenant, content-addressed, and nothing resolves outside the tenant's folder."""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

import pytest

from hotline.platform import prompt_storage
from hotline.platform.prompt_storage import PromptStorageError


def test_put_is_content_addressed_inside_the_tenants_folder(tmp_path: Path) -> None:
    ref = prompt_storage.put(tmp_path, 7, b"RIFF....WAVE", "wav")
    assert ref == f"{hashlib.sha256(b'RIFF....WAVE').hexdigest()}.wav"
    assert prompt_storage.put(tmp_path, 7, b"RIFF....WAVE", "wav") == ref  # the same bytes: the same file
    assert prompt_storage.path_for(tmp_path, 7, ref) == (tmp_path / "7" / ref).resolve()
    assert prompt_storage.path_for(tmp_path, 8, ref) is None  # another tenant's folder has no such file
    assert [p.name for p in (tmp_path / "7").iterdir()] == [ref]  # no partial file left behind
    with pytest.raises(PromptStorageError):
        prompt_storage.put(tmp_path, 7, b"x", "exe")
    with pytest.raises(PromptStorageError):
        prompt_storage.put(tmp_path, 0, b"x", "wav")


def test_paths_traversal_and_symlinks_never_resolve(tmp_path: Path) -> None:
    theirs = prompt_storage.put(tmp_path, 1, b"secret", "wav")
    (tmp_path / "2").mkdir()
    (tmp_path / "2" / "link.wav").symlink_to(tmp_path / "1" / theirs)
    for ref in (str(tmp_path / "1" / theirs), f"../1/{theirs}", "link.wav", "", None, "a/b.wav", ".wav"):
        assert prompt_storage.path_for(tmp_path, 2, ref) is None, ref
    assert not prompt_storage.release(tmp_path, 2, f"../1/{theirs}", set())
    assert (tmp_path / "1" / theirs).is_file()


def test_release_keeps_a_file_another_prompt_of_the_tenant_uses(tmp_path: Path) -> None:
    ref = prompt_storage.put(tmp_path, 3, b"shared", "ogg")
    assert not prompt_storage.release(tmp_path, 3, ref, {ref})
    assert prompt_storage.release(tmp_path, 3, ref, set())
    assert prompt_storage.path_for(tmp_path, 3, ref) is None


def test_the_migration_keeps_only_references_inside_the_rows_own_tenant_folder() -> None:
    path = Path(__file__).parents[2] / "hotline/platform/migrations/versions/0013_input_limits.py"
    spec = importlib.util.spec_from_file_location("migration_0013", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module._reference(5, "/srv/hotline/var/prompts/5/welcome-0123456789ab.wav") == "welcome-0123456789ab.wav"
    assert module._reference(5, "/srv/hotline/var/prompts/6/welcome-0123456789ab.wav") is None
    assert module._reference(5, "/etc/passwd") is None
    assert module._reference(5, "abc.mp3") == "abc.mp3"
    assert module._reference(5, "../5/x.wav") is None
