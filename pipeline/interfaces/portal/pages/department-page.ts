/**
 * A department's own page, behind its private link: the upload box first (drop or pick files,
 * findings within seconds, then 确认报送), then what it owes, its open findings, the files it
 * has sent with their versions, its template and its marked-up files.
 */
import type { Department, TallyConfig } from '../../../kernel/config/config.ts';
import { html } from '../html.ts';
import type { DepartmentSnapshot, PortalSnapshot } from '../portal-snapshot.ts';
import { beijingTime, fileSize, layout } from './layout.ts';
import { findingsTable } from './findings-table.ts';

export interface DepartmentPageInput {
  readonly config: TallyConfig;
  readonly department: Department;
  readonly snapshot: PortalSnapshot;
  /** The link's own path, `/d/<token>`. */
  readonly base: string;
  readonly templateName: string;
  /** File names under `<out>/marked/<department>/`. */
  readonly marked: readonly string[];
  readonly limits: { readonly maxFiles: number; readonly maxFileBytes: number };
  /** How many files were just placed (after 确认报送), if any. */
  readonly placed?: number | undefined;
  readonly busy: boolean;
}

export function departmentPage(input: DepartmentPageInput): string {
  const { config, department, snapshot, base } = input;
  const mine: DepartmentSnapshot | undefined = snapshot.departments.find((d) => d.code === department.code);
  const title = `${config.town}${config.year}年度法治政府建设台账报送`;
  const errors = mine?.totals.错误 ?? 0;
  const warnings = mine?.totals.警告 ?? 0;
  const maxMb = Math.floor((input.limits.maxFileBytes / 1024 / 1024) * 10) / 10;

  const body = html`<header class="top"><h1>${title}</h1><p class="who">${department.name}</p></header>
<main>
${input.placed === undefined ? '' : html`<p class="banner ok" id="placed">已报送 ${input.placed} 个文件。下面是报送后的核查结果。</p>`}
<section id="upload">
<h2>上传台账</h2>
<p>把填好的台账文件拖到下面的框里，或点“选择文件”。一次可选多个 .xlsx、.xls、.ods 或 .csv 文件（最多 ${input.limits.maxFiles} 个，每个不超过 ${maxMb} MB）。
几秒钟内会列出需要修改的地方；确认后点“确认报送”，文件才算报送。与已报文件同名的，即为该文件的新版本。</p>
<div id="drop" class="drop" data-preview="${base}/preview" data-confirm="${base}/confirm" data-page="${base}"
 data-max-files="${input.limits.maxFiles}" data-max-bytes="${input.limits.maxFileBytes}">
<p class="drop-hint">把文件拖到这里</p>
<label class="button">选择文件<input type="file" id="file-input" multiple accept=".xlsx,.xls,.ods,.csv"></label>
</div>
<div id="preview" hidden>
<p id="preview-status" class="status" role="status"></p>
<div id="preview-result"></div>
<p class="actions"><button type="button" id="confirm" class="primary" hidden>确认报送</button>
<button type="button" id="cancel" hidden>取消</button></p>
</div>
</section>

<section id="owed">
<h2>应报台账</h2>
${snapshot.run === null ? html`<p class="muted">尚未核查过。报送后这里会显示每本台账的状态。</p>` : ''}
<table class="ledgers"><thead><tr><th>台账</th><th>状态</th><th>文件</th><th>数据行数</th><th>问题数</th></tr></thead><tbody>
${(mine?.ledgers ?? []).map(
  (l) => html`<tr data-ledger="${l.ledger}"><td>${l.ledgerName}${l.owed ? '' : html`<span class="muted">（非应报）</span>`}</td>
<td class="status s-${l.status}">${l.status}</td><td>${l.files.map((f) => f.slice(department.code.length + 1)).join('、')}</td><td>${l.rows}</td><td>${l.findings}</td></tr>`,
)}
</tbody></table>
</section>

<section id="findings">
<h2>待修改的问题</h2>
${
  snapshot.run === null
    ? html`<p class="muted">尚未核查过。</p>`
    : mine === undefined || errors + warnings === 0
      ? html`<p class="ok" id="no-findings">最近一次核查（${beijingTime(snapshot.run.finishedAt ?? snapshot.run.startedAt)}）未发现问题。</p>`
      : html`<p>最近一次核查（${beijingTime(snapshot.run.finishedAt ?? snapshot.run.startedAt)}）发现 ${errors} 个错误、${warnings} 个警告。请按说明修改后重新上传同名文件。</p>
${findingsTable(mine.findings, { id: 'open-findings', folder: department.code, omitted: mine.omitted })}
${mine.omitted.length === 0 ? '' : html`<p id="full-list"><a href="${base}/findings.csv" download>下载完整问题清单（CSV，共 ${(errors + warnings).toLocaleString('en-US')} 处）</a></p>`}`
}
</section>

<section id="files">
<h2>已报送的文件</h2>
${
  (mine?.files.length ?? 0) === 0
    ? html`<p class="muted">还没有报送文件。</p>`
    : html`<table class="files"><thead><tr><th>文件</th><th>版本</th><th>接收时间</th><th>大小</th><th>状态</th></tr></thead><tbody>
${(mine?.files ?? []).map((f) => {
  const live = mine?.files.some((x) => x.path === f.path && x.current) ?? false;
  return html`<tr><td>${f.name}</td><td>第 ${f.version} 版</td><td>${beijingTime(f.receivedAt)}</td><td>${fileSize(f.size)}</td>
<td>${f.current ? '当前版本' : live ? '旧版本' : '已撤回'}</td></tr>`;
})}
</tbody></table>`
}
<p class="muted">报送情况以最近一次核查为准${input.busy ? '（正在核查，请稍后刷新）' : ''}。</p>
</section>

<section id="downloads">
<h2>下载</h2>
<ul>
<li><a id="template-link" href="${base}/template.xlsx" download="${input.templateName}">本部门填报模板（${input.templateName}）</a>：每本应报台账一个工作表，列名、下拉选项和填写说明都已设好。</li>
${
  input.marked.length === 0
    ? html`<li class="muted">批注版文件：暂无（司法所核查后生成，标出每个问题所在的单元格）。</li>`
    : input.marked.map((m) => html`<li><a class="marked-link" href="${base}/marked/${encodeURIComponent(m)}">批注版：${m}</a></li>`)
}
</ul>
</section>
</main>
<footer><p>本页面是${department.name}的专用链接，请勿转发。如有疑问请联系${config.coordinator.name}。</p></footer>`;
  return layout(`${department.name} · ${title}`, body);
}
