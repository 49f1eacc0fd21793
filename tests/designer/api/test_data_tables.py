"""Data tables over the JSON API: rows listed, read, upserted, deleted; a CSV/.xlsx file loaded by a real RQ
worker with a report per line (the request only queues it); exported and loaded back; never another tenant's;
documented in /api/openapi.json."""

from __future__ import annotations

import io
import uuid
from collections.abc import Callable

import openpyxl
import pytest

from hotline.platform.jobs import Queues
from tests.jobs_support import run_worker

from ..conftest import Api, World

WAYBILLS = "/api/data-tables/waybills"


@pytest.fixture
def analyst(world: World, api_as: Callable[..., Api]) -> Api:
    return api_as(world.analyst_a)


def _post(api: Api, name: str, content: bytes, filename: str):  # type: ignore[no-untyped-def]
    return api.client.post(f"/api/data-tables/{name}/import", data={"file": (io.BytesIO(content), filename)},
                           headers={"X-CSRFToken": api.token or api.refresh_token()},
                           content_type="multipart/form-data")


def _upload(api: Api, name: str, content: bytes, filename: str, queues: Queues) -> dict:
    """Queues the file (202, nothing loaded yet), runs a real worker, and returns the finished job's report
    in the shape the tests read: errors as [line, reason]."""
    response = _post(api, name, content, filename)
    assert response.status_code == 202, response.get_json()
    queued = response.get_json()
    assert queued["status"] == "queued" and queued["status_label"] and queues.default.count == 1
    progress = queued["progress"]

    def finished() -> bool:
        return api.get(progress).get_json()["status"] not in ("queued", "running")

    run_worker(queues, until=finished)
    report = api.get(progress).get_json()
    assert report["table"] == name and report["status"] in ("done", "done_with_errors"), report
    assert report["status"] == ("done_with_errors" if report["errors"] else "done")
    return {**report, "errors": [[e["line"], e["reason"]] for e in report["errors"]]}


def test_the_templates_waybills_are_listed_and_read(analyst: Api) -> None:
    tables = {t["name"]: t for t in analyst.get("/api/data-tables").get_json()["tables"]}
    assert tables["waybills"]["rows"] >= 12 and tables["waybills"]["label"] == "运单状态"
    page = analyst.get(f"{WAYBILLS}/rows?prefix=77300123456&limit=3").get_json()
    assert len(page["rows"]) == 3 and page["total"] >= 9
    assert analyst.get(f"{WAYBILLS}/rows/7730012345601").get_json()["data"]["status"] == "派送中"
    assert analyst.get(f"{WAYBILLS}/rows/nope").status_code == 404
    assert analyst.get("/api/data-tables/nope/rows").status_code == 404
    assert analyst.get(f"{WAYBILLS}/rows?limit=x").status_code == 400


def test_a_row_is_created_replaced_and_deleted(analyst: Api) -> None:
    key = f"YT{uuid.uuid4().int % 10**10:010d}"
    created = analyst.put(f"{WAYBILLS}/rows/{key}", {"data": {"status": "已揽收", "location": "望京网点"}})
    assert created.status_code == 201
    replaced = analyst.put(f"{WAYBILLS}/rows/{key}", {"data": {"status": "派送中"}})
    assert replaced.status_code == 200 and replaced.get_json()["data"] == {"status": "派送中"}
    assert analyst.write("delete", f"{WAYBILLS}/rows/{key}").status_code == 204
    assert analyst.get(f"{WAYBILLS}/rows/{key}").status_code == 404


def test_a_bad_row_is_refused_with_each_field(analyst: Api) -> None:
    response = analyst.put(f"{WAYBILLS}/rows/K1", {"data": {"status": {"nested": 1}, "bad name": "x",
                                                            "note": "长" * 1001}})
    assert response.status_code == 422
    pointers = {f["pointer"] for f in response.get_json()["findings"]}
    assert pointers == {"/data/status", "/data/bad name", "/data/note"}
    assert analyst.put(f"{WAYBILLS}/rows/K1", [1, 2]).status_code == 400


