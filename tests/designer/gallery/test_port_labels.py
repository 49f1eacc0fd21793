"""The template preview words IVR exits as the canvas does, in both languages (QA of fix-labels item 3: it
showed "failed → 转工程值班手机", "open", "branches 1", "not_found", "no_handler", "refused")."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from hotline.platform.kinds.ivr.lint import NODE_TYPES
from hotline.platform.services import templates
from hotline.platform.words import PORT_LABELS, port_label

from ..conftest import World
from .test_gallery import browser


def test_every_port_of_every_node_type_has_words_in_both_languages() -> None:
    ports = {name for node_type in NODE_TYPES.values() for name in node_type.next_fields} | {"branches"}
    assert ports <= set(PORT_LABELS), ports - set(PORT_LABELS)
    for zh, en in PORT_LABELS.values():
        assert zh and en and zh != en and "_" not in en
    assert port_label("branches", 1, "zh_CN") == "分支 1" and port_label("failed", None, "en") == "If it fails"


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_template_previews_show_no_port_code(app: Flask, world: World, lang: str) -> None:
    client = browser(app, world.agent_a)
    for name in templates.available():
        html = client.get(f"/templates/{name}?lang={lang}").get_data(as_text=True)
        for edge, said in re.findall(r'<code class="edge" data-edge="([^"]+)">([^<]*)</code>', html):
            if len(edge) == 1:  # a menu's digit
                continue
            assert said.split(" ")[0] != edge, (name, edge, said)
            assert said.startswith(port_label(edge, None, lang)), (name, edge, said)
