"""The navigation bar shows an area exactly when the user's roles in the current tenant open it."""

from __future__ import annotations


def _links(api_as, username: str, tenant: str) -> str:
    client = api_as(username, tenant)
    page = client.get("/").get_data(as_text=True)
    return page[page.index('<nav class="hotline-nav">'):page.index("</nav>")]


def test_an_agent_gets_the_desk_but_not_the_designer_or_wallboard(api_as, world) -> None:
    nav = _links(api_as, world.agent_a, world.tenant_a)
    assert 'href="/desk/"' in nav and "座席工作台" in nav
    assert 'href="/studio/"' not in nav and 'href="/wallboard/"' not in nav


def test_an_analyst_gets_the_designer_but_not_the_desk(api_as, world) -> None:
    nav = _links(api_as, world.analyst_a, world.tenant_a)
    assert 'href="/studio/"' in nav
    assert 'href="/desk/"' not in nav and 'href="/admin/"' not in nav


def test_a_supervisor_gets_the_wallboard_and_overdue_list(api_as, world) -> None:
    nav = _links(api_as, world.supervisor_a, world.tenant_a)
    assert 'href="/wallboard/"' in nav and 'href="/supervision/overdue"' in nav
