"""The navigation bar: which areas the signed-in user may open in the current tenant.

One list, so a link is shown exactly when its page would let the user in (the pages check the same roles).
"""

from __future__ import annotations

from ..platform.models import Role
from .auth import Principal
from .i18n import STRINGS, extend

#: (path, English label, roles that may open it); the platform operator may open them all.
AREAS: tuple[tuple[str, str, frozenset[Role]], ...] = (
    ("/studio/", "Designer", frozenset({Role.ANALYST, Role.TENANT_ADMIN})),
    ("/templates/", "Templates", frozenset(Role) - {Role.FINANCE}),
    ("/desk/", "Agent desk", frozenset({Role.AGENT, Role.SUPERVISOR, Role.TENANT_ADMIN})),
    ("/records/tickets", "Tickets", frozenset({Role.AGENT, Role.SUPERVISOR, Role.TENANT_ADMIN, Role.QA})),
    ("/records/customers", "Customers", frozenset({Role.AGENT, Role.SUPERVISOR, Role.TENANT_ADMIN})),
    ("/records/directory", "Directory", frozenset({Role.AGENT, Role.SUPERVISOR, Role.TENANT_ADMIN, Role.ANALYST})),
    ("/records/kb", "Knowledge base", frozenset(Role)),
    ("/records/notifications", "Delivery log", frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})),
    ("/supervision/overdue", "Overdue tickets", frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})),
    ("/supervision/dispatch", "Waiting for dispatch", frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})),
    ("/supervision/staffing", "Staffing calculator", frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})),
    ("/supervision/dashboard", "Site dashboard", frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})),
    ("/supervision/reports", "Reports", frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})),
    ("/schedules/", "Schedules", frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})),
    ("/quality/", "Quality", frozenset({Role.QA, Role.SUPERVISOR, Role.TENANT_ADMIN})),
    ("/quality/mine", "My scores", frozenset({Role.AGENT})),
    ("/settlement/", "Vendors", frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN, Role.FINANCE})),
    ("/settlement/assessment", "Vendor assessment",
     frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN, Role.FINANCE})),
    ("/wallboard/", "Wallboard", frozenset({Role.SUPERVISOR, Role.TENANT_ADMIN})),
    ("/campaigns/", "Campaigns", frozenset({Role.CAMPAIGN_OPERATOR, Role.TENANT_ADMIN})),
    ("/admin/", "Administration", frozenset({Role.TENANT_ADMIN})),
    ("/tenant/settings", "Tenant settings", frozenset({Role.TENANT_ADMIN})),
)

#: The platform operator's own areas, shown before a tenant is chosen (fix-navs item 2: a fresh operator session
#: had no navigation at all on /admin/ or /templates/).
PLATFORM_AREAS: tuple[tuple[str, str], ...] = (
    ("/admin/tenant/", "Tenants"),
    ("/templates/", "Templates"),
    ("/admin/", "Administration"),
)

#: Labels; an area that already translates one of these words keeps its own translation.
LABELS = {
    "Designer": {"zh_CN": "设计器"},
    "Templates": {"zh_CN": "行业模板"},
    "Agent desk": {"zh_CN": "座席工作台"},
    "Tickets": {"zh_CN": "工单"},
    "Customers": {"zh_CN": "客户"},
    "Directory": {"zh_CN": "通讯录"},
    "Knowledge base": {"zh_CN": "知识库"},
    "Delivery log": {"zh_CN": "发送记录"},
    "Overdue tickets": {"zh_CN": "超时工单"},
    "Waiting for dispatch": {"zh_CN": "待派单"},
    "Wallboard": {"zh_CN": "监控大屏"},
    "Quality": {"zh_CN": "质检"},
    "My scores": {"zh_CN": "我的质检成绩"},
    "Staffing calculator": {"zh_CN": "排班测算"},
    "Schedules": {"zh_CN": "排班"},
    "Campaigns": {"zh_CN": "外呼活动"},
    "Administration": {"zh_CN": "系统管理"},
    "Tenant settings": {"zh_CN": "租户设置"},
    "Tenants": {"zh_CN": "租户"},
    "Choose a tenant": {"zh_CN": "选择租户"},
    # The shell's area groups and user menu (templates/base.html).
    "Design": {"zh_CN": "设计"},
    "Service": {"zh_CN": "服务"},
    "Supervision": {"zh_CN": "监控"},
    "Outbound": {"zh_CN": "外呼"},
    "Admin": {"zh_CN": "管理"},
    "Change password": {"zh_CN": "修改密码"},
    "Switch tenant": {"zh_CN": "切换租户"},
    "Main navigation": {"zh_CN": "主导航"},
    "Your account": {"zh_CN": "我的账户"},
}

#: The shell groups the areas by what people do there; an area missing here falls in the last group.
GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("Design", frozenset({"/studio/", "/templates/"})),
    ("Service", frozenset({"/desk/", "/records/tickets", "/records/customers", "/records/directory",
                           "/records/kb"})),
    ("Supervision", frozenset({"/supervision/overdue", "/supervision/dispatch", "/supervision/staffing",
                               "/supervision/dashboard", "/supervision/reports", "/wallboard/",
                               "/records/notifications", "/quality/", "/quality/mine",
                               "/schedules/"})),
    ("Outbound", frozenset({"/campaigns/"})),
    ("Admin", frozenset({"/admin/", "/tenant/settings", "/admin/tenant/"})),
)


def register_strings() -> None:
    """Called once the areas have added their strings, so their translations win."""
    extend({key: value for key, value in LABELS.items() if key not in STRINGS})


def grouped(links_: list[tuple[str, str]]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The links by area group (English group title, links in AREAS order); empty groups left out."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for index, (title, paths) in enumerate(GROUPS):
        last = index == len(GROUPS) - 1
        known = set().union(*(p for _, p in GROUPS))
        members = [(path, label) for path, label in links_ if path in paths or (last and path not in known)]
        if members:
            out.append((title, members))
    return out


def current(links_: list[tuple[str, str]], path: str) -> str | None:
    """The link the page at `path` belongs to: the longest link path it starts with (for aria-current)."""
    best = [link for link, _ in links_ if path.startswith(link)]
    return max(best, key=len) if best else None


def shows_presence(who: Principal | None) -> bool:
    """Whether the shell shows the agent's presence: the user takes calls in the current tenant."""
    return who is not None and who.tenant is not None and Role.AGENT in who.tenant.roles


def links(who: Principal | None) -> list[tuple[str, str]]:
    """(path, English label) of every area the user may open in the current tenant; the operator with no tenant
    chosen gets the platform's own areas."""
    if who is not None and who.tenant is None and who.is_platform_operator:
        return list(PLATFORM_AREAS)
    if who is None or who.tenant is None:
        return []
    return [(path, label) for path, label, roles in AREAS if who.may(roles)]
