/** The per-kind editors the shell mounts (kinds missing here fall back to the shell's generic form). */
import type { ComponentType } from "react";
import type { EditorProps } from "../shell/types";
import { DispatchEditor } from "./dispatch/DispatchEditor";
import { FormEditor } from "./form/FormEditor";
import { OutboundEditor } from "./outbound/OutboundEditor";

export const editors: Partial<Record<"form" | "dispatch" | "outbound", ComponentType<EditorProps>>> = {
  form: FormEditor,
  dispatch: DispatchEditor,
  outbound: OutboundEditor,
};
