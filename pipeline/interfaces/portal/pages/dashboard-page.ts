/**
 * The coordinator's dashboard: the last run and a button to run now, every department's status
 * (已报/空表/缺报 and its findings), every ledger, the report's figures with their status, and
 * the latest report workbook.
 */
import type { TallyConfig } from '../../../kernel/config/config.ts';
import { html, Html } from '../html.ts';
import { completenessChart, yoyChart } from '../../../../reports/charts/charts.ts';
import type { PortalSnapshot } from '../portal-snapshot.ts';
import type { Finding } from '../../../kernel/findings/findings.ts';
import type { RunRecord } from '../portal-runner.ts';
import { findingsTable } from './findings-table.ts';
import { beijingTime, layout } from './layout.ts';

export interface DashboardInput {
  readonly config: TallyConfig;
  readonly snapshot: PortalSnapshot;
  /** `/c/<token>`. */
  readonly base: string;
  /** The report workbook's file name when it exists. */
  readonly workbook: string | null;
  readonly lastRun: RunRecord | undefined;
  readonly busy: boolean;
  readonly notice?: 'ran' | 'failed' | undefined;
}

export function dashboardPage(input: DashboardInput): string {
  const { config, snapshot, base } = input;
  const title = `${config.town}${config.year}年度法治政府建设台账报送总览`;
  const run = snapshot.run;
  const failed = input.lastRun?.error;
  // Findings about a figure (year over year, bounds, a summary's claim) point at no file: their own section.
  const files = snapshot.unowned.filter((f) => !isIndicatorFinding(f));

  const body = html`<header class="top"><h1>${title}</h1><p class="who">${config.coordinator.name}</p></header>
<main>
${input.notice === 'ran' && failed === undefined ? html`<p class="banner ok" id="ran">已运行：台账已重新核查，报告工作簿和邮件已生成。</p>` : ''}
${failed !== undefined ? html`<p class="banner error" id="run-failed">最近一次运行失败：${failed}</p>` : ''}
<section id="run">
<h2>运行</h2>
<p id="last-run">${
    run === null
      ? '尚未运行过。'
      : html`最近一次核查：${beijingTime(run.finishedAt ?? run.startedAt)}，${run.errors} 个错误、${run.warnings} 个警告${run.mails > 0 ? `，发出邮件 ${run.mails} 封` : ''}。`
  }${input.busy ? html`<span class="muted">（正在运行…）</span>` : ''}</p>
<form method="post" action="${base}/run" class="inline"><button type="submit" id="run-now" class="primary">立即运行（核查全部台账、生成报告并发送邮件）</button></form>
${input.workbook === null ? html`<p class="muted">报告工作簿尚未生成。</p>` : html`<p><a id="report-link" href="${base}/report.xlsx">下载最新报告工作簿（${input.workbook}）</a>　<a id="findings-link" href="${base}/findings.csv" download>下载完整问题清单（CSV）</a></p>`}
</section>

<section id="departments">
<h2>各部门报送情况</h2>
<table id="department-table"><thead><tr><th>部门</th><th>应报</th><th>已报</th><th>空表</th><th>缺报</th><th>错误</th><th>警告</th><th>最近上传</th></tr></thead><tbody>
${snapshot.departments.map((d) => {
  const owed = d.ledgers.filter((l) => l.owed);
  const count = (s: string) => owed.filter((l) => l.status === s).length;
  const errors = d.totals.错误;
  const latest = d.files.filter((f) => f.current).reduce<Date | null>((m, f) => (m === null || f.receivedAt > m ? f.receivedAt : m), null);
  return html`<tr data-department="${d.code}"><td>${d.name}</td><td>${owed.length}</td><td class="reported">${count('已报')}</td><td class="empty">${count('空表')}</td>
<td class="missing${count('缺报') > 0 ? ' bad' : ''}">${count('缺报')}</td><td class="errors${errors > 0 ? ' bad' : ''}">${errors}</td><td class="warnings">${d.totals.警告}</td><td>${beijingTime(latest)}</td></tr>`;
})}
</tbody></table>
<details><summary>逐本台账</summary>
<table id="ledger-table"><thead><tr><th>部门</th><th>台账</th><th>状态</th><th>文件</th><th>数据行数</th><th>问题数</th></tr></thead><tbody>
${snapshot.departments.flatMap((d) =>
  d.ledgers.map(
    (l) => html`<tr><td>${d.name}</td><td>${l.ledgerName}</td><td class="status s-${l.status}">${l.status}</td><td>${l.files.join('、')}</td><td>${l.rows}</td><td>${l.findings}</td></tr>`,
  ),
)}
</tbody></table></details>
</section>

<section id="charts">
<h2>图表</h2>
${townCharts(input)}
</section>

<section id="indicators">
<h2>报告指标</h2>
<table id="indicator-table"><thead><tr><th>序号</th><th>指标</th><th>数值</th><th>报告表述</th><th>状态</th></tr></thead><tbody>
${snapshot.indicators.map(
  (i, n) => html`<tr data-indicator="${i.code}"><td>${n + 1}</td><td>${i.name}</td><td class="value">${i.value === null ? '' : String(i.value)}</td>
<td>${i.wording ?? ''}</td><td class="status i-${i.status}">${i.status}</td></tr>`,
)}
</tbody></table>
</section>

${indicatorFindings(snapshot)}
${
  files.length === 0
    ? ''
    : html`<section id="unowned"><h2>不属于任何部门的文件</h2>${findingsTable(files, { id: 'unowned-findings', folder: '', omitted: snapshot.unownedOmitted })}</section>`
}
</main>
<footer><p>本页面是司法所的总览链接，请勿转发。各部门的专用链接用 <code>tally tokens</code> 查看。</p></footer>`;
  return layout(title, body);
}

