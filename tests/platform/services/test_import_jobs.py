"""Customer imports as jobs: per-line errors while good lines import, merges by phone, progress on the row."""

from __future__ import annotations

import io

import openpyxl
import pytest
from sqlalchemy import select

from hotline.platform.db import Database
from hotline.platform.models import Customer, CustomerPhone, ImportJob
from hotline.platform.services import customers, import_jobs
from hotline.platform.services.errors import InvalidDocument
from tests.platform import factories


@pytest.fixture(scope="module")
def tenant_id(db: Database) -> int:
    with db.platform() as session:
        return factories.tenant(session, "imp").id


def _run(db: Database, tenant_id: int, content: bytes, filename: str = "c.csv", **kwargs) -> ImportJob:
    with db.tenant(tenant_id) as session:
        job_id = import_jobs.create(session, filename, content, "tester").id
    return import_jobs.run(db, tenant_id, job_id, **kwargs)


def _by_phone(db: Database, tenant_id: int, phone: str) -> Customer | None:
    with db.tenant(tenant_id) as session:
        found = customers.find_by_phone(session, phone)
        return found[0] if found else None


def test_bad_lines_are_reported_with_line_and_reason_while_good_lines_import(db, tenant_id) -> None:
    content = ("\ufeffname,phones,address,vip,company\n"
               "张三,13700000001,望京SOHO,是,云帆\n"
               ",13700000002,,,\n"
               "李四,call me,,,\n"
               "王五,13700000003;13700000004,,maybe,\n"
               "\n"
               "赵六,13700000005,国贸,否,\n").encode()
    job = _run(db, tenant_id, content)
    assert (job.status, job.total, job.done, job.created, job.merged, job.skipped) == \
        ("done_with_errors", 5, 5, 2, 0, 3)
    assert [line for line, _ in job.errors] == [3, 4, 5]
    reasons = dict(job.errors)
    assert reasons[3] == "missing name" and "call me" in reasons[4] and "maybe" in reasons[5]
    zhang = _by_phone(db, tenant_id, "13700000001")
    assert zhang.vip is True and zhang.address == "望京SOHO" and zhang.data == {"company": "云帆"}
    assert _by_phone(db, tenant_id, "13700000002") is None
    assert job.content is None and job.finished_at is not None


def test_duplicates_are_merged_by_phone_in_the_file_and_against_existing_customers(db, tenant_id) -> None:
    with db.tenant(tenant_id) as session:
        existing = customers.create(session, "老客户", ["13711111111"], flags=["vip_line"], actor="t").id
    content = ("name,phones,address,flags\n"
               "老客户新名,13711111111;13711111112,新地址,monthly_settlement\n"
               "新客户,13722222221,,\n"
               "新客户,13722222221;13722222222,朝阳区,a\n").encode()
    job = _run(db, tenant_id, content, batch=2)  # the same-file duplicate falls into the next batch
    assert (job.created, job.merged, job.skipped) == (1, 2, 0)
    merged = _by_phone(db, tenant_id, "13711111112")
    assert merged.id == existing and merged.name == "老客户新名" and merged.address == "新地址"
    assert sorted(p.phone for p in merged.phones) == ["13711111111", "13711111112"]
    assert merged.flags == ["vip_line", "monthly_settlement"]
    new = _by_phone(db, tenant_id, "13722222222")
    assert new.address == "朝阳区" and sorted(p.phone for p in new.phones) == ["13722222221", "13722222222"]


def test_a_line_whose_phones_belong_to_two_customers_is_refused(db, tenant_id) -> None:
    with db.tenant(tenant_id) as session:
        customers.create(session, "甲", ["13733333331"], actor="t")
        customers.create(session, "乙", ["13733333332"], actor="t")
    job = _run(db, tenant_id, "name,phones\n合并,13733333331;13733333332\n".encode())
    assert job.skipped == 1 and "several customers" in job.errors[0][1] and job.errors[0][0] == 2


