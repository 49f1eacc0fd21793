"""A menu holds at most 12 options (keys 0-9, * and #): a draft with thousands (QA 16 findings, item 7: 2,000
options froze the designer for 15 s) is refused at save with a worded reason, and validation says the bound."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from typing import Any

import pytest

from hotline.platform.services import templates

from .conftest import Api, World

IVR = templates.load("express_delivery").documents[("ivr", "main")]


def flooded_ivr(count: int) -> dict[str, Any]:
    body = copy.deepcopy(IVR)
    menu = next(k for k, n in body["nodes"].items() if n["type"] == "menu")
    target = next(iter(body["nodes"][menu]["options"].values()))
    body["nodes"][menu]["options"] = {str(i): target for i in range(count)}
    return body


@pytest.mark.parametrize(("lang", "words"), [("zh_CN", "最多 12 个按键选项，现在有 2000 个"),
                                             ("en", "at most 12 options, it has 2,000")])
def test_a_menu_of_thousands_of_options_is_refused_at_save_in_words(world: World, api_as: Callable[..., Api],
                                                                     lang: str, words: str) -> None:
    analyst = api_as(world.analyst_a)
    name = f"d{uuid.uuid4().hex[:8]}"
    assert analyst.post("/api/documents", {"kind": "ivr", "name": name, "body": IVR}).status_code == 201
    refused = analyst.put(f"/api/documents/ivr/{name}/draft?lang={lang}",
                          {"body": flooded_ivr(2000), "base_revision": 1})
    assert refused.status_code == 422, refused.get_json()
    said = refused.get_json()
    assert any(words in f["message"] for f in said["findings"]), said
    assert analyst.get(f"/api/documents/ivr/{name}").get_json()["draft_revision"] == 1
    created = analyst.post("/api/documents", {"kind": "ivr", "name": f"d{uuid.uuid4().hex[:8]}",
                                              "body": flooded_ivr(2000)})
    assert created.status_code == 422


def test_validation_says_a_menu_holds_at_most_12_options(world: World, api_as: Callable[..., Api]) -> None:
    from hotline.platform.kinds.validation import validate_schema

    found = validate_schema("ivr", flooded_ivr(13))
    assert any("too many" in f.message and "13" in f.message for f in found), found
