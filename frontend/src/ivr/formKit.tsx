/**
 * rjsf made readable for the property panel: its default buttons are Bootstrap glyphicons, which the designer
 * does not load (they rendered as empty boxes), so here they are text buttons in the panel's language; its
 * own strings ("New Value", "%1 Key", "%1 option %2") are translated, and a map entry shows its key in a
 * labelled box ("按键", "变量名") instead of "0 Key".
 */
import { Button } from "antd";
import "./formKit.css";
import {
  ADDITIONAL_PROPERTY_FLAG, TranslatableString, buttonId, englishStringTranslator, replaceStringParameters,
  type IconButtonProps, type TitleFieldProps, type WrapIfAdditionalTemplateProps,
} from "@rjsf/utils";
import { itemTitle } from "./fieldText";
import { ivrT } from "./strings";

type T = (english: string) => string;

const ZH_STRINGS: Partial<Record<TranslatableString, string>> = {
  [TranslatableString.NewStringDefault]: "",
  [TranslatableString.AddButton]: "添加",
  [TranslatableString.AddItemButton]: "添加一项",
  [TranslatableString.RemoveButton]: "删除",
  [TranslatableString.MoveUpButton]: "上移",
  [TranslatableString.MoveDownButton]: "下移",
  [TranslatableString.CopyButton]: "复制",
  [TranslatableString.ClearButton]: "清空",
  [TranslatableString.KeyLabel]: "%1 的名称",
  [TranslatableString.TitleOptionPrefix]: "%1：方式 %2",
  [TranslatableString.OptionPrefix]: "方式 %1",
  [TranslatableString.ArrayItemTitle]: "项",
  [TranslatableString.EmptyArray]: "还没有内容，用下面的按钮添加。",
  [TranslatableString.YesLabel]: "是",
  [TranslatableString.NoLabel]: "否",
  [TranslatableString.Type]: "类型",
  [TranslatableString.Value]: "值",
};

/** rjsf's translateString for a locale: Chinese where we have it; never the "New Value" placeholder. */
export function translateString(locale: string) {
  return (key: TranslatableString, params?: string[]): string => {
    if (key === TranslatableString.NewStringDefault) return "";
    const zh = locale === "en" ? undefined : ZH_STRINGS[key];
    return zh !== undefined ? replaceStringParameters(zh, params) : englishStringTranslator(key, params);
  };
}

/** rjsf's icon buttons as antd text buttons (one visual design with the rest of the designer). */
const button = (english: string, danger = false) => function TextButton(props: IconButtonProps) {
  const { registry, uiSchema: _ui, iconType: _i, icon: _c, className, id, onClick, disabled, style } = props as any;
  const t = (registry.formContext?.ctx?.t ?? ((s: string) => s)) as T;
  return (
    <Button size="small" autoInsertSpace={false} id={id} className={`rjsf-text-button ${className || ""}`} style={style} onClick={onClick}
      disabled={disabled} danger={danger} title={t(english)}>{t(english)}</Button>
  );
};

export const BUTTONS = {
  AddButton: (props: IconButtonProps) => {
    const { registry, onClick, disabled, id, className } = props as any;
    const t = (registry.formContext?.ctx?.t ?? ((s: string) => s)) as T;
    return (
      <div className="rjsf-add-row">
        <Button size="small" type="dashed" autoInsertSpace={false} id={id} className={`rjsf-text-button add ${className || ""}`} onClick={onClick}
          disabled={disabled}>＋ {t("Add")}</Button>
      </div>
    );
  },
  RemoveButton: button("Remove", true),
  MoveUpButton: button("Move up"),
  MoveDownButton: button("Move down"),
  CopyButton: button("Copy"),
  ClearButton: button("Clear"),
};

/** An object's title (a legend). A list item (id "root_branches_0__title") reads "分支 1" without the required
 * star: an item is not a field one may leave out. Elsewhere the star says so in words when pointed at. */
export function TitleField(props: TitleFieldProps) {
  const { id, title, required, registry } = props;
  const ctx = registry.formContext?.ctx;
  const t: T = ctx ? ivrT(ctx) : (s) => s;
  const item = /_\d+__title$/.test(id);
  return (
    <legend id={id}>{item ? itemTitle(title, ctx?.locale ?? "zh_CN") : title}
      {required && !item ? <span className="required" title={t("Required")}>*</span> : null}</legend>
  );
}

/** A map entry (menu digit → node, variable → value): its key in a labelled box, its value, a remove button. */
export function WrapIfAdditional(props: WrapIfAdditionalTemplateProps) {
  const { id, classNames, style, disabled, label, onKeyRenameBlur, onRemoveProperty, readonly, schema, children,
    uiSchema, registry, rawErrors, hideError } = props;
  const cls = ["form-group", classNames, !hideError && rawErrors?.length ? "has-error" : ""].filter(Boolean).join(" ");
  if (!(ADDITIONAL_PROPERTY_FLAG in schema)) return <div className={cls} style={style}>{children}</div>;
  const t = (registry.formContext?.ctx?.t ?? ((s: string) => s)) as T;
  const keyLabel = (uiSchema?.["ui:options"] as any)?.keyLabel ?? t("Name");
  const { RemoveButton } = registry.templates.ButtonTemplates;
  return (
    <div className={`${cls} map-entry`} style={style}>
      <label className="map-key">{keyLabel}
        <input type="text" id={`${id}-key`} defaultValue={label} key={label} onBlur={onKeyRenameBlur}
          disabled={disabled || readonly} size={8} />
      </label>
      <div className="map-value">{children}</div>
      <RemoveButton id={buttonId(id, "remove")} className="rjsf-object-property-remove" disabled={disabled || readonly}
        onClick={onRemoveProperty} uiSchema={uiSchema} registry={registry} />
    </div>
  );
}

const NEW_KEY = /^newKey(-\d+)?$/;

/**
 * rjsf names a new map entry "newKey": replaced by the first free "<prefix>_<n>" (a valid machine name), at
 * any depth, so what reaches the document never holds rjsf's placeholder.
 */
export function renameNewKeys(value: any, prefix = "name"): any {
  // A list comes back as the same list when nothing in it was renamed: a new array every call made the panel
  // think a key was renamed on every edit of a node holding a list (a condition's branches) and rebuild its form,
  // which took the focus out of the box being typed in after each key (fix-focus item 1).
  if (Array.isArray(value)) {
    const items = value.map((item) => renameNewKeys(item, prefix));
    return items.some((item, i) => item !== value[i]) ? items : value;
  }
  if (!value || typeof value !== "object") return value;
  let changed = false;
  const out: any = {};
  for (const [key, sub] of Object.entries(value)) {
    let name = key;
    if (NEW_KEY.test(key)) {
      for (let n = 1; ; n++) if (!(`${prefix}_${n}` in value) && !(`${prefix}_${n}` in out)) { name = `${prefix}_${n}`; break; }
    }
    const next = renameNewKeys(sub, prefix);
    if (name !== key || next !== sub) changed = true;
    out[name] = next;
  }
  return changed ? out : value;
}
