/** The condition tree of common.schema.json#/$defs/condition: all/any/not groups over comparisons. */
import type { FieldRef } from "../../../shell/types";

export type Op =
  | "eq" | "ne" | "gt" | "gte" | "lt" | "lte" | "in" | "not_in" | "contains" | "starts_with" | "ends_with"
  | "matches" | "exists" | "not_exists" | "empty" | "not_empty";

export interface Comparison { field: string; op: Op; value?: unknown }
export interface AllGroup { all: Condition[] }
export interface AnyGroup { any: Condition[] }
export interface NotNode { not: Condition }
export type Condition = Comparison | AllGroup | AnyGroup | NotNode;

/** Operators in the order offered, with the English label the string table translates. */
export const OPS: { op: Op; label: string }[] = [
  { op: "eq", label: "equals" },
  { op: "ne", label: "does not equal" },
  { op: "gt", label: "greater than" },
  { op: "gte", label: "at least" },
  { op: "lt", label: "less than" },
  { op: "lte", label: "at most" },
  { op: "in", label: "is one of" },
  { op: "not_in", label: "is none of" },
  { op: "contains", label: "contains" },
  { op: "starts_with", label: "starts with" },
  { op: "ends_with", label: "ends with" },
  { op: "matches", label: "matches pattern" },
  { op: "exists", label: "is present" },
  { op: "not_exists", label: "is absent" },
  { op: "empty", label: "is empty" },
  { op: "not_empty", label: "is not empty" },
];

export const NO_VALUE: ReadonlySet<Op> = new Set(["exists", "not_exists", "empty", "not_empty"]);
export const LIST_VALUE: ReadonlySet<Op> = new Set(["in", "not_in"]);
const NUMERIC_OPS: ReadonlySet<Op> = new Set(["gt", "gte", "lt", "lte"]);
const TEXT_OPS: ReadonlySet<Op> = new Set(["contains", "starts_with", "ends_with", "matches"]);

export function isNumeric(field: FieldRef | undefined): boolean {
  return field?.type === "integer" || field?.type === "number";
}

/** The operators that make sense for a field (the schema allows any; these are the useful ones). */
export function opsFor(field: FieldRef | undefined): Op[] {
  const all = OPS.map((o) => o.op);
  if (!field) return all;
  if (field.type === "boolean") return ["eq", "ne", "exists", "not_exists"];
  if (field.options?.length && isNumeric(field)) return all.filter((op) => !TEXT_OPS.has(op)); // priority ≥ 紧急
  if (field.options?.length) return all.filter((op) => !NUMERIC_OPS.has(op) && !TEXT_OPS.has(op));
  if (isNumeric(field)) return all.filter((op) => !TEXT_OPS.has(op));
  return all.filter((op) => !NUMERIC_OPS.has(op));
}

/** A value of the field's type for a comparison that needs one. */
export function defaultValue(field: FieldRef | undefined, op: Op): unknown {
  if (NO_VALUE.has(op)) return undefined;
  const first = field?.options?.length ? (isNumeric(field) ? Number(field.options[0]) : field.options[0]) : undefined;
  if (LIST_VALUE.has(op)) return first === undefined ? [] : [first];
  if (first !== undefined) return first;
  if (field?.type === "boolean") return true;
  if (isNumeric(field)) return 0;
  return "";
}

/** The value carried over an operator change: a list becomes its first item and back. */
export function convertValue(value: unknown, field: FieldRef | undefined, op: Op): unknown {
  if (NO_VALUE.has(op)) return undefined;
  if (LIST_VALUE.has(op)) {
    if (Array.isArray(value)) return value;
    return value === undefined || value === "" ? [] : [value];
  }
  if (Array.isArray(value)) return value.length ? value[0] : defaultValue(field, op);
  return value === undefined ? defaultValue(field, op) : value;
}

/** A new comparison reads no field until the analyst picks one (QA: the first field pre-selected made a
 * condition silently compare a field nobody chose); choosing it sets the operator and value that fit. */
export function newComparison(_fields: FieldRef[] = []): Comparison {
  return { field: "", op: "not_empty" };
}

/** The values of a comparison outside the field's bounds (当前小时 25), or not whole where the field is an
 * integer: said in the row as they are typed, not only by the server's value-out-of-bounds after the save. */
export function outOfBounds(field: FieldRef | undefined, op: Op, value: unknown): unknown[] {
  if (!field || NO_VALUE.has(op) || (field.minimum === undefined && field.maximum === undefined)) return [];
  const values = Array.isArray(value) ? value : [value];
  return values.filter((v) => {
    if (v === undefined || v === null || v === "") return false;
    const n = Number(v);
    if (Number.isNaN(n)) return false;
    return (field.minimum !== undefined && n < field.minimum) || (field.maximum !== undefined && n > field.maximum)
      || (field.type === "integer" && !Number.isInteger(n));
  });
}
