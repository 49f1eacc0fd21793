/** Parameters of each action type, read from the schema (the context's per-action schema, else the
 * kind schema's $defs): adding an action type on the server adds it here with no new UI code. */
import type { EditorContext } from "../../shell/types";

export interface ParamSpec {
  key: string;
  schema: any;
  required: boolean;
}

export interface ActionSpec {
  type: string;
  title: string;
  description: string;
  params: ParamSpec[];
}

/** Resolves a local `$ref` (#/$defs/x), keeping the sibling keywords (minLength next to a $ref). */
function resolve(node: any, defs: Record<string, any>, depth = 0): any {
  if (!node || typeof node !== "object" || depth > 8) return node;
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/$defs/")) {
    const { $ref, ...rest } = node;
    const target = resolve(defs[$ref.slice("#/$defs/".length).split("/")[0]], defs, depth + 1) ?? {};
    // x-own-description: the property's own help, not the shared definition's (which explains the
    // template engine to developers, not the parameter to analysts).
    return { ...target, ...rest, "x-ref": $ref.slice("#/$defs/".length), "x-own-description": rest.description };
  }
  return node;
}

export function actionTypes(ctx: EditorContext): string[] {
  const listed = (ctx.context.dispatch_actions ?? []).map((a) => a.type);
  if (listed.length) return listed;
  return ctx.schema?.["x-action-types"] ?? ctx.schema?.$defs?.action_base?.properties?.type?.enum ?? [];
}

export function actionSpec(ctx: EditorContext, type: string): ActionSpec {
  const listed = (ctx.context.dispatch_actions ?? []).find((a) => a.type === type) as
    { type: string; title?: string; description?: string; schema?: any } | undefined;
  const defs: Record<string, any> = { ...(ctx.schema?.$defs ?? {}), ...(listed?.schema?.$defs ?? {}) };
  const def = defs[type] ?? {};
  const required = new Set<string>(def.required ?? []);
  // Required parameters first, in the schema's `required` order (an array keeps its order through JSON
  // APIs that sort object keys), then the optional ones.
  const order = [...(def.required ?? []), ...Object.keys(def.properties ?? {}).filter((k) => !required.has(k))];
  const params = order
    .filter((key) => key !== "type" && key in (def.properties ?? {}))
    .map((key) => ({ key, schema: resolve(def.properties[key], defs), required: required.has(key) }));
  return {
    type,
    title: listed?.title ?? def.title ?? type,
    description: listed?.description ?? def.description ?? "",
    params,
  };
}
