"""Directory pages (admins edit, agents look up), the knowledge-base pages and the delivery log."""

from __future__ import annotations

from sqlalchemy import select

from hotline.platform.models import DirectoryEntry, Notification
from hotline.platform.services import knowledge


def test_the_directory_page_lists_couriers_and_branches_with_the_lookup_box(pages_as, world) -> None:
    html = pages_as(world.agent_a).get("/records/directory?address=望京SOHO").get_data(as_text=True)
    assert "张建国" in html and "13910000001" in html and 'data-testid="coverage-address"' in html
    assert 'value="望京SOHO"' in html and 'src="/assets/records/records.' in html
    assert "New entry" not in html and "新建条目" not in html  # agents do not edit the directory


def test_an_admin_adds_a_courier_who_is_then_found_by_address(db, pages_as, world, tenant_ids, unique) -> None:
    admin = pages_as(world.admin_a)
    name = unique("新快递员")
    response = admin.post("/records/directory/couriers/entries/new",
                          {"name": name, "phone": "13912345678", "branch": "测试网点",
                           "areas": "火星路一号院\n火星大厦", "active": "1"})
    assert response.status_code == 302
    best = admin.get("/records/api/coverage?address=北京市火星大厦A座").get_json()["best"]
    assert best["name"] == name and best["phone"] == "13912345678"
    with db.tenant(tenant_ids["a"]) as session:
        entry_id = session.scalar(select(DirectoryEntry.id).where(DirectoryEntry.name == name))
    assert admin.post(f"/records/directory/entries/{entry_id}",
                      {"name": name, "phone": "13912345678", "areas": "火星路一号院"}).status_code == 302
    assert admin.get("/records/api/coverage?address=火星大厦").get_json()["best"] is None  # now inactive, area gone