def test_an_excel_workbook_imports_with_sheet_row_numbers(db, tenant_id) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name", "phones", "vip"])
    sheet.append(["表格客户", 13744444441, "是"])
    sheet.append(["坏行", "x", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    job = _run(db, tenant_id, buffer.getvalue(), filename="book.xlsx")
    assert (job.created, job.skipped) == (1, 1) and job.errors[0][0] == 3
    assert _by_phone(db, tenant_id, "13744444441").vip is True


def test_a_header_without_phones_refuses_the_whole_file(db, tenant_id) -> None:
    job = _run(db, tenant_id, "name,address\n某人,某地\n".encode())
    assert (job.status, job.created, job.skipped) == ("done_with_errors", 0, 1)
    assert job.errors[0][0] == 1 and "phones" in job.errors[0][1]


def test_a_file_in_no_known_encoding_is_reported_not_crashed(db, tenant_id) -> None:
    job = _run(db, tenant_id, b"name,phones\n\x81\x30\xff,13755555551\n")
    assert job.status == "done_with_errors" and job.created == 0 and "UTF-8" in job.errors[0][1]


def test_uploads_that_cannot_be_imports_are_refused_up_front(db, tenant_id) -> None:
    with db.tenant(tenant_id) as session:
        with pytest.raises(InvalidDocument, match="cannot be imported") as empty:
            import_jobs.create(session, "a.csv", b"", "t")
        assert empty.value.findings[0].message == "the file is empty"
        with pytest.raises(InvalidDocument) as unknown:
            import_jobs.create(session, "a.pdf", b"%PDF-1.4", "t")
        assert "neither CSV nor Excel" in unknown.value.findings[0].message


def test_a_job_runs_once_even_if_enqueued_twice(db, tenant_id) -> None:
    with db.tenant(tenant_id) as session:
        job_id = import_jobs.create(session, "c.csv", "name,phones\n一次,13766666661\n".encode(), "t").id
    first = import_jobs.run(db, tenant_id, job_id)
    second = import_jobs.run(db, tenant_id, job_id)
    assert first.created == second.created == 1
    with db.tenant(tenant_id) as session:
        assert session.scalar(select(CustomerPhone.customer_id).where(CustomerPhone.phone == "13766666661"))
        assert len(customers.find_by_phone(session, "13766666661")) == 1


def test_progress_is_committed_batch_by_batch(db, tenant_id) -> None:
    lines = "".join(f"批量{i},1378888{i:04d}\n" for i in range(7))
    seen: list[tuple[int, int]] = []

    def watch(job: ImportJob) -> None:
        with db.tenant(tenant_id) as session:  # another transaction sees the batch committed
            row = session.get(ImportJob, job.id)
            seen.append((row.done, row.total))

    job = _run(db, tenant_id, f"name,phones\n{lines}".encode(), batch=3, on_batch=watch)
    assert seen == [(3, 7), (6, 7), (7, 7)] and job.created == 7


def test_a_crash_mid_import_keeps_the_batches_done_and_says_why(db, tenant_id, monkeypatch) -> None:
    real = import_jobs.import_batch
    calls = []

    def second_batch_fails(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(import_jobs, "import_batch", second_batch_fails)
    lines = "".join(f"中断{i},1379999{i:04d}\n" for i in range(5))
    with db.tenant(tenant_id) as session:
        job_id = import_jobs.create(session, "c.csv", f"name,phones\n{lines}".encode(), "t").id
    with pytest.raises(RuntimeError):
        import_jobs.run(db, tenant_id, job_id, batch=2)
    with db.tenant(tenant_id) as session:
        job = session.get(ImportJob, job_id)
        assert (job.status, job.done, job.created) == ("failed", 2, 2)
        assert job.failure == "RuntimeError: database went away"
        assert customers.find_by_phone(session, "13799990001") and not customers.find_by_phone(session, "13799990002")
