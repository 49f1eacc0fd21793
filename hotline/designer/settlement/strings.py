"""The settlement area's UI strings (plain keys are the English text; dotted keys carry an English text too),
added to the one table at blueprint creation."""

from __future__ import annotations

from ...platform.settlement.assessment import LABELS
from .. import i18n

STRINGS: dict[str, str] = {
    "Vendors": "外包合作商",
    "Vendor": "合作商",
    "Vendor assessment": "外包考核",
    "Kind": "类型",
    "Queues": "队列",
    "Current agents": "在岗座席",
    "Self-operated": "自营",
    "Outsourced": "外包",
    "Self-operated site": "自营场地",
    "Active (shown in the vendor assessment)": "合作中（显示在外包考核中）",
    "inactive": "已停用",
    "Monthly statement": "月度结算单",
    "No vendors yet.": "尚无合作商。",
    "Add a vendor": "新增合作商",
    "Code": "编码",
    "Name": "名称",
    "Queues this site answers": "该场地承接的队列",
    "Save": "保存",
    "Agents": "座席",
    "Agent": "座席",
    "Joined": "入职日期",
    "Left": "离职日期",
    "Left (empty: still working)": "离职日期（空：在岗）",
    "Contracts": "合同",
    "Contract": "合同",
    "From month": "起始月份",
    "To month": "截止月份",
    "open-ended": "长期有效",
    "empty: open-ended": "空：长期有效",
    "New contract": "新建合同",
    "Terms (JSON)": "合同条款（JSON）",
    "Vendor saved.": "合作商已保存。",
    "Agent saved.": "座席已保存。",
    "Contract saved.": "合同已保存。",
    "Entries saved.": "录入已保存。",
    "Month": "月份",
    "Show": "查询",
    "Not signed off (computed now)": "未签核（按当前数据计算）",
    "Compute now": "按当前数据计算",
    "No statement: these inputs are missing.": "无法出具结算单，缺少以下数据：",
    "Download Excel": "下载 Excel",
    "Hours per agent": "座席排班时长",
    "Sign off": "签核",
    "Signing freezes this statement; signing again later makes a new version.":
        "签核后结算单即冻结；之后再次签核将生成新版本。",
    "Entries of the month": "本月录入",
    "Business score": "业务考核分数",
    "Overall score": "考核总成绩",
    "Quality score": "质量考核分数",
    "Achieved": "实际完成",
    "Target value": "目标值",
    "Incidents": "事件次数",
    "Note": "备注",
    "Signed versions": "已签核版本",
    "Version": "版本",
    "Signed by": "签核人",
    "Signed at ({zone})": "签核时间（{zone}）",
    "Signed version {version} by {who}, {at} ({zone})": "第 {version} 版，{who} 签核，{at}（{zone}）",
    "Fee for the month": "本月外包费用",
    "Seat type": "座席类型",
    "Hours": "时长（小时）",
    "Staffing ratio": "人员座席配比",
    "Seats": "结算座席数",
    "Unit price": "座席单价",
    "Amount": "金额",
    "(capped at 1:{span})": "（按 1:{span} 封顶）",
    "Seat subtotal": "座席费用小计",
    "Assessment": "考核",
    "Lowest score": "最低分",
    "Coefficient": "考核系数",
    "Seat fee × coefficient": "座席费用 × 考核系数",
    "Bonus target": "考核指标",
    "Above target": "超出目标",
    "Bonus per unit": "单位酬金",
    "Bonus": "酬金",
    "Over-target bonus": "达标超量酬金",
    "Partner share": "合作商所得",
    "Staff share": "合作商员工所得",
    "Penalty": "扣罚项",
    "Amount per incident": "每次扣罚",
    "Deduction": "扣罚金额",
    "Penalties": "重大事件扣罚",
    "Not signed off: inputs are missing.": "未签核：缺少数据。",
    "Statement signed off as version {version}.": "结算单已签核，版本 {version}。",
    "No contract of this vendor is in force in {month}": "{month} 该合作商没有生效的合同",
    "No scheduled hours for this vendor's agents in {month}": "{month} 该合作商的座席没有排班时长",
    "The contract has no unit price for {seat_type} seats": "合同缺少{seat_type}的座席单价",
    "No QA evaluations of this vendor's agents in {month}, so there is no quality score":
        "{month} 该合作商的座席没有质检评分，因此没有质量考核分数",
    "The business score of {month} has not been entered and cannot be computed (no service level, answer rate or "
    "ticket timeliness figures)": "{month} 的业务考核分数未录入，也无法计算（没有服务水平、接通率或工单及时率数据）",
    "The overall score of {month} has not been entered and cannot be computed (it needs the quality and business "
    "scores)": "{month} 的考核总成绩未录入，也无法计算（需要质量与业务考核分数）",
    "How the scores were obtained": "考核分数来源",
    "Business score (computed)": "业务考核分数（计算）",
    "Source": "来源",
    "computed from the month's QA evaluations": "按本月质检评分计算",
    "entered by {who} at {at} ({zone})": "由 {who} 于 {at}（{zone}）录入",
    "computed: {parts}": "计算得出：{parts}",
    "{metric} {value} ÷ target {target} × weight {weight} → {score}":
        "{metric} {value} ÷ 目标 {target} × 权重 {weight} → {score}",
    "computed: quality × {quality} + business × {business}":
        "计算得出：质量考核分数 × {quality} + 业务考核分数 × {business}",
    "not available": "无",
    "Empty: computed from the figures and the contract's weights": "留空：按考核数据和合同权重计算",
    "The achieved value of target {target} in {month} is missing": "{month} 指标「{target}」的实际完成值尚未录入",
    "No assessment band of the contract holds the lowest score {score}": "合同的考核区间不包含最低分 {score}",
    "Penalty rule {rule} is not in the contract": "扣罚规则 {rule} 不在合同中",
    "Offered calls": "进线量",
    "Alerts": "告警",
    "Metric": "指标",
    "Value": "实际值",
    "Limit": "阈值",
    "Messages sent": "已发送通知",
    "Check thresholds and alert": "检查阈值并告警",
    "Thresholds": "考核阈值",
    "Recipients (one per line, channel:recipient, e.g. Text message:13800000000)":
        "接收人（每行一个，渠道:接收人，如 短信:13800000000）",
    # an alert recipient's channel, shown and typed by these words (assessment.py CHANNEL_LABELS; as the records area)
    "Text message": "短信",
    "E-mail": "邮件",
    "Webhook": "网络回调",
    "at most": "不高于",
    "at least": "不低于",
    "Thresholds saved.": "阈值已保存。",
    "{count} new alerts.": "新增告警 {count} 条。",
    "Add a row": "添加一行",
    "Remove": "移除",
    "JSON import and export": "JSON 导入与导出",
    "Download JSON": "下载 JSON",
    "Import JSON and save": "导入 JSON 并保存",
}

