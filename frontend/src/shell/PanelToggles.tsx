/** The buttons that fold the side panels away on a laptop and open them as drawers on a phone (shell/usePanels.ts).
 * Each says by aria-pressed whether its panel is shown. */
import { Button } from "antd";
import type { PanelName, Panels } from "./usePanels";

const TITLES: Record<PanelName, string> = { palette: "Node types", properties: "Properties", checks: "Findings and versions" };

export function PanelToggles({ panels, names, t }: {
  panels: Panels; names: PanelName[]; t: (s: string) => string;
}) {
  return (
    <span className="panel-toggles" role="group" aria-label={t("Side panels")}>
      {names.map((name) => {
        const shown = panels.shown(name);
        return (
          <Button key={name} size="small" type={shown ? "primary" : "default"} ghost={shown} aria-pressed={shown}
            data-testid={`panel-${name}`} onClick={() => panels.toggle(name)}
            title={t(panels.narrow ? (shown ? "Back to the editor" : "Open this panel") : (shown ? "Fold this panel away" : "Show this panel"))}>
            {t(TITLES[name])}
          </Button>
        );
      })}
    </span>
  );
}
