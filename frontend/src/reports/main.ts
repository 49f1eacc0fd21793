// The report page's chart (Apache ECharts): reads the figures from the page's <script type="application/json">
// block (textContent, never innerHTML; the CSP forbids inline scripts) and draws one line per figure.
// Tree-shaken imports keep the entry small: line chart, grid, legend, tooltip, canvas renderer.
import { init, use } from "echarts/core";
import { LineChart } from "echarts/charts";
import { GridComponent, LegendComponent, TooltipComponent } from "echarts/components";
import { CanvasRenderer } from "echarts/renderers";

use([LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

interface Series {
  labels: string[];
  lines: { name: string; data: number[] }[];
}

export function drawReport(element: HTMLElement, series: Series): void {
  const chart = init(element);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: series.lines.map((l) => l.name) },
    grid: { left: 48, right: 16, top: 40, bottom: 32 },
    xAxis: { type: "category", data: series.labels },
    yAxis: { type: "value", minInterval: 1 },
    series: series.lines.map((l) => ({ name: l.name, type: "line", data: l.data, smooth: false })),
  });
  element.dataset.drawn = String(series.lines.length);
  window.addEventListener("resize", () => chart.resize());
}

const data = document.getElementById("report-data");
const target = document.getElementById("report-chart");
if (data && target) {
  const parsed = JSON.parse(data.textContent || "{}") as { series?: Series };
  if (parsed.series) drawReport(target, parsed.series);
}
