"""Text prompts rendered to audio files ahead of the call (platform/prompt_tts.py): once per text, engine and
tenant, in the tenant's own folder, never through a shell; the runtime then plays files, not live TTS."""

from __future__ import annotations

import json
import shutil
import wave
from pathlib import Path

import pytest

from hotline.platform import prompt_tts
from hotline.platform.db import Database
from hotline.platform.prompt_tts import CommandTts, TtsError
from hotline.runtime.simswitch import CallerScript

from .acd.test_queues_e2e import _tenant
from .e2e_helpers import run, stack

needs_espeak = pytest.mark.skipif(shutil.which("espeak-ng") is None,
                                  reason="espeak-ng is not installed (test.sh installs it)")


class Counting:
    """The real command engine, counting how often it is run."""

    def __init__(self) -> None:
        self.engine = CommandTts()
        self.key = self.engine.key
        self.runs = 0

    def synthesize(self, text: str) -> bytes:
        self.runs += 1
        return self.engine.synthesize(text)


@needs_espeak
def test_a_text_is_rendered_once_into_the_tenants_folder_and_reused(tmp_path: Path) -> None:
    engine = Counting()
    first = prompt_tts.render(tmp_path, 7, "您好，欢迎致电", engine)
    again = prompt_tts.render(tmp_path, 7, " 您好，欢迎致电 ", engine)
    other = prompt_tts.render(tmp_path, 8, "您好，欢迎致电", engine)
    assert first == again and engine.runs == 2  # tenant 8 renders its own copy
    assert Path(first).parent == tmp_path / "7" and Path(other).parent == tmp_path / "8"
    with wave.open(first) as audio:
        assert audio.getnframes() > audio.getframerate() // 2  # half a second of speech at least


@needs_espeak
def test_the_text_never_reaches_a_shell(tmp_path: Path) -> None:
    marker = tmp_path / "owned"
    prompt_tts.render(tmp_path, 7, f"查询; touch {marker} $(touch {marker})", CommandTts())
    assert not marker.exists()


def test_an_engine_that_writes_nothing_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(TtsError, match="TTS command 'false' wrote no audio"):
        prompt_tts.render(tmp_path, 7, "您好", CommandTts("false {file} {text}"))
    with pytest.raises(TtsError, match="1 to 1000 characters"):
        prompt_tts.render(tmp_path, 7, "长" * 1001, CommandTts())


@needs_espeak
@pytest.mark.redis
def test_the_runtime_plays_rendered_files_for_static_texts(db: Database, tmp_path: Path) -> None:
    tenant_id, did = _tenant(db)

    async def scenario():
        async with stack(db, runtime_options={"tts": CommandTts(), "prompt_root": tmp_path}) as s:
            return await s.switch.place_call(CallerScript(did=did, caller="13700000060", presses=["9"]))

    record = run(scenario(), timeout=60)
    played = [arg for app, arg in record.applications if app == "playback"]
    assert played and played[0].startswith(str(tmp_path / str(tenant_id))), record.summary()
    assert not any(arg.startswith("say:") for arg in played[:2])  # the welcome and the menu are files


class Heard:
    """The real command engine, keeping every text it was asked to speak."""

    def __init__(self) -> None:
        self.engine = CommandTts()
        self.key = self.engine.key
        self.texts: list[str] = []

    def synthesize(self, text: str) -> bytes:
        self.texts.append(text)
        return self.engine.synthesize(text)


@needs_espeak
def test_stage_directions_are_never_rendered_to_audio(tmp_path: Path) -> None:
    """QA 12.6: "（等待音乐）" in a queue prompt was spoken on the real switch."""
    engine = Heard()
    prompt_tts.render(tmp_path, 7, "正在为您转接客服代表，请稍候。（等待音乐）", engine)
    prompt_tts.render(tmp_path, 7, "请稍候 (pause) 【背景音乐】再见", engine)
    assert engine.texts == ["正在为您转接客服代表，请稍候。", "请稍候 再见"]


def test_the_templates_carry_no_stage_directions_in_prompts() -> None:
    templates = Path(__file__).resolve().parents[2] / "tenant_templates"
    texts = [text for path in sorted(templates.glob("*/template.json"))
             for text in prompt_tts.static_texts(json.loads(path.read_text(encoding="utf-8")))]
    assert texts and all(prompt_tts.spoken_text(text) == " ".join(text.split()) for text in texts), \
        [text for text in texts if prompt_tts.spoken_text(text) != " ".join(text.split())]


@needs_espeak
def test_the_queues_fixed_sentence_is_rendered_ahead_of_the_call(tmp_path: Path) -> None:
    """QA 12: 「您是下一位，坐席接通后将立即为您服务，请稍候。」 was played as live TTS (say:) on every call."""
    from hotline.runtime.call.routing import RouteCache
    from hotline.runtime.flow.nodes.queue import position_text

    rendered = RouteCache(None, prompt_root=tmp_path, tts=CommandTts())._render(1, {}, {})  # type: ignore[arg-type]
    assert rendered[position_text(1, None, False)].startswith(str(tmp_path / "1"))
