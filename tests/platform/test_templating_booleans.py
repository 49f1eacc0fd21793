"""Yes/no values in tenant templates read 是/否 (Yes/No in English), never Python's True/False (QA of issue 16,
fixc18 item 4: an SMS read "…要求赔偿False…")."""

from __future__ import annotations

from hotline.platform import templating


def test_a_boolean_renders_as_yes_or_no_in_chinese_by_default() -> None:
    text = templating.render("要求赔偿{{ticket.claim_requested}}", {"ticket": {"claim_requested": False}})
    assert text == "要求赔偿否"
    assert templating.render("{{ok}}", {"ok": True}) == "是"


def test_a_boolean_renders_as_yes_or_no_in_english() -> None:
    assert templating.render("claim {{ok}}", {"ok": False}, locale="en") == "claim No"
    assert templating.render("{{ok}}", {"ok": True}, locale="en") == "Yes"


def test_conditions_on_booleans_still_see_booleans() -> None:
    assert templating.render("{% if ok %}y{% else %}n{% endif %}", {"ok": False}) == "n"
