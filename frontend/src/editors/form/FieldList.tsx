/** The form's fields in display order: select one to edit it, drag (or the arrows) to reorder. */
import { useState } from "react";
import type { Finding } from "../../shell/types";
import { countUnder } from "../common/findings";
import { useT } from "../common/env";
import { ListButtons } from "../common/inputs";
import { ptr } from "../common/pointer";
import type { FormDoc } from "./model";
import { fieldOrder, moveField, placeField, removeField } from "./model";

interface Props {
  doc: FormDoc;
  selected: string | null;
  findings: Finding[];
  onSelect: (name: string | null) => void;
  onChange: (doc: FormDoc) => void;
  onAdd: () => void;
}

export function FieldList({ doc, selected, findings, onSelect, onChange, onAdd }: Props) {
  const t = useT();
  const order = fieldOrder(doc);
  const required = new Set(doc.schema?.required ?? []);
  const [dragged, setDragged] = useState<string | null>(null);
  return (
    <div className="ed-field-list">
      <ol>
        {order.map((name, i) => {
          const field = doc.schema.properties[name];
          const problems = countUnder(findings, ptr("schema", "properties", name)) + countUnder(findings, ptr("ui", "fields", name));
          return (
            <li key={name} data-testid={`field-${name}`} draggable
                className={`ed-field-row${name === selected ? " ed-selected" : ""}${problems ? " ed-has-error" : ""}`}
                onClick={() => onSelect(name)}
                onDragStart={(e) => { setDragged(name); e.dataTransfer.effectAllowed = "move"; }}
                onDragOver={(e) => { if (dragged && dragged !== name) e.preventDefault(); }}
                onDrop={(e) => {
                  e.preventDefault();
                  if (dragged && dragged !== name) onChange(placeField(doc, dragged, name));
                  setDragged(null);
                }}
                onDragEnd={() => setDragged(null)}>
              <span className="ed-drag" aria-hidden>⋮⋮</span>
              <span className="ed-field-names">
                <span className="ed-field-title">
                  {field.title || name}
                  {required.has(name) ? <span className="ed-required">*</span> : null}
                </span>
                <span className="ed-mono ed-muted">{name}</span>
              </span>
              {problems ? <span className="ed-badge ed-error" title={t("Findings")}>{problems}</span> : null}
              <ListButtons index={i} count={order.length} testid={`field-${name}`}
                           onMove={(delta) => onChange(moveField(doc, name, delta))}
                           onRemove={() => {
                             if (name === selected) onSelect(null);
                             onChange(removeField(doc, name));
                           }} />
            </li>
          );
        })}
      </ol>
      <button type="button" className="ed-button ed-primary" data-testid="add-field" onClick={onAdd}>
        + {t("Add field")}
      </button>
    </div>
  );
}
