"""The `hotline` command end to end on a real SQLite file: tenants, validate, publish, versions, diff,
rollback, import/export, and clean errors for bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from hotline.cli import main
from hotline.platform.services.templates import TEMPLATES_DIR


@pytest.fixture(scope="module")
def cli(tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp("cli")
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{folder / 'cli.sqlite3'}", "HOTLINE_ACTOR": "tester"}
    runner = CliRunner()

    def invoke(*args: str) -> Result:
        return runner.invoke(main, list(args), env=env, catch_exceptions=False)

    invoke.env = env  # type: ignore[attr-defined]
    assert invoke("init-db").exit_code == 0
    result = invoke("tenant", "create", "acme", "--template", "express_delivery", "--did", "4008001234")
    assert result.exit_code == 0, result.output
    return invoke


def write(path: Path, body: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
    return path


def test_templates_are_listed(cli) -> None:
    out = cli("templates").output
    for name in ("express_delivery", "property_management", "telecom_hotline"):
        assert name in out


def test_tenant_from_template_has_published_documents(cli) -> None:
    assert "acme" in cli("tenant", "list").output
    out = cli("versions", "acme", "ivr", "main").output
    assert out.startswith("*1\t") and "cloned from template express_delivery" in out


def test_validate_a_good_template_file_exits_zero(cli) -> None:
    result = cli("validate", str(TEMPLATES_DIR / "express_delivery" / "ivr" / "main.json"))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok:")


def test_validate_prints_each_finding_with_its_pointer_and_exits_one(cli, tmp_path: Path) -> None:
    body = json.loads((TEMPLATES_DIR / "express_delivery" / "ivr" / "main.json").read_text())
    first_menu = next(k for k, n in body["nodes"].items() if n["type"] == "menu")
    body["nodes"][first_menu]["options"]["7"] = "no_such_node"
    path = write(tmp_path / "ivr" / "main.json", body)
    result = cli("validate", str(path), "--tenant", "acme")
    assert result.exit_code == 1
    assert f"(JSON pointer /nodes/{first_menu}/options/7) [" in result.output
    assert "no_such_node" in result.output


def test_validate_words_findings_in_chinese_with_lang(cli, tmp_path: Path) -> None:
    """Issue 16: the CLI says what the designer says."""
    body = json.loads((TEMPLATES_DIR / "express_delivery" / "ivr" / "main.json").read_text())
    body["nodes"]["main_menu"]["options"]["7"] = "no_such_node"
    path = write(tmp_path / "ivr" / "main.json", body)
    result = cli("validate", str(path), "--tenant", "acme", "--lang", "zh_CN")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.endswith("（JSON 指针 /nodes/main_menu/options/7）"))
    # Severity and the fix in words too: what the designer's buttons do, one line under the finding.
    assert lines[at].startswith("错误：「主菜单」的按键 7 指向不存在的节点「no_such_node」")
    assert lines[at + 1] == "    修复：连接到一个节点；或删除这个按键"


def test_validate_in_english_names_the_fix_under_the_finding(cli, tmp_path: Path) -> None:
    body = json.loads((TEMPLATES_DIR / "express_delivery" / "ivr" / "main.json").read_text())
    body["nodes"]["main_menu"]["options"]["7"] = "no_such_node"
    path = write(tmp_path / "ivr" / "main.json", body)
    lines = cli("validate", str(path), "--tenant", "acme").output.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("error: ") and "/nodes/main_menu/options/7)" in line)
    assert lines[at + 1] == "    fix: connect it to a node; or remove this digit"


def test_validate_reports_malformed_json_with_line_and_column(cli, tmp_path: Path) -> None:
    path = tmp_path / "ivr" / "broken.json"
    path.parent.mkdir()
    path.write_text('{\n  "start": "a",\n  "nodes": {,}\n}')
    result = cli("validate", str(path), "--tenant", "acme")
    assert result.exit_code == 1
    assert "malformed JSON" in result.output and "line 3, column" in result.output


def test_validate_refuses_a_file_of_unknown_kind(cli, tmp_path: Path) -> None:
    path = write(tmp_path / "whatever" / "x.json", {})
    result = cli("validate", str(path), "--tenant", "acme")
    assert result.exit_code == 1
    assert "'whatever' is not a document kind" in result.output


def test_publish_versions_diff_and_rollback(cli, tmp_path: Path) -> None:
    body = json.loads((TEMPLATES_DIR / "express_delivery" / "form" / "consultation.json").read_text())
    body["title"] = "咨询（新版）"
    path = write(tmp_path / "consultation.json", body)
    result = cli("publish", "acme", "form", "consultation", "--file", str(path), "--note", "rename")
    assert result.exit_code == 0, result.output
    assert "version 2" in result.output
    assert '~ /title: "' in cli("diff", "acme", "form", "consultation", "1", "2").output
    assert "version 3 (copy of version 1)" in cli("rollback", "acme", "form", "consultation", "1").output
    assert cli("diff", "acme", "form", "consultation", "1", "3").output.strip() == "no changes"
    changes = cli("tenant", "changes", "acme").output
    assert "unchanged form/consultation" in changes


def test_publishing_an_invalid_file_is_refused_but_the_draft_is_kept(cli, tmp_path: Path) -> None:
    body = json.loads((TEMPLATES_DIR / "express_delivery" / "form" / "consultation.json").read_text())
    body["transitions"].append({"from": "pending", "to": "nonexistent_status"})
    path = write(tmp_path / "consultation.json", body)
    result = cli("publish", "acme", "form", "consultation", "--file", str(path))
    assert result.exit_code == 1
    assert "/transitions/" in result.output and "nonexistent_status" in result.output
    out = cli("diff", "acme", "form", "consultation", "1", "draft").output
    assert "nonexistent_status" in out


def test_export_then_import_round_trips(cli, tmp_path: Path) -> None:
    assert cli("export", "acme", str(tmp_path / "out")).exit_code == 0
    files = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.json"))
    assert "ivr/main.json" in files and any(f.startswith("form/") for f in files)
    cli("tenant", "create", "copyco", "--template", "express_delivery")
    result = cli("import", "copyco", str(tmp_path / "out"), "--publish")
    assert result.exit_code == 0, result.output
    exported = json.loads((tmp_path / "out" / "ivr" / "main.json").read_text())
    cli("export", "copyco", str(tmp_path / "again"))
    assert json.loads((tmp_path / "again" / "ivr" / "main.json").read_text()) == exported


def test_import_that_cannot_publish_writes_nothing(cli, tmp_path: Path) -> None:
    cli("export", "acme", str(tmp_path / "express"))
    cli("tenant", "create", "telco", "--template", "telecom_hotline")
    result = cli("import", "telco", str(tmp_path / "express"), "--publish")
    assert result.exit_code == 1
    assert "nothing was imported" in result.output and "does not exist in this tenant" in result.output
    cli("export", "telco", str(tmp_path / "telco"))
    assert not (tmp_path / "telco" / "form" / "pickup_order.json").exists()


def test_import_with_one_malformed_file_writes_nothing(cli, tmp_path: Path) -> None:
    write(tmp_path / "in" / "form" / "good_one.json", {"title": "x"})
    (tmp_path / "in" / "form" / "bad_one.json").write_text("{not json")
    result = cli("import", "acme", str(tmp_path / "in"))
    assert result.exit_code == 1
    assert "bad_one.json" in result.output and "malformed JSON" in result.output
    assert "good_one" not in cli("export", "acme", str(tmp_path / "check")).output
    assert not (tmp_path / "check" / "form" / "good_one.json").exists()


@pytest.mark.parametrize(("args", "message"), [
    (("tenant", "create", "zz", "--template", "no_such_template"), "unknown template 'no_such_template'"),
    (("tenant", "create", "acme", "--template", "express_delivery"), "already exists"),
    (("did", "assign", "acme", "4008001234"), "already assigned to this tenant"),
    (("did", "assign", "acme", "4008001234"), "(acme)"),  # named, not "tenant id 1" (QA of issue 11, item 12)
    (("did", "assign", "acme", "12ab"), "not a phone number"),
    (("versions", "nobody", "ivr", "main"), "tenant 'nobody' not found"),
    (("versions", "acme", "ivr", "nothing"), "ivr document 'nothing' not found"),
])
def test_bad_input_gets_a_clear_error(cli, args: tuple[str, ...], message: str) -> None:
    result = cli(*args)
    assert result.exit_code != 0
    assert message in result.output


def test_a_bad_setting_stops_the_command_naming_it(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["tenant", "list"], env={"HOTLINE_ESL_PORT": "x"})
    assert result.exit_code != 0
    assert "esl.port" in result.output


@pytest.mark.redis
def test_a_test_call_prints_path_prompts_and_variables(cli) -> None:
    result = cli("call", "--did", "4008001234", "--press", "1,7730012345601#,-,-", "--at", "2026-11-23T10:00+08:00")
    assert result.exit_code == 0, result.output
    assert "path: business_hours → welcome → vip_check → main_menu → track_collect → track_lookup" in result.output
    assert "heard: 您的运单7730012345601当前状态：派送中" in result.output
    assert "set: waybill = '7730012345601'" in result.output


def test_a_test_call_to_an_unknown_number_is_a_clear_error(cli) -> None:
    result = cli("call", "--did", "4000000000")
    assert result.exit_code != 0 and "DID 4000000000 is not assigned" in result.output


def test_up_prepares_the_demo_tenant_once(tmp_path: Path) -> None:
    env = {"HOTLINE_DATABASE_URL": f"sqlite:///{tmp_path / 'up.sqlite3'}"}
    first = CliRunner().invoke(main, ["up", "--no-serve"], env=env, catch_exceptions=False)
    assert first.exit_code == 0 and "demo tenant 'demo' created from template express_delivery" in first.output
    again = CliRunner().invoke(main, ["up", "--no-serve"], env=env, catch_exceptions=False)
    assert again.exit_code == 0 and "already there" in again.output


def test_up_gives_the_demo_an_agent_on_the_simulators_endpoint_with_every_skill(tmp_path: Path) -> None:
    from sqlalchemy import select

    from hotline.platform.db import Database
    from hotline.platform.models import AgentSkill, Skill
    from hotline.platform.services import ticket_desk, users

    url = f"sqlite:///{tmp_path / 'up.sqlite3'}"
    result = CliRunner().invoke(main, ["up", "--no-serve"], env={"HOTLINE_DATABASE_URL": url}, catch_exceptions=False)
    assert result.exit_code == 0 and "agent / hotline-try-it" in result.output
    db = Database(url)
    with db.platform() as session:
        agent = users.get_user(session, "agent")
        assert ticket_desk.user_of_extension(session, "1001") == agent.id
        served = set(session.scalars(select(AgentSkill.skill).where(AgentSkill.user_id == agent.id)))
        assert served and served == set(session.scalars(select(Skill.name)))
    db.dispose()


def test_the_standard_library_platform_module_is_not_shadowed() -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", "import platform; print(platform.python_version())"], cwd=root,
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip().startswith("3.")


@pytest.mark.redis
def test_a_publish_from_the_cli_tells_every_runtime_over_redis(cli, tmp_path: Path) -> None:
    import redis

    client = redis.Redis.from_url("redis://127.0.0.1:6379/0")
    try:
        client.ping()
    except redis.exceptions.ConnectionError as exc:
        pytest.skip(f"Redis not reachable: {exc}")
    pubsub = client.pubsub(ignore_subscribe_messages=True)
    pubsub.subscribe("hotline:events")
    body = json.loads((TEMPLATES_DIR / "express_delivery" / "form" / "complaint.json").read_text())
    result = cli("publish", "acme", "form", "complaint", "--file", str(write(tmp_path / "c.json", body)))
    assert result.exit_code == 0, result.output
    events = []
    for _ in range(50):
        message = pubsub.get_message(timeout=0.1)
        if message:
            events.append(json.loads(message["data"]))
            if events[-1].get("name") == "complaint":
                break
    pubsub.close()
    assert {"type": "document.published", "kind": "form", "name": "complaint"}.items() <= events[-1].items()


@pytest.mark.redis
def test_the_worker_command_delivers_queued_notifications(cli) -> None:
    from sqlalchemy import select

    from hotline.platform.db import Database
    from hotline.platform.jobs import queues_for
    from hotline.platform.models import Notification, Tenant
    from hotline.platform.redis_conn import connect
    from hotline.platform.services import notifications

    redis = connect("redis://127.0.0.1:6379/0")
    if redis.embedded:
        pytest.skip("Redis not reachable at 127.0.0.1:6379")
    database = Database(cli.env["HOTLINE_DATABASE_URL"])
    with database.platform() as session:
        tenant_id = session.scalar(select(Tenant.id).where(Tenant.slug == "acme"))
    with database.tenant(tenant_id) as session:
        row = notifications.queue_send(session, "sms", "13900000001", "取件提醒", queue=queues_for(redis).notifications)
        row_id = row.id
    result = cli("worker", "--burst")
    assert result.exit_code == 0, result.output
    with database.tenant(tenant_id) as session:
        assert session.get(Notification, row_id).status == "sent"
    database.dispose()


def test_validate_lang_zh_and_en_print_the_designers_wording(cli, tmp_path: Path) -> None:
    """QA 16: `--lang zh|en` prints what the designer shows in that language (zh was refused; en, the default,
    printed the developers' sentences)."""
    body = json.loads((TEMPLATES_DIR / "express_delivery" / "ivr" / "main.json").read_text())
    body["nodes"]["main_menu"]["options"]["7"] = "no_such_node"
    path = write(tmp_path / "ivr" / "main.json", body)
    zh = cli("validate", str(path), "--tenant", "acme", "--lang", "zh")
    assert zh.exit_code == 1, zh.output
    assert zh.output == cli("validate", str(path), "--tenant", "acme", "--lang", "zh_CN").output
    assert "错误：「主菜单」的按键 7 指向不存在的节点「no_such_node」" in zh.output
    en = cli("validate", str(path), "--tenant", "acme", "--lang", "en").output
    assert "Key 7 of “主菜单” points to node “no_such_node”, which does not exist" in en, en


def test_validate_leads_with_the_place_in_words_counted_from_one(cli, tmp_path: Path) -> None:
    """QA 16 findings, item 4: the CLI led with /rules/0/actions (counted from 0) while its text says 规则 1."""
    body = {"rules": [{"name": "r", "label": "投诉升级", "event": "ticket.created", "actions": []}]}
    path = write(tmp_path / "dispatch" / "main.json", body)
    lines = cli("validate", str(path), "--tenant", "acme", "--lang", "zh_CN").output.splitlines()
    (line,) = [line for line in lines if "投诉升级" in line]
    assert line == "错误：规则「投诉升级」还没有动作：请添加至少一个动作（JSON 指针 /rules/0/actions）"
    lines = cli("validate", str(path), "--tenant", "acme", "--lang", "en").output.splitlines()
    (line,) = [line for line in lines if "投诉升级" in line]
    assert line.startswith("error: Rule “投诉升级” has no actions yet") and line.endswith(
        "(JSON pointer /rules/0/actions) [schema]")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_validate_outside_a_kind_folder_is_worded_in_the_chosen_language(cli, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch,
                                                                         lang: str) -> None:
    """QA of fix-labels item 4: `--lang zh` printed "'' is not a document kind…" in English; the finding names
    the file and the kinds by label (with the folder each kind's files go in)."""
    monkeypatch.chdir(tmp_path)
    write(tmp_path / "loose.json", {"nodes": {}})
    result = cli("validate", "loose.json", "--template", "express_delivery", "--lang", lang)
    assert result.exit_code == 1
    out = result.output
    assert "loose.json" in out and "is not a document kind" not in out
    if lang == "zh":
        assert "错误：" in out and "语音导航（ivr/）、工单表单（form/）、分派规则（dispatch/）" in out
        assert "cannot" not in out and "error" not in out
    else:
        assert "Voice menu (IVR) (ivr/), Ticket form (form/), Dispatch rules (dispatch/)" in out
