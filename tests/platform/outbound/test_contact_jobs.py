"""Contact list imports as background jobs: batches commit their progress, duplicates are caught across batches,
bad lines are reported by line number while the good ones import, and another tenant's job is not found."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select

from hotline.platform.db import Database
from hotline.platform.models import Contact, ImportJob
from hotline.platform.outbound import contact_jobs, contacts
from hotline.platform.services import import_jobs, templates
from hotline.platform.services.errors import InvalidDocument, NotFound

CSV = "姓名,手机\n甲,13800000001\n乙,oops\n丙,13800000002\n丁,138 0000 0001\n戊,13800000003\n"


@pytest.fixture(scope="module")
def tenants(db: Database) -> tuple[int, int]:
    ids = []
    for prefix in ("ja", "jb"):
        with db.platform() as session:
            ids.append(templates.clone(session, templates.load("express_delivery"),
                                       f"{prefix}{uuid.uuid4().hex[:8]}", None, "test").id)
    return ids[0], ids[1]


def test_a_job_imports_in_batches_with_line_errors_and_duplicates_across_batches(db: Database, tenants) -> None:
    a, b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "后台导入", "service", "op")
        job_id = contact_jobs.create(session, contact_list, "l.csv", CSV.encode("gbk"), "op").id
        list_id = contact_list.id
        assert import_jobs.recent(session) == []  # the customer import's list shows customer imports only
    job = contact_jobs.run(db, a, job_id, batch=2)
    assert (job.status, job.total, job.done, job.created, job.merged, job.skipped) == (
        "done_with_errors", 5, 5, 3, 1, 1)
    assert job.errors == [[3, {"code": "number.not_chinese", "raw": "oops"}],
                          [5, {"code": "contacts.duplicate_in_file", "phone": "+8613800000001", "first": 2}]]
    with db.tenant(a) as session:
        assert session.scalar(select(func.count()).where(Contact.list_id == list_id)) == 3
        assert session.get(ImportJob, job_id).content is None  # the upload is dropped once imported
        with pytest.raises(NotFound):
            import_jobs.get(session, job_id)  # not a customer import
        with pytest.raises(InvalidDocument, match="cannot be imported"):
            contact_jobs.create(session, session.get(type(contact_list), list_id), "x.pdf", b"%PDF", "op")
    assert contact_jobs.run(db, a, job_id).status == "done_with_errors"  # a finished job is left alone
    with db.tenant(b) as session, pytest.raises(NotFound):
        contact_jobs.get(session, job_id)


def test_a_job_that_fails_reading_its_file_says_so_instead_of_staying_queued(db: Database, tenants,
                                                                             monkeypatch) -> None:
    """QA 13 #N: a failed import job showed 排队中 forever, with no error."""
    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "读取失败", "service", "op")
        job_id = contact_jobs.create(session, contact_list, "l.csv", CSV.encode("gbk"), "op").id

    def broken(*_args, **_kwargs):  # type: ignore[no-untyped-def]
        raise OSError("disk gone")

    monkeypatch.setattr(contact_jobs, "parse_file", broken)
    with pytest.raises(OSError):
        contact_jobs.run(db, a, job_id)
    with db.tenant(a) as session:
        job = contact_jobs.as_dict(contact_jobs.get(session, job_id))
    assert (job["status"], job["finished"]) == ("failed", True) and "disk gone" in job["failure"]