#: Reasons of settlement input problems (platform/settlement/terms.py Problem), {name} fields kept.
PROBLEMS: dict[str, str] = {
    "lower-case letters, digits and _ (starting with a letter), at most 40":
        "小写字母、数字和下划线（以字母开头），最多 40 个字符",
    "a number more than {low} to {high}": "应为大于 {low}、不超过 {high} 的数字",
    "a number from {low} to {high}": "应为 {low} 到 {high} 之间的数字",
    "{value} is used twice": "{value} 重复使用",
    "1 to {most} characters": "应为 1 到 {most} 个字符",
    "not a field here ({fields})": "不是此处的字段（可用：{fields}）",
    "a list": "应为列表",
    "at most {most} entries": "最多 {most} 项",
    "an object": "应为对象",
    "not a contract field": "不是合同字段",
    "an object with trainee, agent, team_lead and overtime": "应为包含 trainee、agent、team_lead 和 overtime 的对象",
    "not a seat type ({fields})": "不是座席类型（可用：{fields}）",
    "an object with unit_price and ratio": "应为包含 unit_price 和 ratio 的对象",
    "a whole number of agents per team lead, 1 to 1000": "每名班长对应的座席数，应为 1 到 1000 的整数",
    "an object with code, label, target and bonus_per_unit": "应为包含 code、label、target 和 bonus_per_unit 的对象",
    "an object with partner and staff shares": "应为包含 partner 与 staff 比例的对象",
    "the shares sum to {sum}, not 1": "两者之和为 {sum}，应为 1",
    "an object with code, label and amount": "应为包含 code、label 和 amount 的对象",
    "at least one score range with its coefficient": "至少需要一个分数区间及其考核系数",
    "an object with from, to and coefficient": "应为包含 from、to 和 coefficient 的对象",
    "more than from ({low})": "应大于起始分数（{low}）",
    "overlaps /bands/{before}": "与 /bands/{before} 重叠",
    "leaves scores from {gap_from} to {gap_to} in no band": "使 {gap_from} 至 {gap_to} 分不在任何区间内",
    "no queue named {value}": "没有名为 {value} 的队列",
    "a vendor named {value} exists": "已存在名为 {value} 的合作商",
    "{value} is not a day (YYYY-MM-DD)": "{value} 不是日期（YYYY-MM-DD）",
    "user #{id} is not an agent or supervisor of this tenant": "用户 #{id} 不是本租户的座席或班长",
    "on or after the day the agent joined": "应不早于入职日期",
    "the agent works for {vendor} from {day} in those days": "该座席自 {day} 起在这段时间属于 {vendor}",
    "{value} is not a month (YYYY-MM)": "{value} 不是月份（YYYY-MM）",
    "the same month as valid_from or later": "应不早于生效月份",
    "overlaps the contract {title} ({first} to {last})": "与合同 {title}（{first} 至 {last}）的时间重叠",
    "contract #{id} is not this vendor's": "合同 #{id} 不属于该合作商",
    "a score from 0 to 100 with at most 2 decimals": "应为 0 到 100 的分数，最多 2 位小数",
    "not a target of the contract in force in {month}": "不是 {month} 生效合同中的指标",
    "not a penalty rule of the contract in force in {month}": "不是 {month} 生效合同中的扣罚规则",
    "a whole number of incidents from 0 to 1000": "应为 0 到 1000 的整数次数",
    "at most {most} characters": "最多 {most} 个字符",
    "not JSON ({reason})": "不是合法的 JSON（{reason}）",
    "the weights sum to {sum}, not 1": "权重之和为 {sum}，应为 1",
    "an object with service_level, answer_rate and/or timeliness, each with target and weight":
        "应为包含 service_level、answer_rate 和/或 timeliness（各含 target 与 weight）的对象",
    "an object with target and weight": "应为包含 target 和 weight 的对象",
    "an object with quality and business weights": "应为包含 quality 与 business 权重的对象",
    "one of {fields}": "应为以下之一：{fields}",
    "channel:recipient, channel one of {fields}": "应为 渠道:接收人，渠道为以下之一：{fields}",
    "{value} is not a phone number (3 to 20 digits, optional leading +)":
        "{value} 不是电话号码（3 到 20 位数字，可以 + 开头）",
    "{value} is not an e-mail address": "{value} 不是电子邮件地址",
    "not a public http(s) address: {why}": "不是可访问的公网 http(s) 地址：{why}",
    "{value} is not a public http(s) address the platform can call": "{value} 不是平台可调用的公网 http(s) 地址",
    "{address} is a loopback address; the platform calls only public addresses":
        "{address} 是本机回环地址，平台只调用公网地址",
    "{address} is a link-local address; the platform calls only public addresses":
        "{address} 是链路本地地址，平台只调用公网地址",
    "{address} is a multicast address; the platform calls only public addresses":
        "{address} 是组播地址，平台只调用公网地址",
    "{address} is a unspecified address; the platform calls only public addresses":
        "{address} 是未指定地址，平台只调用公网地址",
    "{address} is a private address; the platform calls only public addresses":
        "{address} 是内网（私有）地址，平台只调用公网地址",
    "{address} is a reserved address; the platform calls only public addresses":
        "{address} 是保留地址，平台只调用公网地址",
    "{address} is not publicly routable; the platform calls only public addresses":
        "{address} 不是公网可路由地址，平台只调用公网地址",
}

