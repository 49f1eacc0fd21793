/** What every editor component needs from the shell (the EditorContext) plus the translate function,
 * passed through React context so small components do not thread props through every level. */
import { createContext, useContext } from "react";
import type { EditorContext } from "../../shell/types";
import { zh } from "../strings";

export type Translate = (english: string) => string;

export interface Env {
  ctx: EditorContext;
  t: Translate;
}

/** Our own table first (zh_CN), then the shell's ctx.t, which also covers English (keys are English). */
export function makeT(ctx: EditorContext): Translate {
  return (english) => (ctx.locale === "zh_CN" && english in zh ? zh[english] : ctx.t(english));
}

export const EnvContext = createContext<Env | null>(null);

export function useEnv(): Env {
  const env = useContext(EnvContext);
  if (env === null) throw new Error("editor component rendered outside an editor");
  return env;
}

export function useT(): Translate {
  return useEnv().t;
}
