/**
 * `tally inspect FILE... [--json]`: what tally sees in a file — for the office, and for a clerk
 * whose sheet was not recognised. For each file: its format, each sheet (hidden or not), the
 * header row found and the ledger it names (or why none), the rows read, the cells as read
 * (before any ledger typing) and the findings reading this file alone gives.
 *
 * Findings: those of reading the file (header, cells, truncation, unreadable file), exactly as
 * a run makes them. The checks a run makes in the database over the rows of all files (row
 * duplicates, 合计 against the rows, dates outside the year, cross-department duplicates, rules)
 * are not made here; the output says so.
 *
 * Exit code: 0 when every file was read; 1 when some file could not be read (missing, damaged,
 * encrypted, not a workbook) — each is still reported, the others inspected; 2 on a usage error.
 * The files are read in this process, one after another, with the run's size and row limits.
 *
 * @example
 * tally inspect inbox/justice/调解台账.xls
 * tally inspect --json a.xlsx b.csv | jq -c '.sheets[] | {name, ledger, headerRow}'
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CONFIG, loadConfig } from '../../../kernel/config/config.ts';
import type { Finding } from '../../../kernel/findings/findings.ts';
import { extractStream, type SheetExtraction } from '../../../../sheets/extract-sheet.ts';
import type { LedgerCatalog, LedgerDef } from '../../../../sheets/ledger-catalog.ts';
import { DEFAULT_LIMITS, UnreadableFileError, columnLetters, type RawCell, type ReadLimits, type SheetStream } from '../../../../sheets/raw-sheet.ts';
import { fileFormat, streamFile } from '../../../../sheets/read-file.ts';
import { foldText, normalizeLabel } from '../../../../sheets/values/index.ts';
import { UsageError, type Command } from './command.ts';

/** A cell as read, in JSON: a date as `YYYY-MM-DD` (or with `THH:MM:SS` when it has a time). */
export interface InspectedCell {
  readonly type: 'string' | 'number' | 'boolean' | 'date' | 'error' | 'formula';
  /** For `error`, the error value (`#DIV/0!`); for `formula`, a formula saved without its result: null. */
  readonly value: string | number | boolean | null;
  readonly formula?: true;
}

export interface InspectedSheet {
  readonly name: string;
  readonly hidden: boolean;
  /** The header row, 1-based (the upper one of a two-level header); null when no ledger header was found. */
  readonly headerRow: number | null;
  /** All header rows (two for a two-level header). */
  readonly headerRows: readonly number[];
  readonly ledger: string | null;
  readonly ledgerName: string | null;
  /** Header cell → the field it names. */
  readonly columns: readonly { readonly cell: string; readonly label: string; readonly field: string }[];
  /** Why no ledger was recognised (null when one was). */
  readonly notRecognized: string | null;
  /** Data rows read into the ledger. */
  readonly rowsRead: number;
  readonly merges: readonly string[];
  readonly hiddenRows: readonly number[];
  readonly findings: readonly InspectedFinding[];
  readonly cells: Readonly<Record<string, InspectedCell>>;
}

export type InspectedFinding = Pick<Finding, 'level' | 'code' | 'cell' | 'message' | 'expected' | 'actual'>;

export interface FileInspection {
  /** The path as given. */
  readonly file: string;
  /** null when the file's first bytes are no workbook tally reads (or it cannot be opened). */
  readonly format: 'xlsx' | 'xls' | 'ods' | 'csv' | 'html' | 'xml2003' | null;
  /** Why the file cannot be read (the `file.unreadable` message), or null. */
  readonly unreadable: string | null;
  /** Empty when unreadable: a run reads nothing of a file damaged part-way either. */
  readonly sheets: readonly InspectedSheet[];
  /** What this inspection does not check (the database checks of a run). */
  readonly notChecked: string;
}

export const NOT_CHECKED =
  '仅列出读取本文件时发现的问题；重复行、合计与明细不符、日期超出年度、跨部门重复、业务规则等检查需在数据库中汇总各文件后进行，请运行 tally run 查看。';

/** How far down a header is looked for (as sheets/detect-header.ts). */
const HEADER_SEARCH_ROWS = 40;

