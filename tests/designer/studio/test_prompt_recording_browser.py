"""Recording a prompt in the IVR designer (issue 16, task H): the "录音" button records with the browser's
microphone (Chromium's fake device: a steady beep), plays the recording back, and uploads it through the same
POST /api/prompts as a chosen file, as a WAV the server checks like any upload; in Chinese and in English, with
no console error."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from tests.browser import CHROMIUM_FLAGS, chromium_path

from ..conftest import World
from .browser_helpers import select_node, wait_saved

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

TEXT = {
    "zh": {"record": "录音", "stop": "停止", "upload": "上传录音", "again": "重新录音", "uploaded": "已上传: "},
    "en": {"record": "Record", "stop": "Stop", "upload": "Upload the recording", "again": "Record again",
           "uploaded": "Uploaded: "},
}


#: The audio element's length once its metadata is loaded.
DURATION = ("a => new Promise(done => a.readyState >= 1 ? done(a.duration)"
            " : a.addEventListener('loadedmetadata', () => done(a.duration)))")


@pytest.fixture(scope="module")
def chromium() -> Iterator[object]:
    """This module's own Chromium: a fake microphone, and no permission prompt for it."""
    executable = chromium_path()
    if executable is None:
        pytest.skip("Debian's chromium is not installed (the test set-up installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    flags = [*CHROMIUM_FLAGS, "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
             "--autoplay-policy=no-user-gesture-required"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=flags, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_prompt_recorded_in_the_browser_is_played_back_and_uploaded_as_wav(
        studio_app, page, open_ivr, world: World, tmp_path, api_as, console_errors, lang: str) -> None:
    studio_app.config["HOTLINE_PROMPT_DIR"] = str(tmp_path)
    page.context.grant_permissions(["microphone"])
    open_ivr(lang=lang)
    words = TEXT[lang]
    select_node(page, "welcome")
    name = f"welcome_rec_{lang}"
    page.get_by_test_id("prompt-name-prompt").fill(name)

    record = page.get_by_test_id("prompt-record-prompt")
    expect(record).to_contain_text(words["record"])
    record.click()
    stop = page.get_by_test_id("prompt-record-stop-prompt")
    expect(stop).to_contain_text(words["stop"], timeout=20000)  # the fake microphone starts slowly on a busy machine
    expect(stop).to_contain_text("60")  # the bound is shown while recording
    page.wait_for_timeout(1500)
    stop.click()

    # Played back before it is kept: an audio element with about the recorded length.
    playback = page.get_by_test_id("prompt-recording-prompt")
    expect(playback).to_be_visible(timeout=15000)
    seconds = page.eval_on_selector("[data-testid=prompt-recording-prompt]", DURATION)
    assert 0.8 < seconds < 5, seconds
    expect(page.get_by_test_id("prompt-record-prompt")).to_contain_text(words["again"])

    page.get_by_test_id("prompt-record-upload-prompt").click()
    expect(page.get_by_test_id("properties")).to_contain_text(words["uploaded"] + name)
    expect(page.get_by_test_id("prompt-audio-prompt")).to_have_value(name)
    expect(page.get_by_test_id("prompt-recording-prompt")).to_have_count(0)
    wait_saved(page)

    api = api_as(world.analyst_a)
    assert api.get("/api/documents/ivr/main").get_json()["draft"]["nodes"]["welcome"]["prompt"]["audio"] == name
    audio = api.get(f"/api/prompts/{name}/audio")
    assert audio.status_code == 200 and audio.mimetype == "audio/wav"
    with wave.open(io.BytesIO(audio.data)) as stored:
        assert (stored.getnchannels(), stored.getsampwidth(), stored.getframerate()) == (1, 2, 16000)
        assert 0.8 < stored.getnframes() / 16000 < 5
    assert console_errors == []
