"""Schema validation alone vs validation + lint + publish, for generated IVRs of 100, 1,000, 10,000 nodes.

Goal (issue 2): lint and publish add at most 2× over schema validation alone, and a 1,000-node IVR
publishes in under 250 ms. Prints medians of several runs; run with `python bench/validate.py`.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import FORM, QUEUE, TABLE, ivr
from hotline.platform import schema_migrations
from hotline.platform.db import Database
from hotline.platform.kinds.lint import check
from hotline.platform.kinds.validation import validate_schema, validator
from hotline.platform.models import DataTable, Queue
from hotline.platform.services import lint_context
from hotline.platform.services.documents import DocumentService
from hotline.platform.services.tenants import create_tenant

PICKUP_FORM = {
    "title": "取件",
    "schema": {"type": "object", "properties": {"phone": {"type": "string", "title": "电话"}}},
    "statuses": [{"name": "pending", "label": "待处理", "color": "#000000", "initial": True}],
    "transitions": [],
}


def timed(fn, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    db = Database(f"sqlite:///{folder / 'bench.sqlite3'}")
    schema_migrations.upgrade(db)
    with db.platform() as session:
        tenant_id = create_tenant(session, "bench", "Bench", "bench").id
    with db.tenant(tenant_id) as session:
        session.add_all([Queue(name=QUEUE, label="综合"), DataTable(name=TABLE, label="运单")])
        DocumentService(session, "bench").create("form", FORM, PICKUP_FORM)
        DocumentService(session, "bench").publish("form", FORM)
    print(f"{'nodes':>7} {'schema ms':>10} {'check ms':>10} {'publish ms':>11} {'publish/schema':>15} "
          f"{'py-schema ms':>13} {'publish/py-schema':>18}")
    for size in (100, 1_000, 10_000):
        body = ivr(size)
        repeat = 7 if size < 10_000 else 3
        with db.tenant(tenant_id) as session:
            ctx = lint_context.build(session)
        assert not [f for f in check("ivr", body, ctx) if f.severity == "error"], check("ivr", body, ctx)[:5]
        schema_s = timed(lambda b=body: validate_schema("ivr", b), repeat)
        py_schema_s = timed(lambda b=body: list(validator("ivr").iter_errors(b)), 1 if size >= 10_000 else 3)
        check_s = timed(lambda b=body, c=ctx: check("ivr", b, c), repeat)
        name = f"ivr{size}"
        with db.tenant(tenant_id) as session:
            DocumentService(session, "bench").create("ivr", name, body)

        def publish(n: str = name) -> None:
            with db.tenant(tenant_id) as session:
                DocumentService(session, "bench").publish("ivr", n, note="bench")

        publish_s = timed(publish, repeat)
        print(f"{len(body['nodes']):>7} {schema_s * 1000:>10.1f} {check_s * 1000:>10.1f} {publish_s * 1000:>11.1f} "
              f"{publish_s / schema_s:>14.2f}x {py_schema_s * 1000:>13.1f} {publish_s / py_schema_s:>17.2f}x")
    print("schema = the validity check publishing runs (jsonschema-rs); py-schema = pure-Python jsonschema, "
          "which words the findings of invalid documents")
    print("check = schema + lint; publish = load draft + schema + lint + new version + audit, committed on SQLite")


if __name__ == "__main__":
    main()
