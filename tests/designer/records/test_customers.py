"""Customers pages: create, edit, delete, search, filter, sort, paging; import through a real RQ worker with a
progress endpoint and per-line errors; export of the current filter (CSV and Excel) that imports back."""

from __future__ import annotations

import io

import openpyxl
import pytest

from hotline.platform.models import ImportJob
from hotline.platform.services import customers

from .conftest import run_worker


def _create(agent, name: str, phones: str, **extra: str):
    return agent.post("/records/customers/new", {"name": name, "phones": phones, **extra})


def test_an_agent_creates_edits_finds_and_deletes_a_customer(db, pages_as, world, tenant_ids, unique) -> None:
    agent = pages_as(world.agent_a)
    name = unique("客户")
    created = _create(agent, name, "13612340001\n136-1234-0002", address="望京SOHO", vip="1",
                      flags="monthly_settlement")
    assert created.status_code == 302
    edit_url = created.headers["Location"]
    found = agent.get(f"/records/customers?q={name}").get_data(as_text=True)
    assert name in found and "13612340001, 13612340002" in found
    assert agent.post(edit_url, {"name": name + "改", "phones": "13612340001", "address": "国贸"}).status_code == 302
    with db.tenant(tenant_ids["a"]) as session:
        customer = customers.find_by_phone(session, "13612340001")[0]
        assert (customer.name, customer.address, customer.vip) == (name + "改", "国贸", False)
    assert agent.post(f"/records/customers/{customer.id}/delete").status_code == 302
    assert agent.get(edit_url).status_code == 404


def test_a_bad_customer_form_shows_each_field_and_keeps_what_was_typed(pages_as, world) -> None:
    agent = pages_as(world.agent_a)
    response = _create(agent, "", "not-a-phone", address="保留的地址")
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'data-field="name"' in html and 'data-field="phones"' in html and "保留的地址" in html


def test_a_phone_of_another_customer_is_a_field_error(pages_as, world, unique) -> None:
    agent = pages_as(world.agent_a)
    _create(agent, unique("甲"), "13612349999")
    response = _create(agent, unique("乙"), "13612349999")
    assert response.status_code == 422 and "already belongs" in response.get_data(as_text=True)


def test_the_unknown_caller_form_is_prefilled_with_the_number(pages_as, world) -> None:
    html = pages_as(world.agent_a).get("/records/customers/new?phone=13699998888").get_data(as_text=True)
    assert "13699998888" in html


def test_filter_sort_and_bad_arguments(pages_as, world, unique) -> None:
    agent = pages_as(world.agent_a)
    tag = unique("排序")
    _create(agent, tag + "B", "13612341001", vip="1")
    _create(agent, tag + "A", "13612341002")
    html = agent.get(f"/records/customers?q={tag}&sort=-name").get_data(as_text=True)
    assert html.index(tag + "B") < html.index(tag + "A")
    vip_only = agent.get(f"/records/customers?q={tag}&vip=1").get_data(as_text=True)
    assert tag + "B" in vip_only and tag + "A" not in vip_only
    assert agent.get("/records/customers?sort=phone").status_code == 400
    assert agent.get("/records/customers?vip=maybe").status_code == 400
    assert agent.post("/records/customers/new", {"name": "x", "phones": "13600000000"}, csrf=False).status_code == 400


def test_another_tenants_customer_is_not_found_by_url(db, pages_as, world, tenant_ids, unique) -> None:
    with db.tenant(tenant_ids["b"]) as session:
        other = customers.create(session, unique("乙客户"), ["13612345678"], actor="t").id
    agent = pages_as(world.agent_a)
    assert agent.get(f"/records/customers/{other}").status_code == 404
    assert agent.post(f"/records/customers/{other}/delete").status_code == 404
    assert agent.post(f"/records/customers/{other}", {"name": "x", "phones": "13600000001"}).status_code == 404


def test_import_and_export_are_for_admins_and_analysts(pages_as, world) -> None:
    agent = pages_as(world.agent_a)
    assert agent.get("/records/customers/import").status_code == 403
    assert agent.get("/records/customers/export").status_code == 403
    assert pages_as(world.analyst_a).get("/records/customers/import").status_code == 200


def test_an_upload_that_is_no_customer_file_is_refused_on_the_page(pages_as, world) -> None:
    admin = pages_as(world.admin_a)
    response = admin.post("/records/customers/import", {"file": (io.BytesIO(b"%PDF"), "scan.pdf")},
                          content_type="multipart/form-data")
    assert response.status_code == 422 and "neither CSV nor Excel" in response.get_data(as_text=True)


