/**
 * What the IVR property panel calls each field, in Chinese: the schema names fields by property name
 * (`announce_every_seconds`) and describes them in English; an analyst reads "播报间隔（秒）" and a Chinese
 * sentence. English keeps the schema's titles, or the property name made readable.
 */

/** Chinese titles by property name (the same name means the same thing in every node type). */
export const FIELD_ZH: Record<string, string> = {
  label: "名称", note: "备注", prompt: "提示音", options: "按键选项", timeout_seconds: "超时（秒）",
  max_retries: "最大重试次数", invalid_prompt: "输入错误提示", timeout_prompt: "超时提示", next: "下一步",
  fallback: "兜底", open: "营业时间内", closed: "非营业时间", calendar: "营业日历", variable: "保存到变量",
  min_digits: "最少位数", max_digits: "最多位数", terminator: "结束键", pattern: "格式（正则）",
  source: "数据源", table: "数据表", builtin: "内置数据", verify_code: "验证码", webhook: "Webhook",
  url: "地址", method: "请求方式", timeout_ms: "超时（毫秒）", headers: "请求头", cache_seconds: "缓存（秒）",
  key: "查询键", assign: "结果赋值", found: "找到", not_found: "未找到", error: "出错时",
  branches: "分支", when: "条件", else: "否则", values: "变量值", queue: "队列", priority: "优先级",
  skills: "技能", hold_prompt: "等待音乐/提示", announce_position: "播报排队位置",
  announce_wait_time: "播报预计等待时间", announce_every_seconds: "播报间隔（秒）", announce_prompt: "排队播报词",
  overflow: "溢出", after: "通话结束后", number: "号码", failed: "失败时", max_seconds: "最长时长（秒）",
  confirm_digit: "确认键", accepted: "接受时", declined: "拒绝时", form: "工单表单", fields: "工单字段",
  urge_open: "按此字段催办已有工单", ticket: "工单号", no_handler: "无人处理时", refused: "被拒绝时",
  to: "收信号码", text: "内容", min_score: "最低分", max_score: "最高分", thanks_prompt: "感谢语",
  target: "目标节点", cause: "挂机原因", audio: "录音", timezone: "时区", weekly: "每周营业时间",
  holidays: "节假日（休息）", workdays: "调休上班日", start: "开始", end: "结束", title: "标题",
  description: "说明", default: "默认值", all: "全部满足", any: "任一满足", not: "不满足",
  "Data table": "数据表", "Built-in source": "内置数据", "Webhook": "Webhook",
};

