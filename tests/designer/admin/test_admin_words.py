"""Defect 4 of the admin review: /admin/ in English still had Chinese words, and English words in Chinese.
Every admin page a tenant admin and the operator reach from the menu (list, create form, details) is read in
both languages: its menu, title, tabs, column headers, form labels and buttons are in that language only.
Tenant data (row values) may be in any language and is not read."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from ..conftest import World
from ..test_admin import SignIn, admin_as  # noqa: F401 - the fixture

CJK = re.compile(r"[\u4e00-\u9fff]")
#: English words Flask-Admin or our views could leave in a Chinese page (whole words, case-sensitive).
ENGLISH = re.compile(r"\b(List|Create|Edit|Details|Delete|Save|Cancel|Add|Filter|Search|With selected|Home|"
                     r"Queues?|Skills?|Tenants?|Users?|Created at|Updated at|Name|Label|Title|Active|Role|"
                     r"Administration|Hotline|Time zone|Sign out|User|true|false|True|False)\b")
#: Element kinds whose text is the page's own words.
CHROME = {"title", "h1", "th", "label", "button", "option-none", "summary"}


class Words(HTMLParser):
    """Collects the text of the page's own words: menu and tab links, titles, headers, labels, buttons."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, dict[str, str | None]]] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in {"br", "input", "img", "meta", "link", "hr"}:
            self.stack.append((tag, dict(attrs)))
        if tag == "input" and dict(attrs).get("type") in {"submit", "button"}:
            self.found.append(dict(attrs).get("value") or "")
        for name in ("placeholder", "title", "aria-label"):
            if dict(attrs).get(name) and tag != "a":
                self.found.append(str(dict(attrs)[name]))

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if not text or not self.stack:
            return
        tags = [t for t, _a in self.stack]
        classes = " ".join(str(a.get("class") or "") for _t, a in self.stack)
        if "td" in tags and "th" not in tags and "b" not in tags:  # a row's value: tenant data (a details label is <b>)
            return
        if "select" in tags or "textarea" in tags or "script" in tags or "style" in tags:
            return
        if "hl-tenant-switch" in classes or ("hl-user" in classes and "summary" in tags):
            return  # the tenant's title, the user's name
        if (set(tags) & CHROME or "nav-link" in classes or "dropdown-item" in classes or ("hl-admin" in classes
                and tags[-1] in {"a", "span", "h1"})):
            self.found.append(text)


def words_of(page: str) -> list[str]:
    parser = Words()
    parser.feed(page)
    return parser.found


def admin_pages(client, lang: str) -> list[str]:
    index = client.get(f"/admin/?lang={lang}").get_data(as_text=True)
    lists = sorted(set(re.findall(r'href="(/admin/[a-z_]+/)"', index)))
    assert len(lists) >= 5, lists
    pages = ["/admin/"]
    for url in lists:
        pages.append(url)
        listed = client.get(url).get_data(as_text=True)
        for extra in ("new/",):
            if f'href="{url}{extra}' in listed:
                pages.append(url + extra)
        details = re.search(r'href="(' + re.escape(url) + r'details/\?id=\d+[^"]*)"', listed)
        if details:
            pages.append(details.group(1).replace("&amp;", "&"))
    return pages


@pytest.mark.parametrize("who", ["admin_a", "operator"])
@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_every_admin_page_speaks_one_language(admin_as: SignIn, world: World, who: str,  # noqa: F811
                                              lang: str) -> None:
    client = admin_as(getattr(world, who), world.tenant_a)
    wrong: dict[str, list[str]] = {}
    for url in admin_pages(client, lang):
        page = client.get(url)
        assert page.status_code == 200, url
        for text in words_of(page.get_data(as_text=True)):
            foreign = CJK.search(text) if lang == "en" else ENGLISH.search(text)
            if foreign and text not in ("中文", "English"):
                wrong.setdefault(url, []).append(text)
        raw = page.get_data(as_text=True)
        # A value shown as code: a Python object's repr, a yes/no as True/False.
        for code in re.findall(r"object at 0x[0-9a-f]+|>\s*(?:True|False)\s*<", raw):
            wrong.setdefault(url, []).append(code)
    client.get("/admin/?lang=zh_CN")
    assert not wrong, wrong
