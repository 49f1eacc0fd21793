"""The industry templates in tenant_templates/: complete, schema-valid, lint-clean bundles.

Each template is a folder: template.json (the manifest: settings, skills, queues, prompts, directories,
tables, customers, knowledge-base articles and the list of documents) and one folder per document kind
holding <name>.json bodies. A tenant admin clones one of them, so every document must publish as is.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from hotline.platform.kinds import KINDS
from hotline.platform.kinds.context import FormInfo, LintContext
from hotline.platform.kinds.validation import validate_schema

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "tenant_templates"
TEMPLATES = sorted(p.name for p in TEMPLATES_DIR.iterdir() if (p / "template.json").is_file())
EXPECTED = {"express_delivery", "property_management", "telecom_hotline"}

MANIFEST_KEYS = {"name", "title", "industry", "description", "settings", "skills", "queues", "prompts",
                 "directories", "tables", "customers", "articles", "documents"}
SETTINGS_KEYS = {"timezone", "locale", "calendar", "transfer_allow_list", "fallback_queue"}
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
LANDLINE = re.compile(r"^0[1-9][0-9]{1,2}-?[0-9]{7,8}$")
CJK = re.compile(r"[\u4e00-\u9fff]")


@cache
def manifest(template: str) -> dict[str, Any]:
    return json.loads((TEMPLATES_DIR / template / "template.json").read_text(encoding="utf-8"))


@cache
def source(template: str, kind: str, name: str) -> str:
    return (TEMPLATES_DIR / template / kind / f"{name}.json").read_text(encoding="utf-8")


@cache
def body(template: str, kind: str, name: str) -> dict[str, Any]:
    return json.loads(source(template, kind, name))


def documents() -> list[tuple[str, str, str]]:
    return [(template, kind, name) for template in TEMPLATES
            for kind in KINDS for name in manifest(template)["documents"].get(kind, [])]


DOCUMENTS = documents()
DOC_IDS = [f"{t}/{k}/{n}" for t, k, n in DOCUMENTS]


def lint_context(template: str) -> LintContext:
    """What the lint may look up, built from the template bundle as a cloned tenant would have it."""
    m = manifest(template)
    settings = m["settings"]
    forms = {}
    for name in m["documents"].get("form", []):
        form = body(template, "form", name)
        forms[name] = FormInfo(fields=frozenset(form["schema"]["properties"]),
                               statuses=frozenset(s["name"] for s in form["statuses"]))
    return LintContext(
        forms=forms,
        queues={q["name"] for q in m["queues"]},
        scripts=set(m["documents"].get("outbound", [])),
        directories={d["name"] for d in m["directories"]},
        prompts={p["name"] for p in m["prompts"]},
        tables={t["name"] for t in m["tables"]},
        skills={s["name"] for s in m["skills"]},
        allowed_transfer_numbers=list(settings.get("transfer_allow_list", [])),
        has_calendar=bool(settings.get("calendar", {}).get("weekly")),
    )


def test_the_three_industry_templates_exist():
    assert set(TEMPLATES) >= EXPECTED


@pytest.mark.parametrize("template", TEMPLATES)
def test_manifest_has_the_required_keys(template):
    m = manifest(template)
    assert set(m) >= MANIFEST_KEYS, f"missing: {MANIFEST_KEYS - set(m)}"
    assert m["name"] == template
    for key in ("title", "description"):
        assert CJK.search(m[key]), f"{key} should be in Chinese"
    assert set(m["settings"]) >= SETTINGS_KEYS, f"missing settings: {SETTINGS_KEYS - set(m['settings'])}"
    assert m["settings"]["fallback_queue"] in {q["name"] for q in m["queues"]}
    assert "main" in m["documents"]["ivr"]
    assert set(m["documents"]) <= set(KINDS)


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_listed_document_exists_and_every_file_is_listed(template):
    m = manifest(template)
    folder = TEMPLATES_DIR / template
    for kind in KINDS:
        listed = m["documents"].get(kind, [])
        assert len(listed) == len(set(listed)), f"{kind} listed twice"
        on_disk = sorted(p.stem for p in (folder / kind).glob("*.json")) if (folder / kind).is_dir() else []
        assert sorted(listed) == on_disk, f"{kind}: listed {sorted(listed)}, files {on_disk}"
    extra = {p.name for p in folder.iterdir()} - {"template.json", *KINDS}
    assert not extra, f"unexpected entries in {template}/: {sorted(extra)}"


@pytest.mark.parametrize("template", TEMPLATES)
def test_json_files_are_pretty_printed_with_real_chinese(template):
    for path in sorted((TEMPLATES_DIR / template).rglob("*.json")):
        text = path.read_text(encoding="utf-8")
        assert text == json.dumps(json.loads(text), ensure_ascii=False, indent=2) + "\n", path


@pytest.mark.parametrize(("template", "kind", "name"), DOCUMENTS, ids=DOC_IDS)
def test_document_passes_the_schema(template, kind, name):
    findings = validate_schema(kind, body(template, kind, name))
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.parametrize(("template", "kind", "name"), DOCUMENTS, ids=DOC_IDS)
def test_document_has_a_chinese_title(template, kind, name):
    assert CJK.search(body(template, kind, name).get("title", ""))


@pytest.mark.parametrize(("template", "kind", "name"), DOCUMENTS, ids=DOC_IDS)
def test_document_is_lint_clean(template, kind, name):
    lint = pytest.importorskip("hotline.platform.kinds.lint", reason="lint not yet available")
    # The raw text goes along so that keys written twice (a menu digit) are reported too.
    findings = lint.check(kind, body(template, kind, name), lint_context(template), source(template, kind, name))
    assert not findings, "\n".join(map(str, findings))


@pytest.mark.parametrize("template", TEMPLATES)
def test_ivr_nodes_are_labelled_and_placed_on_the_canvas(template):
    for name in manifest(template)["documents"]["ivr"]:
        for node_id, node in body(template, "ivr", name)["nodes"].items():
            assert CJK.search(node.get("label", "")), f"{name}/{node_id} has no Chinese label"
            assert set(node.get("position", {})) == {"x", "y"}, f"{name}/{node_id} has no position"
        positions = [(n["position"]["x"], n["position"]["y"])
                     for n in body(template, "ivr", name)["nodes"].values()]
        assert len(positions) == len(set(positions)), f"{name}: two nodes drawn at the same place"


@pytest.mark.parametrize("template", TEMPLATES)
def test_business_calendar_is_valid(template):
    common = json.loads(resources.files("hotline.platform.kinds").joinpath("common.schema.json")
                        .read_text(encoding="utf-8"))
    calendar_schema = {**common, "$ref": "#/$defs/calendar"}
    settings = manifest(template)["settings"]
    validator = Draft202012Validator(calendar_schema, format_checker=FormatChecker())
    errors = [e.message for e in validator.iter_errors(settings["calendar"])]
    assert not errors, errors
    assert any(settings["calendar"]["weekly"].values()), "the calendar never opens"
    for zone in (settings["timezone"], settings["calendar"]["timezone"]):
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError):
            pytest.fail(f"{zone!r} is not an IANA time zone")


@pytest.mark.parametrize("template", TEMPLATES)
def test_manifest_names_are_unique_and_consistent(template):
    m = manifest(template)
    for section in ("skills", "queues", "prompts", "directories", "tables"):
        names = [item["name"] for item in m[section]]
        assert len(names) == len(set(names)), f"duplicate names in {section}"
        assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_-]{0,63}", n) for n in names), section
    skills = {s["name"] for s in m["skills"]}
    for queue in m["queues"]:
        assert set(queue["skills"]) <= skills, f"queue {queue['name']} names unknown skills"
        assert 0 <= queue["priority"] <= 9
    for prompt in m["prompts"]:
        assert CJK.search(prompt["text"]), f"prompt {prompt['name']} should be in Chinese"
    for table in m["tables"]:
        keys = [row["key"] for row in table["rows"]]
        assert keys and len(keys) == len(set(keys)), f"table {table['name']} has duplicate or no keys"


@pytest.mark.parametrize("template", TEMPLATES)
def test_directory_entries_have_phone_numbers(template):
    for directory in manifest(template)["directories"]:
        assert directory["entries"], f"directory {directory['name']} is empty"
        for entry in directory["entries"]:
            phone = entry["phone"]
            assert MOBILE.match(phone) or LANDLINE.match(phone), f"{directory['name']}/{entry['name']}: {phone}"


@pytest.mark.parametrize("template", TEMPLATES)
def test_directory_coverage_areas_are_unambiguous(template):
    for directory in manifest(template)["directories"]:
        owner: dict[str, str] = {}
        for entry in directory["entries"]:
            assert entry.get("areas"), f"{directory['name']}/{entry['name']} covers no area"
            for area in entry["areas"]:
                assert area not in owner, (f"{directory['name']}: area {area!r} is covered by both "
                                           f"{owner[area]} and {entry['name']}")
                owner[area] = entry["name"]


@pytest.mark.parametrize("template", TEMPLATES)
def test_sample_data_is_complete(template):
    m = manifest(template)
    assert len(m["customers"]) >= 5
    assert len(m["articles"]) >= 6
    for customer in m["customers"]:
        assert customer["phones"], customer["name"]
        for phone in customer["phones"]:
            assert MOBILE.match(phone) or LANDLINE.match(phone), f"{customer['name']}: {phone}"
    for article in m["articles"]:
        assert CJK.search(article["title"]) and CJK.search(article["body"])
