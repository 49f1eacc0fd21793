"""UI strings of the studio pages (the bundle carries its own for the designer itself)."""

from __future__ import annotations

from .. import i18n

NOT_BUILT = ("The designer's front end is not built yet: run `npm ci && npm run build` in frontend/ "
             "(test.sh and start.sh do it).")

STRINGS = {
    "Designer": {"zh_CN": "设计器"},
    "New document": {"zh_CN": "新建文档"},
    "Create": {"zh_CN": "创建"},
    "Open": {"zh_CN": "打开"},
    "No documents of this kind yet.": {"zh_CN": "暂无此类文档。"},
    "Draft saved by": {"zh_CN": "草稿保存者"},
    NOT_BUILT: {"zh_CN": "设计器前端尚未构建：请在 frontend/ 目录运行 `npm ci && npm run build`"
                         "（test.sh 和 start.sh 会自动执行）。"},
    "This designer needs JavaScript.": {"zh_CN": "此设计器需要启用 JavaScript。"},
    "Your role may read documents but not create them.": {"zh_CN": "您的角色可以查看文档，但不能新建文档。"},
    "Only letters, digits, _ and -, starting with a letter or _": {
        "zh_CN": "只能包含字母、数字、_ 和 -，并以字母或 _ 开头"},
}


def register() -> None:
    from .jobs_health import STRINGS as JOB_STRINGS

    i18n.extend(STRINGS)
    i18n.extend(JOB_STRINGS)