export const inspectCommand: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: { json: { type: 'boolean', default: false }, config: { type: 'string' }, year: { type: 'string' } },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length === 0) throw new UsageError('请给出要检查的文件，例如 tally inspect 台账.xls');
    if (values.year !== undefined && !/^\d{4}$/.test(values.year)) throw new UsageError(`--year 应为四位年份，收到“${values.year}”`);
    const config = loadConfig(values.config === undefined ? DEMO_CONFIG : resolve(values.config), values.year === undefined ? {} : { year: Number(values.year) });
    const limits: ReadLimits = { ...DEFAULT_LIMITS, maxFileBytes: config.maxFileBytes };
    let unreadable = 0;
    for (const file of positionals) {
      const inspection = await inspectFile(file, config.ledgers, config.year, limits);
      if (inspection.unreadable !== null) unreadable++;
      io.out.write(values.json ? `${JSON.stringify(inspection)}\n` : describe(inspection));
    }
    return unreadable > 0 ? 1 : 0;
  },
};

/** Reads one file as a run would, keeping what it saw; never throws for the file's sake. */
export async function inspectFile(file: string, catalog: LedgerCatalog, year: number, limits: ReadLimits): Promise<FileInspection> {
  let format: FileInspection['format'] = null;
  try {
    const sniffed = await fileFormat(file, limits);
    if (typeof sniffed === 'object') return { file, format, unreadable: sniffed.unreadable, sheets: [], notChecked: NOT_CHECKED };
    format = sniffed;
    const sheets: InspectedSheet[] = [];
    for await (const stream of streamFile(file, limits)) sheets.push(await inspectSheet(stream, catalog, year, file));
    return { file, format, unreadable: null, sheets, notChecked: NOT_CHECKED };
  } catch (error) {
    if (!(error instanceof UnreadableFileError)) throw error;
    const missing = (error.cause as { code?: string } | undefined)?.code === 'ENOENT';
    return { file, format, unreadable: missing ? '找不到文件（路径不存在）' : error.message, sheets: [], notChecked: NOT_CHECKED };
  }
}

async function inspectSheet(stream: SheetStream, catalog: LedgerCatalog, year: number, file: string): Promise<InspectedSheet> {
  const cells: Record<string, InspectedCell> = {};
  const hiddenRows: number[] = [];
  /** The first rows' labels, for saying why no header was found. */
  const top: { row: number; labels: string[] }[] = [];
  const tapped: SheetStream = {
    ...stream,
    rows: async function* () {
      for await (const batch of stream.rows()) {
        for (const row of batch) {
          if (row.hidden) hiddenRows.push(row.rowNumber);
          row.cells.forEach((cell, c) => {
            if (cell !== undefined) cells[`${columnLetters(c)}${row.rowNumber}`] = inspectedCell(cell);
          });
          if (top.length < HEADER_SEARCH_ROWS && row.cells.some((c) => c !== undefined)) {
            top.push({ row: row.rowNumber, labels: row.cells.map((c) => (c === undefined ? '' : normalizeLabel(foldText(c.value) ?? ''))) });
          }
        }
        yield batch;
      }
    },
  };
  const x: SheetExtraction = await extractStream(tapped, catalog, { year, department: null, file });
  const header = x.header;
  return {
    name: stream.name,
    hidden: stream.hidden,
    headerRow: header?.rows[0] ?? null,
    headerRows: header?.rows ?? [],
    ledger: x.ledger?.id ?? null,
    ledgerName: x.ledger?.name ?? null,
    columns: (header?.columns ?? []).map((m) => ({ cell: m.address, label: m.label, field: m.field.header })),
    notRecognized: x.ledger === null ? whyNotRecognized(top, catalog, stream.hidden) : null,
    rowsRead: x.rowCount,
    merges: stream.merges,
    hiddenRows,
    findings: x.findings.map(({ level, code, cell, message, expected, actual }) => ({ level, code, cell, message, expected, actual })),
    cells,
  };
}

