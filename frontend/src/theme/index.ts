/** Hotline's Ant Design theme: the seed tokens in tokens.json, shared with the server-drawn pages, whose style
 * sheet (static/ui/hotline.css) mirrors the resulting tokens as --hl-* custom properties
 * (tests/designer/test_ui_tokens.py computes them with antd's theme.getDesignToken and compares). */
import type { ThemeConfig } from "antd";
import enUS from "antd/locale/en_US";
import zhCN from "antd/locale/zh_CN";
import tokens from "./tokens.json";

export const hotlineTheme: ThemeConfig = { token: tokens };

/** antd's own texts (pagination, empty states, modal buttons) in the page's language. */
export function antdLocale(locale: string) {
  return locale === "en" ? enUS : zhCN;
}
