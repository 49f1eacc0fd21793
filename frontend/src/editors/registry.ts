/** The per-kind editors the shell mounts (kinds missing here fall back to the shell's generic form). Each is a
 * loader, not the component: a page loads only its own kind's editor (a dispatch rule never downloads the form
 * builder or the IVR canvas), as a chunk of its own. */
import type { ComponentType } from "react";
import type { EditorProps } from "../shell/types";

export type EditorLoader = () => Promise<ComponentType<EditorProps>>;

export const editors: Partial<Record<"form" | "dispatch" | "outbound", EditorLoader>> = {
  form: () => import("./form/FormEditor").then((m) => m.FormEditor),
  dispatch: () => import("./dispatch/DispatchEditor").then((m) => m.DispatchEditor),
  outbound: () => import("./outbound/OutboundEditor").then((m) => m.OutboundEditor),
};