export function inspectedCell(cell: RawCell): InspectedCell {
  const formula = cell.formula === true ? { formula: true as const } : {};
  if (cell.error !== undefined) return { type: 'error', value: cell.error, ...formula };
  const v = cell.value;
  if (v === null) return { type: 'formula', value: null, ...formula };
  if (v instanceof Date) {
    const iso = v.toISOString();
    return { type: 'date', value: iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19), ...formula };
  }
  if (typeof v === 'number') return { type: 'number', value: v, ...formula };
  if (typeof v === 'boolean') return { type: 'boolean', value: v, ...formula };
  return { type: 'string', value: v, ...formula };
}

/**
 * Why no ledger header was found: the row of the first {@link HEADER_SEARCH_ROWS} that comes
 * nearest one (most of its column names), and what it lacks; a header needs two of a ledger's
 * column names, one of them a required column.
 */
function whyNotRecognized(top: readonly { row: number; labels: string[] }[], catalog: LedgerCatalog, hidden: boolean): string {
  if (top.length === 0) return '工作表为空';
  let best: { ledger: LedgerDef; row: number; matched: string[] } | undefined;
  for (const ledger of catalog.ledgers) {
    const names = new Map<string, string>();
    for (const f of ledger.fields) for (const label of [f.header, ...f.aliases]) names.set(normalizeLabel(label), f.header);
    for (const { row, labels } of top) {
      const matched = [...new Set(labels.flatMap((l) => (names.has(l) ? [names.get(l) ?? l] : [])))];
      if (matched.length > (best?.matched.length ?? 0)) best = { ledger, row, matched };
    }
  }
  const prefix = hidden ? '隐藏的工作表，' : '';
  if (best === undefined) return `${prefix}前 ${HEADER_SEARCH_ROWS} 行中没有任何台账的列名`;
  const required = best.ledger.fields.filter((f) => f.required).map((f) => f.header);
  return `${prefix}最接近“${best.ledger.name}”：第 ${best.row} 行只对上了 ${best.matched.length} 个列名（${best.matched.join('、')}）。表头须有该台账至少 2 个列名，其中含必填列（${required.join('、')}）`;
}

const FORMAT_NAMES: Record<NonNullable<FileInspection['format']>, string> = {
  xlsx: 'Excel 工作簿 .xlsx',
  xls: '旧版 Excel 97-2003 工作簿 .xls',
  ods: 'OpenDocument 电子表格 .ods（WPS、LibreOffice）',
  csv: 'CSV 文本',
  html: '网页（HTML）格式的表格，按 Excel 打开它的样子读取',
  xml2003: 'XML 电子表格 2003（SpreadsheetML）',
};

/** The inspection in Chinese, for a person. */
export function describe(f: FileInspection): string {
  const out = [`文件：${f.file}${f.format === null ? '' : `（${FORMAT_NAMES[f.format]}）`}`];
  if (f.unreadable !== null) {
    out.push(`  无法读取：${f.unreadable}`);
    return `${out.join('\n')}\n\n`;
  }
  if (f.sheets.length === 0) out.push('  没有工作表');
  for (const s of f.sheets) {
    out.push(`  工作表“${s.name}”${s.hidden ? '（隐藏）' : ''}：`);
    if (s.ledger === null) {
      out.push(`    未识别为台账：${s.notRecognized ?? ''}`);
    } else {
      out.push(`    表头：第 ${s.headerRows.join('、')} 行；台账：${s.ledgerName}（${s.ledger}）；读取数据 ${s.rowsRead} 行`);
      out.push(`    列：${s.columns.map((c) => `${c.cell}“${c.label}”→${c.field}`).join('；')}`);
    }
    if (s.merges.length > 0) out.push(`    合并单元格：${s.merges.join('、')}`);
    if (s.hiddenRows.length > 0) out.push(`    隐藏行：第 ${s.hiddenRows.join('、')} 行`);
    if (s.findings.length === 0) {
      out.push('    问题：无');
    } else {
      out.push(`    问题（${s.findings.length} 个）：`);
      for (const x of s.findings) out.push(`      【${x.level}】${x.cell === null ? '' : `${x.cell} `}${x.message}`);
    }
  }
  out.push(`  说明：${f.notChecked}`);
  return `${out.join('\n')}\n\n`;
}
