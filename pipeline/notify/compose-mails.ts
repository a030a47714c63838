/**
 * Composes the mails of one run (contract §7): one to the coordinator with the whole picture,
 * one to each department on the roster with its own findings and the ledgers it still owes.
 * Every mail carries the report workbook as `report-<year>.xlsx`. Pure: no I/O.
 */
import type { Finding } from '../findings.ts';
import type { DepartmentInfo, ReportData } from '../../reports/report-data.ts';
import { shanghaiMinute } from '../../reports/write-report-workbook.ts';

export interface OutgoingMail {
  readonly to: string;
  readonly cc?: string;
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly attachments: { readonly filename: string; readonly path: string }[];
  /** `coordinator`, or the department code the mail is for. */
  readonly recipient: 'coordinator' | (string & {});
}

const SUBJECT_PREFIX = '【法治政府建设年度报告】';
const UNOWNED = '（未归属）';
const SIGNATURE = '—— tally 台账核查（本邮件由系统自动发送）';

/**
 * The coordinator's mail first, then one per department in roster order.
 *
 * @example
 * const mails = composeMails(data, 'out/report-2020.xlsx');
 * mails[0].subject; // '【法治政府建设年度报告】安定镇2020年度台账核查汇总：3个错误、2个警告'
 */
export function composeMails(data: ReportData, attachmentPath: string): OutgoingMail[] {
  const attachments = [{ filename: `report-${data.year}.xlsx`, path: attachmentPath }];
  return [
    coordinatorMail(data, attachments),
    ...data.departments.map((d) => departmentMail(data, d, attachments)),
  ];
}

function coordinatorMail(data: ReportData, attachments: OutgoingMail['attachments']): OutgoingMail {
  const filled = data.indicators.filter((i) => i.value !== null).length;
  const total = data.indicators.length;
  const names = new Map(data.departments.map((d) => [d.code, d.name]));
  const missing = data.submissions.filter((s) => s.status === '缺报');
  const when = shanghaiMinute(data.generatedAt.toISOString());

  // Roster order first, then codes not on the roster, then findings with no department.
  const groups = new Map<string | null, Finding[]>(data.departments.map((d) => [d.code, []]));
  for (const f of data.findings) {
    const list = groups.get(f.department) ?? [];
    list.push(f);
    groups.set(f.department, list);
  }
  const byDepartment = [...groups].map(([code, list]) => ({
    name: code === null ? UNOWNED : (names.get(code) ?? code),
    errors: count(list, '错误'),
    warnings: count(list, '警告'),
  }));

  const indicatorRows = data.indicators.map((i) => [i.name, i.wording ?? '缺报', i.status]);
  const intro = `${data.town}${data.year}年度法治政府建设年度情况报告的台账已核查完毕（${when}）。`;
  const countsLine = data.findings.length === 0 ? '未发现问题。' : `共${countsText(data.findings)}。`;
  const attachmentLine = `附件 ${attachments[0]?.filename ?? ''} 是填好的报告工作簿（指标汇总、问题清单、报送情况、报告正文）。各部门已分别收到各自的问题清单。`;

  const text = [
    `${data.coordinator.name}：`,
    '',
    intro,
    '',
    `一、指标：已填 ${filled}/${total} 项。`,
    ...indicatorRows.map(([name, wording, status], n) => `  ${n + 1}. ${name}：${wording}（${status}）`),
    '',
    `二、问题：${countsLine}`,
    ...byDepartment.map((d) => `  ${d.name}：${d.errors}个错误、${d.warnings}个警告`),
    '',
    '三、缺报台账：',
    ...(missing.length === 0 ? ['  无'] : missing.map((s) => `  ${s.department}·${s.ledger}`)),
    '',
    attachmentLine,
    '',
    SIGNATURE,
  ].join('\n');

  const html = page([
    p(`${data.coordinator.name}：`),
    p(intro),
    h(`一、指标：已填 ${filled}/${total} 项`),
    table(['指标名称', '报告表述', '状态'], indicatorRows, 2),
    h(`二、问题：${countsLine}`),
    table(
      ['部门', '错误', '警告'],
      byDepartment.map((d) => [d.name, String(d.errors), String(d.warnings)]),
    ),
    h('三、缺报台账'),
    missing.length === 0
      ? p('无')
      : table(['部门', '台账'], missing.map((s) => [s.department, s.ledger])),
    p(attachmentLine),
    p(SIGNATURE, 'color:#666666;'),
  ]);

  return {
    to: data.coordinator.email,
    subject: `${SUBJECT_PREFIX}${data.town}${data.year}年度台账核查汇总：${countsText(data.findings)}`,
    text,
    html,
    attachments,
    recipient: 'coordinator',
  };
}

