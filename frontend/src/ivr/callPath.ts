/**
 * Which way a test call went at each step of its path, in words: 营业时间内「主菜单」, 按键 1「查件」, 未找到「结束语」,
 * 超时 · 兜底「结束语」. The server says where each step went and the facts that decided it (`steps` of a test call:
 * the last key, null for a time-out, a lookup's found, an hours node's open, a condition's branch); the words are
 * the canvas's port words (graph.ts `portWord`), never the stored codes.
 */
import { portWord, PORT_WORDS } from "./graph";
import { fill, type T } from "./strings";

export interface CallStep {
  node: string | null; next: string | null;
  /** The last key pressed in the step ("" when none was asked, null when the caller pressed nothing). */
  key: string | null;
  facts: { open?: boolean; found?: boolean; branch?: number | "else"; retries_exhausted?: boolean };
}

/** The port a step left by, in words (null when the step went nowhere or its node is unknown). */
export function wayWord(step: CallStep, node: any, t: T): string | null {
  const next = step.next;
  if (!next || !node || typeof node !== "object") return null;
  const { open, found, branch } = step.facts ?? {};
  const options = node.options && typeof node.options === "object" ? node.options : {};
  if (node.type === "hours" && typeof open === "boolean") return portWord(open ? "open" : "closed", t);
  if (node.type === "lookup" && typeof found === "boolean" && node[found ? "found" : "not_found"] === next) {
    return portWord(found ? "found" : "not_found", t);
  }
  if (node.type === "condition" && branch === "else") return portWord("else", t);
  if (node.type === "condition" && typeof branch === "number") return `${portWord("branches", t)} ${branch + 1}`;
  if (typeof step.key === "string" && step.key && options[step.key] === next) return fill(t("Key {key}"), { key: step.key });
  // Otherwise the port leading to where the call went.
  const prop = Object.keys(PORT_WORDS).find((p) => node[p] === next);
  if (prop) return portWord(prop, t);
  const key = Object.keys(options).find((k) => options[k] === next);
  return key ? fill(t("Key {key}"), { key }) : null;
}

/** The whole note for a step: the way, then the node it led to by its label (「查件」), a time-out said first. */
export function wayText(step: CallStep, nodes: Record<string, any>, t: T): string | null {
  const word = wayWord(step, step.node ? nodes[step.node] : undefined, t);
  if (!word || !step.next) return null;
  const timedOut = step.key === null && step.next !== step.node;
  const way = timedOut ? `${t("Time-out")} · ${word}` : word;
  return fill(t("{way} “{node}”"), { way, node: nodes[step.next]?.label || step.next });
}