@pytest.mark.redis
def test_an_import_runs_on_a_real_worker_reporting_line_errors_while_good_lines_import(
        db, pages_as, world, tenant_ids, queues) -> None:
    admin = pages_as(world.admin_a)
    content = ("name,phones,address,vip\n"
               "导入甲,13655550001,望京SOHO,是\n"
               "导入乙,bad-phone,,\n"
               ",13655550003,,\n"
               "导入丁,13655550004;13655550005,国贸,否\n"
               "导入丁,13655550005,三里屯,\n").encode()
    response = admin.post("/records/customers/import", {"file": (io.BytesIO(content), "customers.csv")},
                          content_type="multipart/form-data")
    assert response.status_code == 302
    job_page = response.headers["Location"]
    job_id = int(job_page.rsplit("/", 1)[1])
    progress = admin.get(f"/records/api/imports/{job_id}").get_json()
    assert progress["status"] == "queued" and progress["percent"] == 0
    assert queues.default.count == 1  # enqueued after the commit

    def finished() -> bool:
        with db.tenant(tenant_ids["a"]) as session:
            return session.get(ImportJob, job_id).status in ("done", "done_with_errors", "failed")

    run_worker(queues, until=finished)
    report = admin.get(f"/records/api/imports/{job_id}").get_json()
    # Lines were skipped: the job never reads as plainly "done", and users see the label, not the code.
    assert (report["status"], report["percent"], report["total"]) == ("done_with_errors", 100, 5)
    assert report["status_label"] == "已完成（有错误）"
    assert (report["created"], report["merged"], report["skipped"]) == (2, 1, 2)
    assert report["errors"] == [{"line": 3, "reason": report["errors"][0]["reason"]},
                                {"line": 4, "reason": "missing name"}]
    assert "bad-phone" in report["errors"][0]["reason"]
    page = admin.get(job_page).get_data(as_text=True)
    assert 'data-testid="progress-bar"' in page and "missing name" in page and "已完成（有错误）" in page
    assert "done_with_errors" not in page.replace('data-status="done_with_errors"', "")
    with db.tenant(tenant_ids["a"]) as session:
        merged = customers.find_by_phone(session, "13655550005")[0]
        assert merged.address == "三里屯" and len(merged.phones) == 2
    assert pages_as(world.analyst_b).get(f"/records/api/imports/{job_id}").status_code == 404


def test_export_of_the_current_filter_imports_back_unchanged(db, pages_as, world, tenant_ids, unique) -> None:
    admin = pages_as(world.admin_a)
    tag = unique("往返")
    _create(admin, tag + "一", "13677770001;13677770002", address="北京,朝阳", vip="1", flags="monthly_settlement",
            note='说"明"')
    _create(admin, tag + "二", "13677770003")
    exported = admin.get(f"/records/customers/export?format=csv&q={tag}")
    assert exported.status_code == 200 and exported.headers["Content-Disposition"].endswith("customers.csv")
    text = exported.get_data().decode("utf-8-sig")
    assert text.count(tag) == 2 and "13677770001;13677770002" in text and "是" in text
    workbook = admin.get(f"/records/customers/export?format=xlsx&q={tag}")
    sheet = openpyxl.load_workbook(io.BytesIO(workbook.get_data()), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:2] == ("name", "phones") and len(rows) == 3
    from hotline.platform.services import import_jobs

    with db.tenant(tenant_ids["a"]) as session:
        before = [(c.name, sorted(p.phone for p in c.phones), c.address, c.vip, c.flags, c.note)
                  for c in customers.search(session, text=tag)[0]]
        job_id = import_jobs.create(session, "back.csv", exported.get_data(), "t").id
    job = import_jobs.run(db, tenant_ids["a"], job_id)
    assert (job.created, job.merged, job.skipped) == (0, 2, 0)
    with db.tenant(tenant_ids["a"]) as session:
        after = [(c.name, sorted(p.phone for p in c.phones), c.address, c.vip, c.flags, c.note)
                 for c in customers.search(session, text=tag)[0]]
    assert after == before
    assert admin.get("/records/customers/export?format=pdf").status_code == 400


def test_the_customer_list_shows_flag_labels(db, pages_as, world, tenant_ids, unique) -> None:
    """Issue 11 QA, item 3: the 标记 column showed monthly_settlement."""
    name = unique("月结")
    with db.tenant(tenant_ids["a"]) as session:
        customers.create(session, name, ["139" + unique("")[-8:].translate(str.maketrans("abcdef", "123456"))],
                         flags=["monthly_settlement"], actor="test")
    html = pages_as(world.agent_a).get(f"/records/customers?q={name}").get_data(as_text=True)
    row = html.split(name)[-1].split("</tr>", 1)[0]  # the last mention: the row (the first is the search box)
    flags = row.split('class="flags">', 1)[1].split("</td>", 1)[0]
    assert flags == "月结客户" and "monthly_settlement" not in row


def test_the_customer_form_and_export_show_flag_labels_and_take_them_back(db, pages_as, world, tenant_ids,
                                                                          unique) -> None:
    """Issue 11 QA, item 3: the edit form's flags field (and the export) showed monthly_settlement; the label
    typed or exported back is stored as the flag the rules read, and a tenant's own flag stays as typed."""
    name = unique("月结表单")
    phone = "139" + unique("")[-8:].translate(str.maketrans("abcdef", "123456"))
    with db.tenant(tenant_ids["a"]) as session:
        customer = customers.create(session, name, [phone], flags=["monthly_settlement", "大客户"], actor="test")
        customer_id = customer.id
    admin = pages_as(world.admin_a)
    form = admin.get(f"/records/customers/{customer_id}").get_data(as_text=True)
    field = form.split('name="flags"', 1)[1].split(">", 1)[0]
    assert 'value="月结客户、大客户"' in field and "monthly_settlement" not in form
    exported = admin.get(f"/records/customers/export?format=csv&q={name}").get_data().decode("utf-8-sig")
    assert "月结客户;大客户" in exported and "monthly_settlement" not in exported
    saved = admin.post(f"/records/customers/{customer_id}", {"name": name, "phones": phone, "address": "",
                                                            "flags": "月结客户、大客户", "note": ""})
    assert saved.status_code == 302
    with db.tenant(tenant_ids["a"]) as session:
        assert customers.get(session, customer_id).flags == ["monthly_settlement", "大客户"]
    english = admin.get(f"/records/customers/{customer_id}?lang=en").get_data(as_text=True)
    assert 'value="Monthly settlement、大客户"' in english
