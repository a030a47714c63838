/**
 * A chart as SVG text, drawn on the server by Apache ECharts' SSR renderer: no script, no CDN,
 * nothing fetched. The SVG is inlined in pages served under a strict CSP (`style-src 'self'`, no
 * inline style), so what ECharts writes as CSS is turned into SVG presentation attributes
 * (`style="font-size:12px"` → `font-size="12px"`) and its hover `<style>` block is dropped: the
 * picture is the same, and the browser has no inline style to refuse.
 *
 * @example
 * const svg = renderChart({ xAxis: { type: 'category', data: ['a'] }, yAxis: {}, series: [{ type: 'bar', data: [1] }] }, { width: 600, height: 300 });
 */
import * as echarts from 'echarts';

export type ChartOption = echarts.EChartsOption;

/** Fonts the charts ask for: what Chinese desktops and this machine's Chromium have. */
export const CHART_FONT = 'Microsoft YaHei, PingFang SC, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif';

export interface ChartSize {
  readonly width: number;
  readonly height: number;
}

export function renderChart(option: ChartOption, size: ChartSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, textStyle: { fontFamily: CHART_FONT }, ...option });
    return cspSafeSvg(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/** Inline CSS out, presentation attributes in (see the file comment). */
export function cspSafeSvg(svg: string): string {
  return svg
    .replace(/<style[\s\S]*?<\/style>/g, '')
    .replace(/ style="([^"]*)"/g, (_, css: string) =>
      css
        .split(';')
        .map((decl) => decl.trim())
        .filter((decl) => /^[a-z-]+:/.test(decl))
        .map((decl) => {
          const i = decl.indexOf(':');
          const value = decl.slice(i + 1).trim().replace(/&quot;|"/g, '');
          return ` ${decl.slice(0, i)}="${value}"`;
        })
        .join(''),
    );
}