@pytest.mark.redis
def test_a_csv_file_loads_good_lines_and_reports_each_bad_one(analyst: Api, queues: Queues) -> None:
    csv_text = ("key,status,location\n"
                "SF0000000001,已揽收,上海浦东\n"
                "SF0000000002,运输中,北京顺义,多余\n"
                ",派送中,北京\n"
                "SF0000000001,重复,重复\n"
                "7730012345601,已签收,北京朝阳望京网点\n")
    report = _upload(analyst, "waybills", csv_text.encode(), "waybills.csv", queues)
    assert (report["created"], report["updated"], report["skipped"], report["total"]) == (1, 1, 3, 5)
    assert [line for line, _ in report["errors"]] == [3, 4, 5]
    assert "header has 3 columns" in report["errors"][0][1] and "repeats line 2" in report["errors"][2][1]
    assert analyst.get(f"{WAYBILLS}/rows/SF0000000001").get_json()["data"] == {"status": "已揽收",
                                                                                 "location": "上海浦东"}
    assert analyst.get(f"{WAYBILLS}/rows/7730012345601").get_json()["data"]["status"] == "已签收"


@pytest.mark.redis
def test_a_file_without_the_key_column_imports_nothing(analyst: Api, queues: Queues) -> None:
    report = _upload(analyst, "waybills", "status,key\n已揽收,X1\n".encode(), "w.csv", queues)
    assert report["created"] == 0 and report["errors"][0][0] == 1 and "first column" in report["errors"][0][1]
    report = _upload(analyst, "waybills", b"key\x81\x30\xff", "w.csv", queues)  # no text encoding reads this
    assert "neither UTF-8, UTF-16 nor GBK/GB18030" in report["errors"][0][1]


