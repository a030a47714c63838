/** A department's findings as a table: the columns of the mail (级别, 文件, 工作表, 单元格, 说明) plus the 规则编码. */
import { omittedLine, type Finding, type OmittedFindings } from '../../../kernel/findings/findings.ts';
import { findingLines } from '../../../../reports/finding-lines.ts';
import { html, type Html } from '../html.ts';

export function findingsTable(findings: readonly Finding[], opts: { id: string; folder: string; omitted?: readonly OmittedFindings[] }): Html {
  let n = 0;
  const rows = findingLines(findings, opts.omitted).map((line) => {
    if (line.kind === 'omitted') {
      const o = line.omitted;
      return html`<tr class="omitted" data-code="${o.code}" data-level="${o.level}">
<td></td><td class="level ${o.level === '错误' ? 'error' : 'warning'}">${o.level}</td>
<td class="file">${stripFolder(o.file, opts.folder)}</td><td class="sheet">${o.sheet}</td><td class="cell"></td>
<td class="code"><code>${o.code}</code></td><td class="message">${omittedLine(o)}</td></tr>`;
    }
    const f = line.finding;
    return html`<tr data-code="${f.code}" data-level="${f.level}">
<td>${++n}</td><td class="level ${f.level === '错误' ? 'error' : 'warning'}">${f.level}</td>
<td class="file">${stripFolder(f.file, opts.folder)}</td><td class="sheet">${f.sheet}</td><td class="cell">${f.cell}</td>
<td class="code"><code>${f.code}</code></td><td class="message">${f.message}${expectedActual(f)}</td></tr>`;
  });
  return html`<table id="${opts.id}" class="findings">
<thead><tr><th>序号</th><th>级别</th><th>文件</th><th>工作表</th><th>单元格</th><th>规则编码</th><th>说明</th></tr></thead>
<tbody>${rows}</tbody></table>`;
}

function expectedActual(f: Finding): Html {
  if (f.expected === null && f.actual === null) return html``;
  return html`<span class="detail">（${f.expected === null ? '' : html`期望：<q>${f.expected}</q>`}${f.expected !== null && f.actual !== null ? '；' : ''}${f.actual === null ? '' : html`实际：<q>${f.actual}</q>`}）</span>`;
}

function stripFolder(file: string | null, folder: string): string {
  if (file === null) return '';
  return file.startsWith(`${folder}/`) ? file.slice(folder.length + 1) : file;
}
