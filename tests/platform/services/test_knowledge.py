"""Knowledge-base search for Chinese questions: substrings and character pairs, no word spaces needed."""

from __future__ import annotations

import pytest

from hotline.platform.db import Database
from hotline.platform.services import knowledge
from hotline.platform.services.errors import InvalidDocument, NotFound
from tests.platform import factories

ARTICLES = [
    ("锂电池寄递规定", "锂电池须安装在设备内，单独的充电宝不能航空运输，只能走陆运。", ["禁寄", "电池"]),
    ("收费标准", "同城首重1公斤12元，续重每公斤2元；跨省首重18元起。", ["运费"]),
    ("禁寄物品", "禁止寄递枪支弹药、管制刀具、易燃易爆物品、活体动物。", ["安全"]),
    ("快件丢失理赔", "快件丢失按保价金额赔偿，未保价按运费的三倍赔偿，最高不超过300元。", ["理赔", "丢失"]),
    ("ＳＯＨＯ网点营业时间", "望京SOHO网点每天8:00至20:00营业。", []),
]


@pytest.fixture(scope="module")
def tenants(db: Database) -> dict[str, int]:
    with db.platform() as session:
        a, b = factories.tenant(session, "kb").id, factories.tenant(session, "kb").id
    with db.tenant(a) as session:
        for title, body, tags in ARTICLES:
            knowledge.save(session, title=title, body=body, tags=tags, actor="t")
    with db.tenant(b) as session:
        knowledge.save(session, title="乙租户的锂电池说明", body="只属于乙", actor="t")
    return {"a": a, "b": b}


def _titles(db: Database, tenant_id: int, query: str) -> list[str]:
    with db.tenant(tenant_id) as session:
        return [hit.title for hit in knowledge.search(session, query)]


def test_a_substring_finds_the_article_title_first(db, tenants) -> None:
    assert _titles(db, tenants["a"], "锂电池")[0] == "锂电池寄递规定"


def test_every_space_separated_term_must_occur(db, tenants) -> None:
    assert _titles(db, tenants["a"], "丢失 赔偿") == ["快件丢失理赔"]


def test_a_whole_spoken_question_finds_the_article_by_shared_character_pairs(db, tenants) -> None:
    assert _titles(db, tenants["a"], "充电宝可以坐飞机寄吗航空")[0] == "锂电池寄递规定"
    assert "快件丢失理赔" in _titles(db, tenants["a"], "我的快递丢了怎么赔偿")


def test_full_width_letters_and_case_do_not_matter(db, tenants) -> None:
    assert _titles(db, tenants["a"], "soho") == ["ＳＯＨＯ网点营业时间"]


def test_tags_match_and_count_more_than_the_body(db, tenants) -> None:
    hits = _titles(db, tenants["a"], "禁寄")
    assert hits[0] == "禁寄物品" and "锂电池寄递规定" in hits


def test_nothing_matches_noise_and_an_empty_query_finds_nothing(db, tenants) -> None:
    assert _titles(db, tenants["a"], "火星基地天气") == []
    assert _titles(db, tenants["a"], "   ") == []


def test_another_tenants_articles_are_never_found_or_opened(db, tenants) -> None:
    assert "乙租户的锂电池说明" not in _titles(db, tenants["a"], "锂电池")
    with db.tenant(tenants["b"]) as session:
        b_article = knowledge.search(session, "乙租户")[0].id
    with db.tenant(tenants["a"]) as session, pytest.raises(NotFound):
        knowledge.get(session, b_article)


def test_an_article_without_title_or_text_is_refused_with_each_field(db, tenants) -> None:
    with db.tenant(tenants["a"]) as session, pytest.raises(InvalidDocument) as refused:
        knowledge.save(session, title=" ", body="", tags="a,b", actor="t")
    assert {f.pointer for f in refused.value.findings} == {"/title", "/body"}


def test_tags_typed_as_text_are_split_on_either_width_separators() -> None:
    assert knowledge.clean_tags("运费，理赔、 丢失;运费") == ["运费", "理赔", "丢失"]


def test_digits_and_latin_letters_shared_by_chance_do_not_match(db, tenants) -> None:
    assert _titles(db, tenants["a"], "只在乙20:00") == []  # "20" and "00" are in the opening hours, "只在乙" nowhere