@pytest.mark.redis
def test_an_xlsx_file_loads_with_its_row_numbers(analyst: Api, queues: Queues) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["运单号", "status"])
    sheet.append([7730099990001, "派送中"])  # a number cell: the key stays its digits
    sheet.append(["x" * 201, "太长"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    tables = {t["name"]: t for t in analyst.get("/api/data-tables").get_json()["tables"]}
    assert tables["waybills"]["key_label"] in ("waybill", "运单号", "key")
    content = buffer.getvalue()
    if tables["waybills"]["key_label"] != "运单号":  # the header may name the key "key" or the key label
        workbook.active["A1"] = "key"
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    report = _upload(analyst, "waybills", content, "w.xlsx", queues)
    assert report["created"] == 1 and report["errors"] == [[3, "key: a key has at most 200 characters"]]
    assert analyst.get(f"{WAYBILLS}/rows/7730099990001").get_json()["data"] == {"status": "派送中"}


@pytest.mark.redis
def test_an_export_loads_back_unchanged(analyst: Api, queues: Queues) -> None:
    analyst.put(f"{WAYBILLS}/rows/EXP1", {"data": {"status": "=HYPERLINK(\"x\")", "eta": "-5"}})
    exported = analyst.get(f"{WAYBILLS}/export")
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    text = exported.get_data().decode("utf-8-sig")
    assert text.splitlines()[0].startswith("key,") and "'=HYPERLINK" in text and ",-5" in text
    before = analyst.get(f"{WAYBILLS}/rows?limit=500").get_json()["rows"]
    report = _upload(analyst, "waybills", exported.get_data(), "export.csv", queues)
    assert report["errors"] == [] and report["created"] == 0 and report["updated"] == len(before)
    after = {r["key"]: r["data"] for r in analyst.get(f"{WAYBILLS}/rows?limit=500").get_json()["rows"]}
    for row in before:  # the formula-looking text too: the export's ' prefix is removed on import
        assert {k: v for k, v in after[row["key"]].items() if v != ""} == row["data"]


def test_another_tenants_table_is_never_reached(world: World, api_as: Callable[..., Api]) -> None:
    a, b = api_as(world.analyst_a), api_as(world.analyst_b)
    key = f"ONLYA{uuid.uuid4().hex[:6]}"
    assert a.put(f"{WAYBILLS}/rows/{key}", {"data": {"status": "甲"}}).status_code == 201
    assert b.get(f"{WAYBILLS}/rows/{key}").status_code == 404
    assert b.write("delete", f"{WAYBILLS}/rows/{key}").status_code == 404
    assert key not in b.get(f"{WAYBILLS}/export").get_data().decode("utf-8-sig")
    assert a.get(f"{WAYBILLS}/rows/{key}").status_code == 200


def test_agents_may_read_but_not_change(world: World, api_as: Callable[..., Api]) -> None:
    agent = api_as(world.agent_a)
    assert agent.get(f"{WAYBILLS}/rows/7730012345602").status_code == 200
    assert agent.put(f"{WAYBILLS}/rows/7730012345602", {"data": {"status": "x"}}).status_code == 403


def test_the_api_is_documented(analyst: Api) -> None:
    paths = analyst.get("/api/openapi.json").get_json()["paths"]
    assert set(paths["/api/data-tables/{name}/rows/{key}"]) >= {"get", "put", "delete"}
    assert "post" in paths["/api/data-tables/{name}/import"] and "get" in paths["/api/data-tables/{name}/export"]
    assert "202" in paths["/api/data-tables/{name}/import"]["post"]["responses"]
    assert "get" in paths["/api/data-tables/imports/{job_id}"]


@pytest.mark.redis
def test_the_request_only_queues_the_file_and_bad_files_are_refused_at_once(analyst: Api, world: World,
                                                                            api_as: Callable[..., Api],
                                                                            queues: Queues) -> None:
    """A large file must not hold the web worker: the rows appear only when a worker has run the job. An empty
    or non-spreadsheet file, or an unknown table, is refused in the request, naming the problem."""
    key = f"Q{uuid.uuid4().hex[:8]}"
    response = _post(analyst, "waybills", f"key,status\n{key},已揽收\n".encode(), "w.csv")
    assert response.status_code == 202 and response.headers["Location"] == response.get_json()["progress"]
    assert analyst.get(f"{WAYBILLS}/rows/{key}").status_code == 404  # queued, not loaded in the request
    refused = _post(analyst, "waybills", b"%PDF-1.4", "scan.pdf")
    assert refused.status_code == 422 and "neither CSV nor Excel" in refused.get_json()["findings"][0]["message"]
    assert _post(analyst, "nope", b"key\nx\n", "w.csv").status_code == 404
    assert queues.default.count == 1
    # another tenant's analyst never sees the job; an agent may not import
    job = response.get_json()["progress"]
    assert api_as(world.analyst_b).get(job).status_code == 404
    assert _post(api_as(world.agent_a), "waybills", b"key\nx\n", "w.csv").status_code == 403


@pytest.mark.redis
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_an_import_over_the_row_cap_loads_up_to_it_and_reports_the_rest_once(
        analyst: Api, queues: Queues, monkeypatch: pytest.MonkeyPatch, fmt: str) -> None:
    """QA 10.3: the job stops reading at the row cap (200,000; 3 here), loads the rows before it and reports
    the rest as one error line, instead of reading the whole file first."""
    from hotline.platform.services import import_files

    monkeypatch.setattr(import_files, "MAX_ROWS", 3)
    rows = [["key", "status"]] + [[f"77300999{i:05d}", "在途"] for i in range(6)] + [["bad\x00key", "x"]]
    if fmt == "xlsx":
        workbook = openpyxl.Workbook()
        for row in rows[:-1]:  # openpyxl itself refuses NUL: the sheet ends with six good rows
            workbook.active.append(row)
        buffer = io.BytesIO()
        workbook.save(buffer)
        content = buffer.getvalue()
    else:
        content = "".join(",".join(row) + "\n" for row in rows).encode()
    report = _upload(analyst, "waybills", content, f"w.{fmt}", queues)
    assert report["created"] + report.get("updated", 0) == 3, report
    [(line, reason)] = report["errors"]  # one line for the rest, not one per line after the cap
    assert line == 5 and "more than 3" in reason and "split the file" in reason
    assert analyst.get(f"{WAYBILLS}/rows/7730099900002").status_code == 200
    assert analyst.get(f"{WAYBILLS}/rows/7730099900003").status_code == 404