/** Chinese for the schema's English descriptions (keyed by the English sentence, like the UI strings). */
export const DESCRIPTION_ZH: Record<string, string> = {
  "Id of the node to go to.": "接下来要去的节点。",
  "A machine name: documents, nodes, fields, queues, statuses refer to each other by it.":
    "只能用字母、数字、下划线和 -，以字母或下划线开头。",
  "A variable name: letters, digits and _, not starting with a digit, at most 64 characters (templates read it as {{name}}, conditions as var.name).":
    "变量名只能用字母、数字和下划线，且不能以数字开头，最多 64 个字符（模板里写作 {{变量名}}，条件里写作 var.变量名）。",
  "What the caller hears: text read by TTS, or a recorded prompt of the tenant by name (with text as its transcript).":
    "来电者听到的内容：由语音合成朗读的文字，或本租户已录制的提示音（文字作为其文本）。",
  "Text rendered by the sandboxed template engine; variables as {{waybill}}.": "可插入变量，例如 {{waybill}}。",
  "Digit pressed → next node.": "来电者按的键 → 下一步节点。",
  "Where the caller goes when the retries are used up.": "重试次数用完后去往的节点。",
  "A searchable field of the form (a waybill): when an open ticket of the form has the same value, it is urged instead of opening another.":
    "表单中可搜索的字段（如运单号）：已有相同值的未结工单时，催办它而不是新建工单。",
  "Also announce the estimated wait (from the queue's recent handle times and the agents staffing it).":
    "同时播报预计等待时间（根据队列近期处理时长和在线座席估算）。",
  "For tickets: the code the caller typed (last four digits of the ticket's phone); without it only the ticket's own phone hears more than the status.":
    "查工单时：来电者输入的验证码（工单电话后四位）；没有验证码时，只有工单本人的号码能听到状态以外的信息。",
  "How often the position / wait announcement (and the hold prompt) repeats while the caller waits.":
    "等待期间多久重复播报一次排队位置 / 等待时间（及等待提示）。",
  "Keep the webhook's answer (found or not found, never a failure) this many seconds for later calls; 0 asks every time.":
    "Webhook 的结果（找到或未找到，失败不缓存）保留的秒数，供之后的来电使用；0 表示每次都重新查询。",
  "No such ticket, not the caller's, or already resolved.": "没有该工单、不是来电者的工单，或工单已办结。",
  "The announcement in the tenant's words; {{call.queue_position}}, {{call.queue_ahead}} and {{call.wait_minutes}} are set. Without it a built-in sentence is spoken.":
    "自定义排队播报词，可用 {{call.queue_position}}、{{call.queue_ahead}}、{{call.wait_minutes}}；不填则播报内置语句。",
  "The code the caller typed (last four digits of the ticket's phone), for callers from another number.":
    "来电者输入的验证码（工单电话后四位），用于用其他号码来电的情况。",
  "The queue whose agents get the message back as a callback task.": "由该队列的座席收到留言并回电。",
  "The ticket number (usually {{ticket_no}}).": "工单号（通常为 {{ticket_no}}）。",
  "Urged, but nobody handles the ticket yet (the dispatchers were alerted).": "已催办，但工单还无人处理（已通知调度）。",
  "Variable that receives the new ticket number.": "保存新工单号的变量。",
  "When an open ticket was urged instead (the urge field above): nobody handles it yet (the dispatchers were alerted).":
    "已按上面的字段催办已有工单，但工单还无人处理（已通知调度）。",
  "Variable that receives the urge count.": "保存催办次数的变量。",
  "Where any error mid-call goes (an apology, then a queue or voicemail). Never silence.":
    "通话中出错时去往的节点（先致歉，再转人工或留言），不能让来电者听到静音。",
  "variable → field of the result record.": "变量 → 查询结果中的字段。",
  "Business hours: weekly opening hours in a time zone, holidays closed, make-up working days open.":
    "营业时间：某时区的每周营业时段，节假日休息，调休日上班。",
  "A dotted path into the evaluation context: var.<name> (IVR variables), call.caller, call.did, call.hour, customer.<field>, ticket.<field>, ticket.status, event.<field>.":
    "要判断的数据，例如 var.<变量名>、call.caller（来电号码）、customer.<字段>、ticket.<字段>。",
  "A structured condition tree: all/any/not groups over comparisons. Data, never code.":
    "条件：由“全部满足 / 任一满足 / 不满足”组合的比较。",
  "Branches on the calendar: open or closed now. Without a calendar the tenant's business calendar is used.":
    "按营业日历分支：当前营业或非营业。不指定日历时使用租户的营业日历。",
  "Looks a key up in a tenant data table, a built-in source or a webhook and copies result fields into variables.":
    "在数据表、内置数据或 Webhook 中查询，并把结果字段保存到变量。",
  "Hands the call to an agent queue; after the agent hangs up the caller may go on (for example to a survey).":
    "把来电转给座席队列；座席挂机后来电者可继续（例如满意度调查）。",
  "Creates a ticket of a form from what the caller entered (for example a pickup order).":
    "用来电者输入的内容创建工单（例如取件单）。",
  // Node types (the palette's hints, hotline/designer/api/kinds.py NODE_HELP)
  "Branches on the calendar: open or closed now.": "按营业日历分支：当前营业或非营业。",
  "Plays a prompt and goes where the pressed digit leads; retries, then the fallback.":
    "播放提示音，按来电者按的键去往对应节点；输入错误会重试，再转兜底。",
  "Plays a prompt, then goes on.": "播放一段提示音，然后继续。",
  "Asks for digits (a waybill or account number) and stores them in a variable.":
    "请来电者输入号码（如运单号、账号），保存到变量。",
  "Looks a key up in a data table, a built-in source or a webhook.": "在数据表、内置数据或 Webhook 中查询。",
  "Goes to the first branch whose condition holds, else to the default.": "去往第一个条件成立的分支，都不成立时走“否则”。",
  "Sets flow variables, then goes on.": "设置流程变量，然后继续。",
  "Hands the call to a skill queue with a priority.": "按优先级把来电转入技能队列。",
  "Transfers the call to an allow-listed external number.": "把来电转接到允许的外部号码。",
  "Records a message from the caller.": "录制来电者的留言。",
  "Offers to call the caller back instead of waiting.": "提供预约回电，来电者不用等待。",
  "Creates a ticket of a form from what the caller entered.": "用来电者输入的内容创建工单。",
  "Urges the caller's own ticket: an urge on it, the handler or the dispatchers told.":
    "催办来电者自己的工单：记一次催办，并通知处理人或调度。",
  "Sends a text message (for example the caller's pickup details).": "发送短信（例如取件信息）。",
  "Asks the caller for a score after the call.": "通话后请来电者打分。",
  "Continues in another part of the flow.": "跳到流程的另一部分继续。",
  "Plays an optional goodbye and ends the call.": "播放结束语（可选）并挂机。",
  "Urges a ticket on the caller's behalf: counts as an urge on the original ticket; only its owner (same phone, or the last four digits of it as the code) may urge.":
    "替来电者催办工单：计为一次催办；只有工单本人（同一号码，或以号码后四位为验证码）可以催办。",
};