def test_a_bad_entry_keeps_the_typed_values_and_names_each_field(pages_as, world) -> None:
    response = pages_as(world.analyst_a).post("/records/directory/couriers/entries/new",
                                              {"name": "", "phone": "abc", "areas": "", "branch": "保留"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert all(f'data-field="{f}"' in html for f in ("name", "phone", "areas")) and "保留" in html


def test_directories_are_created_by_admins_only(pages_as, world, unique) -> None:
    agent, admin = pages_as(world.agent_a), pages_as(world.admin_a)
    refused = agent.post("/records/directory/new", {"name": "techs", "label": "技术员", "kind": "technician"})
    assert refused.status_code == 403
    assert agent.get("/records/directory/couriers/entries/new").status_code == 403
    name = unique("techs")
    assert admin.post("/records/directory/new", {"name": name, "label": "技术员", "kind": "technician"}).status_code \
        == 302
    assert name in admin.get("/records/directory").get_data(as_text=True)
    refused = admin.post("/records/directory/new", {"name": "Bad Name", "label": "", "kind": "x"},
                         follow_redirects=True)
    assert "lower-case" in refused.get_data(as_text=True)


def test_the_directory_page_shows_each_persons_skills(db, pages_as, world, tenant_ids) -> None:
    # QA of issue 11, item 6: skills were kept but not shown.
    with db.tenant(tenant_ids["a"]) as session:
        entry = session.scalar(select(DirectoryEntry).where(DirectoryEntry.name == "刘明"))
        entry.skills = ["大件揽收", "冷链"]
    page = pages_as(world.agent_a).get("/records/directory").get_data(as_text=True)
    assert "<th>技能</th>" in page and '<td class="skills">大件揽收、冷链</td>' in page


def test_another_tenants_directory_entry_is_not_found(db, pages_as, world, tenant_ids) -> None:
    with db.tenant(tenant_ids["b"]) as session:
        entry_b = session.scalar(select(DirectoryEntry.id).where(DirectoryEntry.name == "张建国"))
    assert pages_as(world.admin_a).get(f"/records/directory/entries/{entry_b}").status_code == 404
    assert pages_as(world.admin_a).get("/records/directory/nope/entries/new").status_code == 404


def test_the_delivery_log_filters_by_status_and_channel(db, pages_as, world, tenant_ids, unique) -> None:
    marker = unique("短信")
    with db.tenant(tenant_ids["a"]) as session:
        session.add_all([
            Notification(channel="sms", to="13900000001", body=marker + "已发", status="sent", attempts=1),
            Notification(channel="webhook", to="http://x.invalid/", body=marker + "失败", status="failed",
                         attempts=4, last_error="DeliveryError: HTTP 502 Bad Gateway"),
        ])
    agent = pages_as(world.agent_a)
    failed = agent.get("/records/notifications?status=failed").get_data(as_text=True)
    assert marker + "失败" in failed and marker + "已发" not in failed and "HTTP 502 Bad Gateway" in failed
    sms = agent.get("/records/notifications?channel=sms").get_data(as_text=True)
    assert marker + "已发" in sms and marker + "失败" not in sms
    assert agent.get("/records/notifications?status=lost").status_code == 400
    assert marker not in pages_as(world.analyst_b).get("/records/notifications").get_data(as_text=True)


def test_the_delivery_logs_recipient_column_is_headed_recipient(pages_as, world) -> None:
    """Issue 16: the column of addresses was headed 截止日期 (the ticket filter's "To" date)."""
    agent = pages_as(world.agent_a)
    chinese = agent.get("/records/notifications").get_data(as_text=True)
    assert "<th>收件人</th>" in chinese and "截止日期" not in chinese
    assert "<th>Recipient</th>" in agent.get("/records/notifications?lang=en").get_data(as_text=True)


def test_the_delivery_status_reads_as_words_in_either_language(db, pages_as, world, tenant_ids, unique) -> None:
    # QA of issue 11, item 4: under ?lang=en the status read "queued", the stored code.
    marker = unique("排队")
    with db.tenant(tenant_ids["a"]) as session:
        session.add(Notification(channel="sms", to="13900000002", body=marker, status="queued", attempts=0))
    agent = pages_as(world.agent_a)
    english = agent.get("/records/notifications?status=queued&lang=en").get_data(as_text=True)
    assert '<td class="status">Waiting to send</td>' in english and ">queued<" not in english
    chinese = agent.get("/records/notifications?status=queued&lang=zh_CN").get_data(as_text=True)
    assert '<td class="status">排队中</td>' in chinese


def test_agents_search_and_read_articles_admins_write_them(db, pages_as, world, tenant_ids, unique) -> None:
    agent, analyst = pages_as(world.agent_a), pages_as(world.analyst_a)
    assert agent.get("/records/kb/new").status_code == 403
    title = unique("保价说明")
    created = analyst.post("/records/kb/new", {"title": title, "body": "保价费为声明价值的0.5%，最低1元。",
                                               "tags": "保价，理赔"})
    assert created.status_code == 302
    listing = agent.get("/records/kb?q=保价费").get_data(as_text=True)
    assert title in listing
    article_url = created.headers["Location"]
    assert "最低1元" in agent.get(article_url).get_data(as_text=True)
    article_id = int(article_url.rsplit("/", 1)[1])
    assert agent.post(f"/records/kb/{article_id}/delete").status_code == 403
    bad = analyst.post(f"/records/kb/{article_id}/edit", {"title": "", "body": "保留正文", "tags": ""})
    assert bad.status_code == 422 and 'data-field="title"' in bad.get_data(as_text=True) \
        and "保留正文" in bad.get_data(as_text=True)
    assert analyst.post(f"/records/kb/{article_id}/delete").status_code == 302
    assert agent.get(article_url).status_code == 404


def test_another_tenants_article_is_not_found_by_url(db, pages_as, world, tenant_ids, unique) -> None:
    with db.tenant(tenant_ids["b"]) as session:
        other = knowledge.save(session, title=unique("乙文章"), body="乙", actor="t").id
    analyst = pages_as(world.analyst_a)
    assert analyst.get(f"/records/kb/{other}").status_code == 404
    assert analyst.get(f"/records/kb/{other}/edit").status_code == 404
    assert analyst.post(f"/records/kb/{other}/delete").status_code == 404


def test_the_delivery_log_shows_channel_labels_and_a_message_header(db, pages_as, world, tenant_ids, unique) -> None:
    """Issue 11 QA, item 3: 渠道 showed sms/email and the message column was headed 服务内容."""
    marker = unique("标签")
    with db.tenant(tenant_ids["a"]) as session:
        session.add(Notification(channel="email", to="a@example.com", body=marker, status="sent", attempts=1))
        session.add(Notification(channel="sms", to="13900000001", body=marker, status="sent", attempts=1))
    html = pages_as(world.agent_a).get("/records/notifications").get_data(as_text=True)
    cells = html.split('class="channel">')[1:]
    shown = {cell.split("<", 1)[0] for cell in cells}
    assert {"短信", "邮件"} <= shown and not shown & {"sms", "email"}
    options = html.split('name="channel"', 1)[1].split("</select>", 1)[0]
    assert ">短信<" in options and ">sms<" not in options
    assert "<th>消息内容</th>" in html and "服务内容" not in html


def test_the_delivery_log_shows_times_in_the_tenants_zone(db, pages_as, world, tenant_ids, unique) -> None:
    """QA of issue 11, item 6: the delivery log showed UTC (07:49 in Shanghai read 23:49 the day before)."""
    from datetime import UTC, datetime

    from hotline.platform.services import ticket_lists

    with db.tenant(tenant_ids["a"]) as session:
        zone = ticket_lists.tenant_zone(session)
        row = Notification(channel="sms", to="13900000001", body=unique("时间"), status="sent", attempts=1,
                           created_at=datetime(2026, 12, 6, 23, 49, 5, tzinfo=UTC))
        session.add(row)
        session.flush()
        row_id = row.id
    assert zone.key != "UTC"  # the demo tenants keep Shanghai time
    html = pages_as(world.agent_a).get(f"/records/notifications?id={row_id}").get_data(as_text=True)
    local = datetime(2026, 12, 6, 23, 49, 5, tzinfo=UTC).astimezone(zone).strftime("%Y-%m-%d %H:%M:%S")
    assert f"<td>{local}</td>" in html and "2026-12-06 23:49:05" not in html