#: Labels of the fields a problem"s JSON path names, one per path segment.
FIELDS: dict[str, tuple[str, str]] = {
    "terms": ("合同条款", "Contract terms"),
    "standard_hours": ("标准月工时", "Standard monthly hours"),
    "seat_types": ("座席类型", "Seat types"),
    "unit_price": ("单价", "Unit price"),
    "ratio": ("人员座席配比", "Staffing ratio"),
    "team_lead_span": ("每名班长对应座席数", "Agents per team lead"),
    "targets": ("超量指标", "Targets"),
    "code": ("编码", "Code"),
    "label": ("名称", "Label"),
    "target": ("目标值", "Target value"),
    "bonus_per_unit": ("单位酬金", "Bonus per unit"),
    "bonus_split": ("酬金分配", "Bonus split"),
    "partner": ("合作商", "Partner"),
    "staff": ("员工", "Staff"),
    "penalty_rules": ("扣罚规则", "Penalty rules"),
    "business_metrics": ("业务考核指标", "Business score metrics"),
    "overall_weights": ("考核总成绩权重", "Overall score weights"),
    "service_level": ("服务水平", "Service level"),
    "answer_rate": ("接通率", "Answer rate"),
    "timeliness": ("工单完成及时率", "Ticket timeliness"),
    "weight": ("权重", "Weight"),
    "quality": ("质量考核分数", "Quality score"),
    "business": ("业务考核分数", "Business score"),
    "amount": ("金额", "Amount"),
    "bands": ("考核区间", "Coefficient bands"),
    "from": ("起始分数", "From"),
    "to": ("截止分数", "To"),
    "coefficient": ("考核系数", "Coefficient"),
    "name": ("编码", "Code"),
    "title": ("名称", "Title"),
    "queues": ("队列", "Queues"),
    "valid_from": ("生效月份", "Valid from"),
    "valid_to": ("截止月份", "Valid to"),
    "user_id": ("座席", "Agent"),
    "joined_on": ("入职日期", "Joined"),
    "left_on": ("离职日期", "Left"),
    "month": ("月份", "Month"),
    "business_score": ("业务考核分数", "Business score"),
    "overall_score": ("考核总成绩", "Overall score"),
    "achieved": ("实际完成值", "Achieved"),
    "penalties": ("扣罚次数", "Penalties"),
    "note": ("备注", "Note"),
    "id": ("合同", "Contract"),
    "metric": ("指标", "Metric"),
    "limit": ("阈值", "Limit"),
    "recipients": ("接收人", "Recipients"),
}


