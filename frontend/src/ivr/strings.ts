/**
 * The IVR canvas's own UI strings (Chinese by default), kept beside the canvas so the shell's shared
 * dictionary (shell/i18n.ts) is not edited by every area at once; anything not here falls back to it.
 */
import type { EditorContext } from "../shell/types";

const ZH: Record<string, string> = {
  "Shortcuts": "快捷键",
  "Keyboard shortcuts": "键盘快捷键",
  "Delete the selected nodes": "删除选中的节点",
  "Copy the selected nodes": "复制选中的节点",
  "Paste (ids renamed when taken)": "粘贴（编号重复时自动改名）",
  "Undo": "撤销",
  "Redo": "重做",
  "Find a node": "查找节点",
  "Select several nodes": "选择多个节点",
  "Shift+click or Shift+drag": "Shift+点击 或 Shift+拖动",
  "Close": "关闭",
  "Find node (name or id)": "查找节点（名称或编号）",
  "No node matches \u201c{q}\u201d": "没有节点匹配「{q}」",
  "Copied {n} nodes": "已复制 {n} 个节点",
  "Pasted {n} nodes": "已粘贴 {n} 个节点",
  "Pasted {n} nodes; renamed: {renamed}": "已粘贴 {n} 个节点；改名：{renamed}",
  "Nothing to paste: copy nodes first (Ctrl+C)": "没有可粘贴的内容：请先复制节点（Ctrl+C）",
  "Select nodes to copy first": "请先选择要复制的节点",
  "The clipboard does not hold copied nodes, so nothing was pasted": "剪贴板里不是复制的节点，未粘贴任何内容",
  "The clipboard holds {n} nodes; at most {max} can be pasted at once": "剪贴板里有 {n} 个节点，一次最多粘贴 {max} 个，未粘贴任何内容",
  "The clipboard holds {kb} KB; at most {max} KB can be pasted": "剪贴板内容有 {kb} KB，最多可粘贴 {max} KB，未粘贴任何内容",
  "The clipboard holds a node with the id \u201c{id}\u201d, which a node cannot have, so nothing was pasted": "剪贴板里的节点编号「{id}」不可用（只能用字母、数字和下划线，且不能以数字开头），未粘贴任何内容",
  "Node {id} in the clipboard is not a node, so nothing was pasted": "剪贴板里的「{id}」不是一个节点，未粘贴任何内容",
  "Node {id} in the clipboard has the unknown type \u201c{type}\u201d, so nothing was pasted": "剪贴板里的节点「{id}」的类型「{type}」不存在，未粘贴任何内容",
  "Re-layout": "重新布局",
  "Lay out new nodes; the ones you moved stay": "排列新节点；您移动过的节点保持原位",
  "Re-lay out every node, moved ones too": "重新排列全部节点（包括移动过的）",
  "Re-layout all": "全部重排",
  "More": "更多",
  "Required": "必填",
  "Zoom in": "放大",
  "Zoom out": "缩小",
  "The layout was not saved: {error}": "布局未保存：{error}",
  "Look up": "查询",
  "Preview": "试听",
  "Business calendar": "营业日历",
  "The tenant's business calendar": "使用租户的营业日历",
  "A calendar of its own (starts as a copy of the tenant's)": "使用本节点自己的日历（从租户日历复制开始）",
  "no business calendar is set for the tenant": "租户尚未设置营业日历",
  "Expand the branch": "展开此分支",
  "Fold the branch into this box": "把此分支折叠进这个节点",
  "{n} nodes folded": "已折叠 {n} 个节点",
  "Preview failed": "试听失败",
  "Playing the text as callers will hear it": "正在播放来电者将听到的语音",
  "Hear the text spoken by the TTS voice": "用语音合成试听这段文字",
  "Drag to add a menu option and connect it": "拖出连线：添加一个菜单按键并连接",
  "Record": "录音",
  "Upload audio": "上传音频文件",
  "Record again": "重新录音",
  "Stop": "停止",
  "{s} s of {max} s": "{s} 秒 / 最长 {max} 秒",
  "{s} s": "{s} 秒",
  "Record with the microphone (at most {max} s)": "用麦克风录音（最长 {max} 秒）",
  "Upload the recording": "上传录音",
  "Discard": "放弃",
  "The microphone cannot be used": "无法使用麦克风",
  "The recording could not be read": "无法读取录音",
  "The recording is too large": "录音太大",
  // Port words (graph.ts PORT_WORDS), as the property panel titles the same fields (fieldText.ts FIELD_ZH).
  "Next": "下一步", "Open": "营业时间内", "Closed": "非营业时间", "Fallback": "兜底", "Found": "找到",
  "Not found": "未找到", "On error": "出错时", "Else": "否则", "Branch": "分支", "Overflow": "溢出去向",
  "After the call": "通话结束后", "If it fails": "失败时", "Accepted": "接受时", "Declined": "拒绝时",
  "No handler": "无人处理", "Refused": "被拒绝", "Target": "目标节点",
  // The test call's path (callPath.ts)
  "Key {key}": "按键 {key}", "Time-out": "超时", "{way} \u201c{node}\u201d": "{way}「{node}」",
};

export type T = (english: string) => string;

/** `t` for the canvas: its own strings first, then the shell's. */
export function ivrT(ctx: Pick<EditorContext, "t" | "locale">): T {
  return (english) => (ctx.locale === "en" ? ctx.t(english) : ZH[english] ?? ctx.t(english));
}

/** Fills "{name}" placeholders. */
export function fill(text: string, values: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? String(values[key]) : whole));
}