def test_a_failed_job_retried_resumes_after_its_batches_without_importing_a_contact_twice(
        db: Database, tenants, monkeypatch) -> None:
    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "重试导入", "service", "op")
        job_id = contact_jobs.create(session, contact_list, "l.csv", CSV.encode("gbk"), "op").id
        list_id = contact_list.id
        with pytest.raises(InvalidDocument, match="cannot be retried"):
            contact_jobs.retry(session, contact_jobs.get(session, job_id), "op")  # queued, not failed
    real, calls = contacts.import_rows, []

    def dies_on_the_second_batch(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise ConnectionError("database went away")
        return real(*args, **kwargs)

    monkeypatch.setattr(contact_jobs, "import_rows", dies_on_the_second_batch)
    with pytest.raises(ConnectionError):
        contact_jobs.run(db, a, job_id, batch=2)
    with db.tenant(a) as session:
        job = contact_jobs.get(session, job_id)
        assert (job.status, job.done, contact_jobs.as_dict(job)["retryable"]) == ("failed", 2, True)
        contact_jobs.retry(session, job, "op")
    monkeypatch.setattr(contact_jobs, "import_rows", real)
    job = contact_jobs.run(db, a, job_id, batch=2)
    assert (job.status, job.total, job.done, job.created, job.merged, job.skipped) == (
        "done_with_errors", 5, 5, 3, 1, 1)  # the same report as a run that never failed
    assert job.errors == [[3, {"code": "number.not_chinese", "raw": "oops"}],  # codes survive the resume
                          [5, {"code": "contacts.duplicate_in_file", "phone": "+8613800000001", "first": 2}]]
    with db.tenant(a) as session:
        phones = list(session.scalars(select(Contact.phone_e164).where(Contact.list_id == list_id)))
        assert sorted(phones) == ["+8613800000001", "+8613800000002", "+8613800000003"]
        with pytest.raises(InvalidDocument, match="cannot be retried"):
            contact_jobs.retry(session, contact_jobs.get(session, job_id), "op")  # done: the upload is gone


@pytest.mark.parametrize(("content", "code"), [
    ("姓名,地址\n张三,北京\n".encode(), "contacts.no_phone_column"),
    ("姓名,手机\n张三,oops\n李四,12\n".encode(), "contacts.nothing_imported"),
])
def test_an_import_that_imports_nothing_is_failed_with_the_reason(db: Database, tenants, content: bytes,
                                                                  code: str) -> None:
    """QA 13f #3: a file without a phone column showed 已完成（部分行有错误） though nothing was imported."""
    from hotline.platform.outbound import reasons

    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, f"无可导入-{code}", "service", "op")
        job_id = contact_jobs.create(session, contact_list, "l.csv", content, "op").id
    job = contact_jobs.run(db, a, job_id)
    assert job.status == "failed" and reasons.decode(job.failure)["code"] == code
    with db.tenant(a) as session:
        shown = contact_jobs.as_dict(contact_jobs.get(session, job_id))
        assert shown["finished"] and shown["upload_again"] and not shown["retryable"]


def test_an_over_long_cell_is_refused_naming_its_column_and_the_counts_add_up(db: Database, tenants) -> None:
    """QA 13f #4: "column 1 is 20,000 characters long; at most 10,000" in English, by position, and a two-line file
    read as "已读取 1 / 1 行 · 已导入: 1 · 被拒绝的行: 1"."""
    a, _b = tenants
    content = f"姓名,手机\n{'长' * 20_000},13800000011\n张三,13800000012\n".encode()
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "超长单元格", "service", "op")
        job_id = contact_jobs.create(session, contact_list, "l.csv", content, "op").id
    job = contact_jobs.run(db, a, job_id)
    assert (job.status, job.total, job.done, job.created, job.skipped) == ("done_with_errors", 2, 2, 1, 1)
    assert job.errors == [[2, {"code": "contacts.cell_too_long", "column": "姓名", "length": 20_000,
                               "most": 10_000}]]


def test_an_import_whose_worker_died_is_shown_interrupted_and_resumes_on_retry(db: Database, tenants,
                                                                              monkeypatch) -> None:
    """QA 13f #2: after a restart of `hotline up` an import stayed 导入中 · 已读取 2 / 5 行 forever, no retry."""
    from datetime import timedelta

    from hotline.platform.outbound import reasons

    a, _b = tenants
    with db.tenant(a) as session:
        contact_list = contacts.create_list(session, "中断导入", "service", "op")
        job_id = contact_jobs.create(session, contact_list, "l.csv", CSV.encode("gbk"), "op").id
    real, calls = contacts.import_rows, []

    def killed_on_the_second_batch(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise SystemExit(143)  # the process ends: no handler marks the job
        return real(*args, **kwargs)

    monkeypatch.setattr(contact_jobs, "import_rows", killed_on_the_second_batch)
    with pytest.raises(SystemExit):
        contact_jobs.run(db, a, job_id, batch=2)
    monkeypatch.setattr(contact_jobs, "import_rows", real)
    with db.tenant(a) as session:
        job = contact_jobs.get(session, job_id)
        soon = job.created_at + timedelta(seconds=30)
        assert not contact_jobs.mark_interrupted(job, live=set(), now=soon)  # just queued: give it time
        assert not contact_jobs.mark_interrupted(job, live={job_id}, now=soon + contact_jobs.GONE_AFTER)
        assert contact_jobs.mark_interrupted(job, live=set(), now=soon + contact_jobs.GONE_AFTER)
        shown = contact_jobs.as_dict(job)
        assert (shown["status"], shown["done"], shown["retryable"]) == ("failed", 2, True)
        assert reasons.decode(shown["failure"])["code"] == "contacts.interrupted"
        contact_jobs.retry(session, job, "op")
    job = contact_jobs.run(db, a, job_id, batch=2)
    assert (job.status, job.total, job.done, job.created, job.merged, job.skipped) == (
        "done_with_errors", 5, 5, 3, 1, 1)
