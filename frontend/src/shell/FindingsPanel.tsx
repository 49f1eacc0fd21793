/** The findings of the last validate/save/publish; clicking one focuses the field or node it points at. */
import type { Finding } from "./types";
import { readablePointer } from "./readable";

export function FindingsPanel({ findings, onFocus, t, body }: {
  findings: Finding[]; onFocus: (pointer: string) => void; t: (s: string) => string; body: any;
}) {
  return (
    <section className="panel" data-testid="findings">
      <h3>{t("Findings")} {findings.length ? <span className="count">{findings.length}</span> : null}</h3>
      {findings.length === 0 ? <p className="muted">{t("No problems found")}</p> : (
        <ul className="findings">
          {findings.map((finding, i) => (
            <li key={i} data-testid="finding" className={`finding ${finding.severity}`}>
              <a href={`#${finding.pointer}`} onClick={(e) => { e.preventDefault(); onFocus(finding.pointer); }}>
                <span className={`badge ${finding.severity}`}>{t(finding.severity)}</span>{" "}
                <span className="where">{readablePointer(finding.pointer, body, t)}</span>
              </a>
              <div className="message">{finding.message}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
