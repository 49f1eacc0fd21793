"""The gallery in Chromium: the operator previews a template and creates a tenant from it."""

from __future__ import annotations

import pytest

from tests.browser import SCREENSHOTS, screenshot

from ..conftest import PASSWORD, World

pytestmark = pytest.mark.browser


def test_operator_creates_a_tenant_from_the_gallery_in_the_browser(app, serve, page, world: World, unique) -> None:
    base = serve(app)
    page.goto(f"{base}/login?next=/templates/")
    page.fill("input[name=username]", world.operator)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/tenant" in url)  # the operator works in many tenants: choose later
    page.goto(f"{base}/templates/")
    assert page.locator("[data-template=express_delivery]").count() == 1
    screenshot(page, "gallery")
    page.click("[data-template=express_delivery] h2 a")
    page.wait_for_load_state()  # count() does not wait: the preview must have loaded (it raced on a busy machine)
    page.locator("[data-node=main_menu]").first.wait_for()
    assert page.locator("[data-node=main_menu]").count() >= 1
    assert page.locator("[data-field=pickup_time]").count() >= 1
    # The whole preview is several screens of outline: the first screen shows what it is.
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "gallery-template.png"))
    slug = unique("ui")
    page.fill("input[name=slug]", slug)
    page.fill("input[name=title]", "界面创建的租户")
    page.click("#create-tenant button[type=submit]")
    page.wait_for_url("**/studio/")
    assert "界面创建的租户" in page.content()


SLUG_WORDS = {"zh_CN": {"taken": "已有名为 {slug} 的租户", "format": "只能使用小写字母", "free": "此名称可用"},
              "en": {"taken": "A tenant named {slug} already exists", "format": "lower-case letters",
                     "free": "This name is free"}}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("width", [1366, 390])
def test_the_tenant_name_is_checked_while_typing_in_the_page_language(app, serve, page, world: World, unique,
                                                                      lang: str, width: int) -> None:
    """Tenant-creation QA, item 2: a taken name shows at once (no console error), a malformed one is worded."""
    from playwright.sync_api import expect

    from ..console_guard import watch

    errors = watch(page)
    words = SLUG_WORDS[lang]
    page.set_viewport_size({"width": width, "height": 768 if width > 400 else 844})
    base = serve(app)
    page.goto(f"{base}/login?next=/templates/express_delivery%3Flang%3D{lang}")
    page.fill("input[name=username]", world.operator)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{base}/templates/express_delivery?lang={lang}")
    slug = page.locator("input[name=slug]")
    slug.fill(world.tenant_a)
    expect(page.locator("#slug-status")).to_contain_text(words["taken"].format(slug=world.tenant_a))
    page.click("#create-tenant button[type=submit]")  # refused in the page: no 409 response, no console error
    assert words["taken"].format(slug=world.tenant_a) in slug.evaluate("el => el.validationMessage")
    slug.fill("Bad Slug!")
    message = slug.evaluate("el => el.validationMessage")
    assert words["format"] in message and "Please match" not in message, message
    expect(page.locator("#slug-status")).to_contain_text(words["format"])
    free = unique("live")
    slug.fill(free)
    expect(page.locator("#slug-status")).to_contain_text(words["free"])
    assert errors == [], errors


CREATED_WORDS = {"zh_CN": {"numbers": "已将号码接入其主语音导航", "admin": "一次性密码"},
                 "en": {"numbers": "Numbers routed to its main IVR", "admin": "one-time password"}}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_the_operator_gives_the_new_tenant_a_number_and_an_admin(app, serve, page, world: World, db, unique,
                                                                 lang: str) -> None:
    """Tenant-creation QA, item 1: the DID and first-admin fields, and the next page saying what was made."""
    from ..console_guard import watch
    from .test_gallery import _free_number

    errors = watch(page)
    page.set_viewport_size({"width": 1366, "height": 768})
    base = serve(app)
    page.goto(f"{base}/login?next=/templates/")
    page.fill("input[name=username]", world.operator)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/tenant" in url)
    page.goto(f"{base}/templates/express_delivery?lang={lang}")
    number, admin = _free_number(db), unique("boss")
    page.fill("input[name=slug]", unique("did"))
    page.fill("input[name=dids]", number)
    page.fill("input[name=admin_username]", admin)
    page.click("#create-tenant button[type=submit]")
    page.wait_for_url("**/studio/")
    text = page.content()
    words = CREATED_WORDS[lang]
    assert words["numbers"] in text and number in text and admin in text and words["admin"] in text
    assert errors == [], errors


DID_WORDS = {"zh_CN": {"held": "已分配给租户", "bad": "不是电话号码", "count": "个号码（上限）",
                       "most": "一次最多 20 个号码"},
             "en": {"held": "is already assigned to the tenant", "bad": "is not a phone number",
                    "count": "numbers at most", "most": "At most 20 numbers at once"}}


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
@pytest.mark.parametrize("width", [1366, 390])
def test_refused_numbers_answer_in_the_page_and_the_box_counts_them(app, serve, page, world: World, db, unique,
                                                                   lang: str, width: int) -> None:
    """QA fix-forms #3: a held or bad DID logged "Failed to load resource: 409/400"; the box cut a pasted list."""
    from playwright.sync_api import expect

    from hotline.platform.services.tenants import assign_did, get_tenant

    from ..console_guard import watch
    from .test_gallery import _free_number

    held = _free_number(db)
    with db.platform() as session:
        assign_did(session, get_tenant(session, world.tenant_a), held, "test")
    errors = watch(page)
    words = DID_WORDS[lang]
    page.set_viewport_size({"width": width, "height": 768 if width > 400 else 844})
    base = serve(app)
    page.goto(f"{base}/login?next=/templates/")
    page.fill("input[name=username]", world.operator)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/tenant" in url)
    page.goto(f"{base}/templates/express_delivery?lang={lang}")
    slug = unique("did")
    for dids, said in ((held, words["held"]), ("12ab", words["bad"])):
        page.fill("input[name=slug]", slug)
        page.fill("input[name=dids]", dids)
        page.click("#create-tenant button[type=submit]")
        expect(page.locator("#create-tenant p.error")).to_contain_text(said)  # the re-rendered page
        assert page.input_value("input[name=dids]") == dids and page.input_value("input[name=slug]") == slug
    box = page.locator("input[name=dids]")
    assert box.get_attribute("maxlength") is None
    pasted = ", ".join(f"40080{n:05d}" for n in range(21)) + ", 4008099999" * 60  # > 1000 characters
    box.fill(pasted)
    assert box.input_value() == pasted  # nothing cut silently
    count = page.locator("#dids-count")
    assert count.inner_text().startswith("81/20") and words["count"] in count.inner_text()
    assert words["most"] in box.evaluate("el => el.validationMessage")
    box.fill("4008000001, 4008000002")
    assert count.inner_text().startswith("2/20") and box.evaluate("el => el.validationMessage") == ""
    assert errors == [], errors
