/**
 * The district's dashboard: which towns reported and when (with the completeness chart), every
 * town's figures against the district's, this year against last, the questions (异常), and each
 * figure's ranking of towns, as server-drawn SVG (no script: the CSP stays strict). `tally
 * district` writes it as `district-<year>.html` beside the workbook.
 */
import type { DistrictData } from '../../../district/district-data.ts';
import type { NamedChart } from '../../../../reports/district/district-charts.ts';
import { beijing, cellShown, figureLabel, totalShown } from '../../../../reports/district/district-cells.ts';
import { html, Html } from '../html.ts';
import { layout } from './layout.ts';

export function districtPage(data: DistrictData, charts: readonly NamedChart[]): string {
  const title = `${data.district}${data.year}年度法治政府建设指标汇总`;
  const chart = (c: NamedChart | undefined) =>
    c === undefined ? '' : html`<figure class="chart" id="${c.id}" aria-label="${c.title}">${new Html(c.svg)}</figure>`;
  const byId = (id: string) => charts.find((c) => c.id === id);
  const late = data.towns.filter((t) => t.status === '逾期').length;
  const missing = data.towns.filter((t) => t.status === '缺报').length;
  const flagged = data.anomalies.filter((a) => a.flagged);
  const name = new Map(data.figures.map((f) => [f.code, f.name]));
  const body = html`<header class="top"><h1>${title}</h1><p class="who">${data.coordinator?.name ?? data.district}</p></header>
<main>
<section id="submissions">
<h2>报送情况</h2>
<p id="submission-summary">应报 ${data.towns.length} 个街镇：已报 ${data.towns.length - late - missing} 个，逾期 ${late} 个，缺报 ${missing} 个${data.deadline === null ? '' : `（截止 ${data.deadline}）`}。</p>
${chart(byId('chart-completeness'))}
<table id="town-table"><thead><tr><th>街镇</th><th>状态</th><th>报送方式</th><th>报送时间</th><th>错误</th><th>警告</th></tr></thead><tbody>
${data.towns.map((t) => html`<tr data-town="${t.town}"><td>${t.town}</td><td class="status s-${t.status === '逾期' ? '缺报' : t.status}">${t.status}</td>
<td>${t.source === 'parquet' ? 'tally 导出' : t.source === 'xlsx' ? '报告工作簿' : ''}</td><td>${beijing(t.reportedAt)}</td><td class="errors${t.errors > 0 ? ' bad' : ''}">${t.errors}</td><td>${t.warnings}</td></tr>`)}
</tbody></table>
</section>

<section id="figures">
<h2>各街镇指标</h2>
<p class="muted">全区合计为有该指标数值的街镇之和；比率由各街镇分项之和重新计算，不取平均。缺报、无法统计、无法读取、无此指标、未报送不以 0 计。</p>
<div class="wide"><table id="figure-table"><thead><tr><th>街镇</th>${data.figures.map((f) => html`<th title="${f.code}">${figureLabel(f)}</th>`)}</tr></thead><tbody>
${data.towns.map((t) => html`<tr data-town="${t.town}"><td>${t.town}</td>${data.figures.map((f) => {
  const v = cellShown(t.cells.get(f.code));
  return html`<td data-code="${f.code}" class="${typeof v === 'number' ? 'value' : 'absent'}">${String(v)}</td>`;
})}</tr>`)}
<tr id="district-total"><th>全区合计</th>${data.figures.map((f) => html`<th data-code="${f.code}">${String(totalShown(data.totals.get(f.code)))}</th>`)}</tr>
</tbody></table></div>
${chart(byId('chart-yoy'))}
</section>

<section id="anomalies">
<h2>需核实（${flagged.length}）</h2>
<p class="muted">同级偏离：修正 z 分数 |M| > ${data.rules.outlierScore}（至少 ${data.rules.minPeers} 个街镇）；同比变动：超过 ±${data.rules.yoyThreshold * 100}% 或由 0 变为非 0；导出不一致：数值不等于计入行之和。</p>
<table id="anomaly-table"><thead><tr><th>类型</th><th>街镇</th><th>指标</th><th>说明</th></tr></thead><tbody>
${flagged.map((a) => html`<tr data-kind="${a.kind}" data-town="${a.town}" data-code="${a.code}"><td>${a.kind}</td><td>${a.town}</td><td>${name.get(a.code) ?? a.code}</td><td>${a.note}</td></tr>`)}
</tbody></table>
</section>

<section id="rankings">
<h2>各指标街镇排名</h2>
${charts.filter((c) => c.id.startsWith('chart-rank-')).map(chart)}
</section>
</main>
<footer><p>由 tally district 生成：${beijing(data.generatedAt)}。明细见 district-${String(data.year)}.xlsx（各街镇指标、报送情况、异常、溯源）。</p></footer>`;
  return layout(title, body);
}