/** A finding about a figure, not a file: `indicator.*` (同比, 上下限, 自报数不符) with no file. */
function isIndicatorFinding(f: Finding): boolean {
  return f.file === null && f.code.startsWith('indicator.');
}

function indicatorFindings(snapshot: PortalSnapshot): Html | '' {
  const found = snapshot.unowned.filter(isIndicatorFinding);
  if (found.length === 0) return '';
  return html`<section id="indicator-findings"><h2>指标层面的问题（同比变动、指标间关系）</h2>
<table id="indicator-findings-table" class="findings"><thead><tr><th>序号</th><th>级别</th><th>规则编码</th><th>说明</th><th>期望</th><th>实际</th></tr></thead><tbody>
${found.map((f, i) => html`<tr data-code="${f.code}" data-level="${f.level}"><td>${i + 1}</td><td class="level ${f.level === '错误' ? 'error' : 'warning'}">${f.level}</td><td class="code"><code>${f.code}</code></td><td class="message">${f.message}</td><td>${f.expected ?? ''}</td><td>${f.actual ?? ''}</td></tr>`)}
</tbody></table></section>`;
}

/** `YYYY-MM-DD` in Beijing time. */
const beijingDay = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * Completeness against the deadline (owed ledgers received, by the day their first current file
 * arrived) and this year against last, drawn on the server as SVG (no script, CSP unchanged).
 */
function townCharts(input: DashboardInput): Html {
  const { config, snapshot } = input;
  const days: string[] = [];
  let owed = 0;
  for (const d of snapshot.departments) {
    for (const l of d.ledgers.filter((x) => x.owed)) {
      owed++;
      if (l.status === '缺报') continue;
      const times = d.files.filter((f) => f.current && l.files.includes(f.path)).map((f) => f.receivedAt.getTime());
      if (times.length > 0) days.push(beijingDay(new Date(times.reduce((a, b) => Math.min(a, b)))));
    }
  }
  days.sort();
  const points = [...new Set(days)].map((date) => ({ date, done: days.filter((x) => x <= date).length }));
  const completeness = completenessChart('台账报送进度', points, owed, config.deadline ?? null, '本台账');
  const pairs = snapshot.indicators.map((i) => ({ label: i.name, current: i.value, previous: i.previous }));
  const compared = pairs.some((p) => p.current !== null && p.previous !== null && p.previous !== 0);
  return html`<figure class="chart" id="chart-completeness">${new Html(completeness)}</figure>
${compared ? html`<figure class="chart" id="chart-yoy">${new Html(yoyChart(`${config.town}指标同比`, config.year, pairs))}</figure>` : html`<p class="muted" id="no-yoy">没有上年数值，无法比较（tally run --previous 上年报告.xlsx）。</p>`}`;
}