function departmentMail(
  data: ReportData,
  department: DepartmentInfo,
  attachments: OutgoingMail['attachments'],
): OutgoingMail {
  const own = data.findings.filter((f) => f.department === department.code);
  const missing = data.submissions.filter(
    (s) => s.departmentCode === department.code && s.status === '缺报',
  );
  const intro = `您好！这是${data.town}${data.year}年度法治政府建设年度情况报告的台账核查结果。`;
  const findingsLine =
    own.length === 0
      ? `贵部门报送的台账未发现问题。`
      : `贵部门报送的台账中发现以下问题（${countsText(own)}），请按说明修改后重新放入报送文件夹：`;
  const missingLines = missing.map((s) => `《${s.ledger}》尚未报送，请尽快报送。`);
  const attachmentLine = `附件 ${attachments[0]?.filename ?? ''} 是全镇的报告工作簿，供参考。`;

  const rows = own.map((f, n) => [
    String(n + 1),
    f.level,
    f.file ?? '',
    f.sheet ?? '',
    f.cell ?? '',
    explain(f),
  ]);

  const text = [
    `${department.name}：`,
    '',
    intro,
    '',
    findingsLine,
    ...own.map(
      (f, n) =>
        `  ${n + 1}. 【${f.level}】文件：${f.file ?? '—'}；工作表：${f.sheet ?? '—'}；单元格：${f.cell ?? '—'}。${explain(f)}`,
    ),
    ...(missingLines.length === 0 ? [] : ['', ...missingLines]),
    '',
    attachmentLine,
    '',
    SIGNATURE,
  ].join('\n');

  const html = page([
    p(`${department.name}：`),
    p(intro),
    p(findingsLine),
    own.length === 0 ? '' : table(['序号', '级别', '文件', '工作表', '单元格', '说明'], rows, 1),
    ...missingLines.map((line) => p(line, 'color:#9c0006;')),
    p(attachmentLine),
    p(SIGNATURE, 'color:#666666;'),
  ]);

  return {
    to: department.email,
    subject: `${SUBJECT_PREFIX}${department.name} ${data.year}年度报送核查：${countsText(own)}`,
    text,
    html,
    attachments,
    recipient: department.code,
  };
}

/** `3个错误、2个警告`, `1个警告`, or `未发现问题`. */
function countsText(findings: readonly Finding[]): string {
  const errors = count(findings, '错误');
  const warnings = count(findings, '警告');
  const parts = [errors > 0 ? `${errors}个错误` : '', warnings > 0 ? `${warnings}个警告` : ''].filter(
    (s) => s !== '',
  );
  return parts.length === 0 ? '未发现问题' : parts.join('、');
}

function count(findings: readonly Finding[], level: Finding['level']): number {
  return findings.filter((f) => f.level === level).length;
}

/** The message, with 期望/实际 when present. */
function explain(f: Finding): string {
  const extra = [
    f.expected === null ? '' : `期望：${f.expected}`,
    f.actual === null ? '' : `实际：${f.actual}`,
  ].filter((s) => s !== '');
  return extra.length === 0 ? f.message : `${f.message}（${extra.join('；')}）`;
}

// --- HTML: inline styles only, every piece of text escaped. ---

const FONT_STYLE = "font-family:'Microsoft YaHei','PingFang SC','SimSun',sans-serif;font-size:14px;color:#222222;";
const CELL_STYLE = 'border:1px solid #bfbfbf;padding:4px 8px;text-align:left;vertical-align:top;';
const LEVEL_BACKGROUND: Readonly<Record<string, string>> = {
  错误: '#ffc7ce',
  有错误: '#ffc7ce',
  警告: '#ffeb9c',
  有警告: '#ffeb9c',
  缺报: '#d9d9d9',
};

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

function page(parts: readonly string[]): string {
  return `<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="${FONT_STYLE}">${parts.join('')}</body></html>`;
}

function p(text: string, style = ''): string {
  return `<p style="margin:8px 0;${style}">${escapeHtml(text)}</p>`;
}

function h(text: string): string {
  return `<p style="margin:16px 0 8px;font-weight:bold;">${escapeHtml(text)}</p>`;
}

/** A bordered table; `colourColumn` (0-based) gets the level/status background. */
function table(headers: readonly string[], rows: readonly (readonly string[])[], colourColumn?: number): string {
  const head = headers
    .map((t) => `<th style="${CELL_STYLE}background:#ddebf7;font-weight:bold;">${escapeHtml(t)}</th>`)
    .join('');
  const body = rows
    .map((row) => {
      const cells = row
        .map((t, col) => {
          const bg = col === colourColumn ? LEVEL_BACKGROUND[t] : undefined;
          const style = bg === undefined ? CELL_STYLE : `${CELL_STYLE}background:${bg};`;
          return `<td style="${style}">${escapeHtml(t).replaceAll('\n', '<br>')}</td>`;
        })
        .join('');
      return `<tr>${cells}</tr>`;
    })
    .join('');
  return `<table style="border-collapse:collapse;margin:4px 0 12px;${FONT_STYLE}"><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}