#: Keys whose English text is not the key itself.
KEYED: dict[str, dict[str, str]] = {
    "assessment.help": {
        "zh_CN": "服务水平与接通率取该场地承接队列的报表数据；及时率与投诉量取该合作商座席处理的工单；"
                 "质检平均分取其座席的质检评分；"
                 "流失率 = 本月离职人数 ÷ 月初在岗人数。无数据显示为 —，不触发告警。",
        "en": "Service level and answer rate are the report figures of the queues the site answers; timeliness and "
              "complaints are of the tickets its agents handle; the QA score is its agents' mean; attrition = agents "
              "who left this month ÷ agents on its first day. A figure without data shows as — and raises no alert."},
    "contract.business_metrics_help": {
        "zh_CN": "业务考核分数 = 各指标（实际值 ÷ 目标值 × 100，最高 100）按权重加权；权重之和应为 1。"
                 "某指标两栏都空则不计入；全部为空时按灰色默认值计算。",
        "en": "Business score = each metric's figure ÷ its target × 100 (at most 100), weighted; the weights sum to 1. "
              "A metric with both fields empty is left out; all empty, the grey defaults apply."},
    "contract.overall_weights_help": {
        "zh_CN": "考核总成绩 = 质量考核分数 × 权重 + 业务考核分数 × 权重，两个权重之和应为 1；都空时各为 0.5。",
        "en": "Overall score = quality score × its weight + business score × its weight; the two sum to 1. Both "
              "empty: 0.5 each."},
    "contract.unit_price_help": {
        "zh_CN": "单价可暂缺（由合作商报价），结算时会列为缺失；人员座席配比空则为 1。",
        "en": "A unit price may be left empty until the partner quotes it (the settlement then names it as missing); "
              "an empty staffing ratio is 1."},
    "seat.trainee": {"zh_CN": "实习话务座席", "en": "Trainee seats"},
    "seat.agent": {"zh_CN": "话务座席", "en": "Agent seats"},
    "seat.team_lead": {"zh_CN": "班长座席", "en": "Team lead seats"},
    "seat.overtime": {"zh_CN": "加班座席", "en": "Overtime seats"},
    "contract.help": {
        "zh_CN": "standard_hours：标准月工时（166.64）；seat_types：各类座席的单价 unit_price 与人员座席配比 ratio"
                 "（trainee 实习、agent 话务、team_lead 班长、overtime 加班）；"
                 "team_lead_span：每名班长对应的座席数（20）；"
                 "targets：达标超量指标（code、label、target 目标值、bonus_per_unit 单位酬金）；bonus_split：酬金分配"
                 "（partner 合作商 0.20 / staff 员工 0.80）；penalty_rules：重大事件扣罚（code、label、amount）；"
                 "bands：考核区间（from ≤ 分数 < to）与考核系数 coefficient。单价可暂缺，结算时会列为缺失。",
        "en": "standard_hours: the standard month (166.64); seat_types: unit_price and staffing ratio per seat type "
              "(trainee, agent, team_lead, overtime); team_lead_span: agents per team lead (20); targets: over-target "
              "bonus (code, label, target, bonus_per_unit); bonus_split: partner 0.20 / staff 0.80; penalty_rules: "
              "major incidents (code, label, amount); bands: score ranges (from ≤ score < to) and their coefficient. "
              "A unit price may be left out until quoted; the settlement then names it as missing."},
}


def register() -> None:
    metrics = {f"metric.{code}": dict(words) for code, words in LABELS.items()}
    problems = {f"settlement.problem.{english}": {"zh_CN": chinese, "en": english}
                for english, chinese in PROBLEMS.items()}
    fields = {f"settlement.field.{code}": {"zh_CN": zh, "en": en} for code, (zh, en) in FIELDS.items()}
    i18n.extend({english: {"zh_CN": chinese} for english, chinese in STRINGS.items()} | KEYED | metrics | problems
                | fields)
