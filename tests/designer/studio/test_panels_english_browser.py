"""Every IVR node type's property panel in English (issue 16, task H): the panel's own words (field names,
headings, buttons, hints, the empty-list note) are English, never Chinese nor a stored code such as
`announce_every_seconds`; the tenant's own data (node, queue and prompt names) may stay in Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]

NODE_TYPES = ["hours", "menu", "play", "collect", "lookup", "condition", "set", "queue", "transfer", "voicemail",
              "callback", "ticket", "urge", "sms", "survey", "goto", "hangup"]
EMPTY_IVR = {
    "title": "空", "start": "bye", "fallback": "bye",
    "nodes": {"bye": {"type": "hangup", "label": "再见", "prompt": {"text": "再见"}, "position": {"x": 0, "y": 0}}},
}
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff]")
#: The tenant's own resources are offered as "label (name)": their labels are the tenant's data.
RESOURCE = re.compile(r"^.+ \([a-z][a-z0-9_]*\)$")
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")
#: The panel's own words: headings, field names, buttons, hints; not the values in inputs and selects.
PANEL_WORDS = """p => [...p.querySelectorAll(
  'legend, label, button, .field-description, .help-block, p, h5, h4, .control-label, .ant-btn, .muted')].map(e => {
    const c = e.cloneNode(true);
    c.querySelectorAll('select, option, input, textarea, audio').forEach(x => x.remove());
    return c.textContent.trim();
  }).filter(Boolean)"""


@pytest.mark.parametrize("node_type", NODE_TYPES)
def test_each_node_types_panel_speaks_english_in_english(
        page, open_ivr, console_errors, node_type: str) -> None:
    name = f"en_{node_type}"
    open_ivr(name, EMPTY_IVR, "en")
    page.get_by_test_id(f"palette-{node_type}").click()
    panel = page.get_by_test_id("properties")
    expect(panel.locator(".property-form")).to_be_visible()
    words = panel.evaluate(PANEL_WORDS)
    chinese = sorted({w for w in words if CJK.search(w) and not RESOURCE.match(w)})
    # A template example in a hint ("{{ticket_no}}") is what the analyst types, not a code shown for a label.
    codes = sorted({w for w in words if CODE.search(re.sub(r"\{\{[^}]*\}\}", "", w)) and not RESOURCE.match(w)
                    and not w.startswith(f"{node_type}_")})
    assert not chinese, f"Chinese in the English {node_type} panel: {chinese}"
    assert not codes, f"codes in the English {node_type} panel: {codes}"
    assert console_errors == []
