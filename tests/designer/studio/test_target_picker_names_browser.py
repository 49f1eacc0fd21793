"""Target pickers name nodes as the findings do (issue 16 tester, item 3): "label (id)" with the id greyed, an
unconnected target shows the placeholder 未连接 / Not connected (no "— ⚠" choice), and a node is not offered as
its own target. In Chinese and in English, with no console error."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .browser_helpers import options_of, select_node
from .test_findings_fixes_browser import BROKEN_IVR

pytestmark = [pytest.mark.browser, pytest.mark.redis, pytest.mark.slow]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_target_pickers_name_nodes_label_first_and_show_unconnected_as_a_placeholder(
        page, open_ivr, console_errors, lang: str) -> None:
    name = f"picker_{lang}"
    open_ivr(name, BROKEN_IVR, lang)
    select_node(page, "track_menu")
    panel = page.get_by_test_id("properties")
    digit9 = "[data-testid=properties] #root_options_9"
    unconnected = "未连接" if lang == "zh" else "Not connected"
    expect(page.locator(".ant-select:has(#root_options_9)")).to_contain_text(unconnected)
    assert "— ⚠" not in panel.inner_text(), panel.inner_text()
    offered = options_of(page, digit9)
    assert "结束语 (bye)" in offered and "收运单号 (ask)" in offered, offered
    assert not [o for o in offered if "— ⚠" in o or o.startswith("track_menu") or "(track_menu)" in o], offered
    assert console_errors == []