/** Chinese for the few enumerated codes the IVR schema has (the stored value stays the code). */
export const ENUM_ZH: Record<string, string> = {
  ticket: "工单", customer: "客户资料", NORMAL_CLEARING: "正常挂机", USER_BUSY: "用户忙", CALL_REJECTED: "拒接",
  NORMAL_TEMPORARY_FAILURE: "临时故障", "": "无", "#": "#", "*": "*", GET: "GET", POST: "POST",
};

/** A schema description in the reader's language (the English sentence when there is no Chinese). */
export function describe(text: string, locale: string): string {
  return locale === "en" ? text : DESCRIPTION_ZH[text] ?? text;
}

const human = (key: string): string => key.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

/** The title of a field, for the panel's language. */
export function fieldTitle(key: string, schemaTitle: string | undefined, locale: string): string {
  if (locale === "en") return schemaTitle || human(key);
  return FIELD_ZH[key] ?? (schemaTitle ? FIELD_ZH[schemaTitle] ?? schemaTitle : key);
}

/**
 * A copy of a (bundled) schema with every property titled and every description and oneOf branch in the
 * panel's language, so rjsf never shows a raw property name, "option 1" or an English sentence.
 */
export function localizeSchema(schema: any, locale: string, seen = new WeakMap<object, any>()): any {
  if (Array.isArray(schema)) return schema.map((item) => localizeSchema(item, locale, seen));
  if (!schema || typeof schema !== "object") return schema;
  if (seen.has(schema)) return seen.get(schema);
  const out: any = {};
  seen.set(schema, out);
  for (const [key, value] of Object.entries<any>(schema)) {
    if (key === "properties" && value && typeof value === "object" && !Array.isArray(value)) {
      out.properties = {};
      for (const [name, sub] of Object.entries<any>(value)) {
        const local = localizeSchema(sub, locale, seen);
        if (!local || typeof local !== "object" || Array.isArray(local)) { out.properties[name] = local; continue; }
        const titled = { ...local, title: fieldTitle(name, sub?.title, locale) };
        if (locale !== "en" && Array.isArray(local.enum) && local.enum.every((v: unknown) => typeof v === "string")) {
          // Labels for codes: the same choice, shown in words.
          const { enum: codes, ...rest } = titled;
          out.properties[name] = { ...rest, type: "string", oneOf: codes.map((code: string) => ({ const: code, title: ENUM_ZH[code] ?? code })) };
        } else out.properties[name] = titled;
      }
    } else if (key === "description" && typeof value === "string") {
      out.description = locale === "en" ? value : DESCRIPTION_ZH[value] ?? value;
    } else if (key === "title" && typeof value === "string") {
      out.title = locale === "en" ? value : FIELD_ZH[value] ?? value;
    } else {
      out[key] = localizeSchema(value, locale, seen);
    }
  }
  return out;
}

/** English item names of the lists a node has (the list's title is plural). */
const ITEM_EN: Record<string, string> = { Branches: "Branch", Holidays: "Holiday", Workdays: "Workday", Skills: "Skill" };

/**
 * An item's title in a list: rjsf calls the first branch "分支-1" (the list's title, a dash, the number); people
 * read "分支 1" / "Branch 1", like the port of the same branch on the canvas.
 */
export function itemTitle(rjsfTitle: string, locale: string): string {
  const match = /^(.*)-(\d+)$/.exec(rjsfTitle);
  if (!match) return rjsfTitle;
  const name = locale === "en" ? ITEM_EN[match[1]] ?? match[1] : match[1];
  return `${name} ${match[2]}`;
}
