/**
 * One sheet → the ledger it holds: its header, its typed data rows (each value with its cell
 * address), the totals it states about itself, and what is wrong in it (reader findings).
 */
import { finding, type Finding } from '../pipeline/kernel/findings/findings.ts';
import { classifyRow, isNoteText, rowTexts } from './classify-row.ts';
import { detectHeader, type ColumnMatch, type DetectedHeader } from './detect-header.ts';
import type { FieldDef, LedgerCatalog, LedgerDef } from './ledger-catalog.ts';
import { address, columnLetters, type RawRow, type RawSheet, type SheetStream, type SheetTruncation } from './raw-sheet.ts';
import { readCell, type FieldValue } from './read-cell.ts';
import { RowWindow } from './row-window.ts';
import { hasContent, isUncachedFormula, keepColumns, type SheetGrid } from './sheet-grid.ts';
import { foldText, parseNumber } from './values/index.ts';

export interface ExtractedRow {
  readonly rowNumber: number;
  /** Field id → typed value (null when empty or unreadable). */
  readonly values: Readonly<Record<string, FieldValue | null>>;
  /** Field id → A1 address of the cell it came from. */
  readonly cells: Readonly<Record<string, string>>;
}

/** A 合计 row's claim: the sum of a numeric field, or (field null) the number of rows. */
export interface StatedTotal {
  readonly field: string | null;
  readonly stated: number;
  readonly cell: string;
}

export interface SheetExtraction {
  readonly sheet: string;
  readonly hidden: boolean;
  readonly ledger: LedgerDef | null;
  readonly header: DetectedHeader | null;
  /** The data rows, when read without a sink (with one, they went to it and this is empty). */
  readonly rows: readonly ExtractedRow[];
  /** How many data rows were read. */
  readonly rowCount: number;
  readonly totals: readonly StatedTotal[];
  readonly findings: readonly Finding[];
}

export interface ExtractContext {
  readonly year: number;
  readonly department: string | null;
  readonly file: string;
  /**
   * Where findings go as they are made (a streaming read hands them on with its parts of rows):
   * a sheet with a bad date in each of a million rows never holds a million findings. Without it
   * they are collected in the extraction. Findings made at the end (limits, unrecognised sheet,
   * blank-header columns) are always in the extraction.
   */
  readonly onFinding?: (finding: Finding) => void;
}

/** What receives findings as they are made: an array, or a forwarder to {@link ExtractContext.onFinding}. */
type FindingSink = Pick<Finding[], 'push'>;

/** Fields whose 合计 cell states a sum. */
const SUMMABLE = new Set(['number', 'integer']);

/** Where a streaming read sends each data row, with the header it was read by. */
export type RowSink = (row: ExtractedRow, header: DetectedHeader) => void;

/** Header rows are looked for among the first rows with content (title, 填报单位 … above). */
const HEADER_WINDOW = 41;

/**
 * Reads one sheet as it streams in: the first rows are held until the header is found, then
 * each row is classified, read and let go. Data rows go to `sink` as they are read (the
 * pipeline turns them into columns); without a sink they are collected in the result.
 *
 * @example
 *   const x = new SheetExtractor(stream, catalog, { year: 2020, department: 'justice', file });
 *   for await (const rows of stream.rows()) x.push(rows);
 *   const extraction = x.end(stream.truncation());
 */
export class SheetExtractor {
  readonly #meta: { readonly name: string; readonly hidden: boolean };
  readonly #catalog: LedgerCatalog;
  readonly #ctx: ExtractContext;
  readonly #sink: RowSink | undefined;
  readonly #window: RowWindow;
  readonly #at: Here;
  readonly #rows: ExtractedRow[] = [];
  readonly #totals: StatedTotal[] = [];
  /** Findings collected here (none when they are handed on as they come). */
  readonly #kept: Finding[] = [];
  readonly #findings: FindingSink;
  #pending: number[] = [];
  #decided = false;
  #header: DetectedHeader | null = null;
  #grid: SheetGrid;
  #here: Here & { ledger: string } = { department: null, file: '', sheet: '', ledger: '' };
  #contentRows = 0;
  #rowCount = 0;
  #blank: BlankColumns | undefined;
  #columns: readonly ReadColumn[] = [];

  constructor(
    meta: { readonly name: string; readonly hidden: boolean; readonly merges: readonly string[] },
    catalog: LedgerCatalog,
    ctx: ExtractContext,
    sink?: RowSink,
  ) {
    this.#meta = meta;
    this.#catalog = catalog;
    this.#ctx = ctx;
    this.#sink = sink;
    this.#window = new RowWindow(meta.name, meta.merges);
    this.#grid = this.#window;
    this.#at = { department: ctx.department, file: ctx.file, sheet: meta.name };
    const onFinding = ctx.onFinding;
    this.#findings =
      onFinding === undefined
        ? this.#kept
        : {
            push: (...found: Finding[]) => {
              for (const f of found) onFinding(f);
              return 0;
            },
          };
  }

  push(rows: readonly RawRow[]): void {
    for (const raw of rows) {
      for (const r of this.#window.add(raw)) this.#take(r);
    }
  }

  end(truncated: SheetTruncation | undefined): SheetExtraction {
    for (const r of this.#window.finish()) this.#take(r);
    if (!this.#decided) this.#decide();
    const base = { sheet: this.#meta.name, hidden: this.#meta.hidden, rows: this.#rows, rowCount: this.#rowCount, totals: this.#totals };
    const header = this.#header;
    if (header === null) {
      const findings = truncationFindings(this.#meta.name, truncated, this.#at);
      // A hidden sheet that is no ledger is a lookup list or scratch: not worth a warning.
      if (!this.#meta.hidden && this.#contentRows > 0) {
        findings.push(
          finding(
            'sheet.unrecognized',
            this.#at,
            `工作表“${this.#meta.name}”有内容，但找不到任何台账的表头（共 ${this.#contentRows} 行未读取）。如果这是台账，请把表头改为规定的列名；如果不是，请删除该工作表或另存。`,
          ),
        );
      }
      return { ...base, ledger: null, header: null, findings };
    }
    const findings = [...truncationFindings(this.#meta.name, truncated, this.#here), ...this.#kept];
    findings.push(...(this.#blank?.findings() ?? []));
    return { ...base, ledger: header.ledger, header, findings };
  }

  /** A row made available by the window: held until the header is known, then read. */
  #take(r: number): void {
    if (!this.#decided) {
      this.#pending.push(r);
      if (this.#pending.length >= HEADER_WINDOW) this.#decide();
      return;
    }
    this.#read(r);
  }

  #decide(): void {
    this.#decided = true;
    const detected = detectHeader(this.#window, this.#catalog);
    const pending = this.#pending;
    this.#pending = [];
    if (detected !== null) {
      const ledger = detected.ledger;
      this.#here = { ...this.#at, ledger: ledger.id };
      // A second ledger beside the first (outside its columns) is reported, not guessed at: the
      // first is read on its own columns, the other is left for the clerk to move to its own sheet.
      const { grid, header } = besideLedger(this.#window, detected, this.#catalog, this.#here, this.#findings);
      this.#grid = grid;
      this.#header = header;
      this.#blank = new BlankColumns(grid, header, this.#here);
      this.#columns = readColumns(header);
      for (const f of header.missing) {
        this.#findings.push(
          finding(
            'header.missing_column',
            { ...this.#here, cell: String(header.rows[0]), expected: f.header },
            `${ledger.name}缺少必填列“${f.header}”${f.aliases.length > 0 ? `（也可写作：${f.aliases.join('、')}）` : ''}。请在第 ${header.rows[0]} 行表头中补上这一列。`,
          ),
        );
      }
      for (const d of header.duplicates) {
        const first = header.columns.find((m) => m.field.id === d.field.id);
        this.#findings.push(
          finding(
            'header.duplicate_column',
            { ...this.#here, cell: d.address, expected: first?.address ?? null, actual: d.label },
            `表头中有两列都表示“${d.field.header}”（${first?.address ?? ''} 和 ${d.address}），只读取了前一列。请删除或改名重复的一列。`,
          ),
        );
      }
    }
    for (const r of pending) this.#read(r);
  }

  #read(r: number): void {
    const header = this.#header;
    if (header === null) {
      // A sheet of notes only (填表说明, 说明一、…) is instructions, not an unrecognised ledger.
      const texts = rowTexts(this.#window, r);
      if (texts.length > 0 && !isNoteText(texts[0] ?? '')) this.#contentRows++;
      this.#window.drop(r);
      return;
    }
    // Header rows stay in the window: the blank-header check reads them to the end.
    if (r <= (header.rows[header.rows.length - 1] ?? 0)) {
      if (!header.rows.includes(r)) this.#window.drop(r);
      return;
    }
    const kind = classifyRow(this.#grid, r, header);
    if (kind === 'total') {
      this.#totals.push(...readTotals(this.#grid, r, header, this.#here, this.#findings));
    } else if (kind === 'data') {
      this.#blank?.see(r);
      const row = readRow(this.#grid, r, this.#columns, this.#ctx, this.#here, this.#findings);
      this.#rowCount++;
      if (this.#sink === undefined) this.#rows.push(row.plain());
      else this.#sink(row, header);
    }
    this.#window.drop(r);
  }
}

/** One sheet, whole, to its ledger (tests and small sheets; the pipeline streams). */
export function extractSheet(sheet: RawSheet, catalog: LedgerCatalog, ctx: ExtractContext): SheetExtraction {
  const x = new SheetExtractor(sheet, catalog, ctx);
  x.push(sheet.rows);
  return x.end(sheet.truncated);
}

/** One streamed sheet to its ledger, rows handed to `sink` as they are read. */
export async function extractStream(
  stream: SheetStream,
  catalog: LedgerCatalog,
  ctx: ExtractContext,
  sink?: RowSink,
): Promise<SheetExtraction> {
  const x = new SheetExtractor(stream, catalog, ctx, sink);
  for await (const rows of stream.rows()) x.push(rows);
  return x.end(stream.truncation());
}

type Here = { department: string | null; file: string; sheet: string; ledger?: string };

function truncationFindings(sheetName: string, t: SheetTruncation | undefined, here: Here): Finding[] {
  const out: Finding[] = [];
  if (t?.rows !== undefined) {
    const { limit, count, first } = t.rows;
    out.push(
      finding(
        'sheet.truncated',
        { ...here, cell: String(first), expected: `至多 ${limit} 行`, actual: `多出 ${count} 行` },
        `工作表“${sheetName}”超过 ${limit} 行的读取上限，从第 ${first} 行起的 ${count} 行未读取，不计入统计。请把台账拆分到几个工作表或文件后重新报送。`,
      ),
    );
  }
  if (t?.columns !== undefined) {
    const { limit, cells, first } = t.columns;
    out.push(
      finding(
        'sheet.truncated',
        { ...here, cell: first, expected: `至多 ${limit} 列（到 ${columnLetters(limit - 1)} 列）`, actual: `多出 ${cells} 个单元格` },
        `工作表“${sheetName}”在第 ${limit} 列（${columnLetters(limit - 1)} 列）之后还有 ${cells} 个单元格（从 ${first} 起），超出读取上限，未读取。请删除多余的列，或把数据移到前面的列后重新报送。`,
      ),
    );
  }
  return out;
}

function columnSpan(matches: readonly ColumnMatch[]): { min: number; max: number } {
  const columns = matches.map((m) => m.column);
  return { min: Math.min(...columns), max: Math.max(...columns) };
}

/**
 * Looks for a second ledger header in the columns left and right of the first's; when there is
 * one, reports it (`sheet.multiple_ledgers`, naming both) and returns the grid and header cut
 * to the first ledger's side, so that none of the other's cells is read as the first's.
 */
function besideLedger(
  grid: SheetGrid,
  header: DetectedHeader,
  catalog: LedgerCatalog,
  here: Here,
  findings: FindingSink,
): { grid: SheetGrid; header: DetectedHeader } {
  const span = columnSpan(header.columns);
  const other = detectHeader(keepColumns(grid, (c) => c < span.min || c > span.max), catalog);
  if (other === null) return { grid, header };
  const o = columnSpan(other.columns);
  const keep = o.min > span.max ? (c: number) => c < o.min : (c: number) => c > o.max;
  const first = header.columns[0]?.address ?? '';
  const second = other.columns[0]?.address ?? '';
  findings.push(
    finding(
      'sheet.multiple_ledgers',
      { ...here, ledger: other.ledger.id, cell: second, expected: header.ledger.name, actual: other.ledger.name },
      `工作表“${here.sheet}”中并排放着两个台账：${first} 起的“${header.ledger.name}”和 ${second} 起的“${other.ledger.name}”。只读取了“${header.ledger.name}”，“${other.ledger.name}”未读取、不计入统计。请把它移到单独的工作表后重新报送。`,
    ),
  );
  // A label of the first ledger that stands among the other's columns (its own 日期) is the other's.
  const columns = header.columns.filter((m) => keep(m.column));
  const missing = header.ledger.fields.filter((f) => f.required && !columns.some((m) => m.field.id === f.id));
  return {
    grid: keepColumns(grid, keep),
    header: { ...header, columns, duplicates: header.duplicates.filter((m) => keep(m.column)), missing },
  };
}

/**
 * Columns whose header cell is blank but whose data rows hold values (a label forgotten, or
 * cells typed past the table's last column, a CSV row longer than its header): such values
 * belong to no field, so they are not read — said once per column, never silently. Counted
 * row by row as the data streams past.
 */
class BlankColumns {
  readonly #seen = new Map<number, { count: number; first: { a1: string; text: string } }>();
  /** Column → whether a header row labels it, found when its first value is seen. */
  readonly #labelled: (boolean | undefined)[] = [];
  constructor(
    private readonly grid: SheetGrid,
    private readonly header: DetectedHeader,
    private readonly here: Here,
  ) {}

  see(r: number): void {
    for (let c = 0; c < this.grid.columnCount; c++) {
      // A column known to be labelled has nothing to count, whatever its cell holds.
      if (this.#labelled[c] === true) continue;
      const cell = this.grid.cell(r, c);
      if (cell === undefined || cell.copied === true || !(hasContent(cell) || isUncachedFormula(cell))) continue;
      let labelled = this.#labelled[c];
      if (labelled === undefined) {
        labelled = this.header.rows.some((h) => hasContent(this.grid.cell(h, c)));
        this.#labelled[c] = labelled;
      }
      if (labelled) continue;
      const seen = this.#seen.get(c);
      if (seen === undefined) this.#seen.set(c, { count: 1, first: { a1: address(c, r), text: foldText(cell.value) ?? cell.error ?? '(公式)' } });
      else seen.count++;
    }
  }

  findings(): Finding[] {
    const headerRow = this.header.rows[this.header.rows.length - 1] ?? 0;
    return [...this.#seen.entries()]
      .sort(([a], [b]) => a - b)
      .map(([c, { count, first }]) => {
        const column = address(c, headerRow);
        return finding(
          'header.blank_column',
          { ...this.here, cell: column, actual: first.text },
          `第 ${columnLetters(c)} 列表头（${column}）为空，但该列有 ${count} 个数据（如 ${first.a1}“${first.text}”），未读取。请补上列名（应为台账规定的列名之一），或删除这些数据。`,
        );
      });
  }
}

/** A column of the header as its rows are read: the field, and the column's letters for addresses. */
interface ReadColumn {
  readonly field: FieldDef;
  readonly column: number;
  /** columnLetters(column), made once: a cell's address is these and its row number. */
  readonly letters: string;
}

/**
 * A data row as read: its values by column, made into the records of {@link ExtractedRow}
 * only when asked for. The pipeline's sink (RowBlockBuilder) takes the values by column
 * ({@link DataRow.valuesInOrder}) and never asks for the records; every finding already
 * names its cell.
 */
export class DataRow implements ExtractedRow {
  readonly rowNumber: number;
  /** The value of each of `#columns`, in their order. */
  readonly #list: readonly (FieldValue | null)[];
  readonly #columns: readonly ReadColumn[];
  #values: Readonly<Record<string, FieldValue | null>> | undefined;

  constructor(rowNumber: number, list: readonly (FieldValue | null)[], columns: readonly ReadColumn[]) {
    this.rowNumber = rowNumber;
    this.#list = list;
    this.#columns = columns;
  }

  /** Field id → value, in the header's column order. */
  get values(): Readonly<Record<string, FieldValue | null>> {
    if (this.#values === undefined) {
      const values: Record<string, FieldValue | null> = {};
      for (const [k, m] of this.#columns.entries()) values[m.field.id] = this.#list[k] ?? null;
      this.#values = values;
    }
    return this.#values;
  }

  /** Field id → A1 address, as `address(column, rowNumber)` gives it. */
  get cells(): Readonly<Record<string, string>> {
    const cells: Record<string, string> = {};
    for (const m of this.#columns) cells[m.field.id] = `${m.letters}${this.rowNumber}`;
    return cells;
  }

  /**
   * The values in the order of `fields` — `fields.map((f) => values[f.id] ?? null)` — when
   * `fields` are this row's fields in their order (the builder's, made from the same header);
   * otherwise undefined, and the caller reads {@link values}.
   */
  valuesInOrder(fields: readonly FieldDef[]): readonly (FieldValue | null)[] | undefined {
    if (fields.length !== this.#columns.length) return undefined;
    for (let k = 0; k < fields.length; k++) if (fields[k] !== this.#columns[k]?.field) return undefined;
    return this.#list;
  }

  /** The row as a plain object, its records made: what {@link SheetExtraction.rows} holds. */
  plain(): ExtractedRow {
    return { rowNumber: this.rowNumber, values: this.values, cells: this.cells };
  }
}

/** The columns of a header as {@link readRow} reads them. */
function readColumns(header: DetectedHeader): ReadColumn[] {
  return header.columns.map((m) => ({ field: m.field, column: m.column, letters: columnLetters(m.column) }));
}

function readRow(
  grid: SheetGrid,
  r: number,
  columns: readonly ReadColumn[],
  ctx: ExtractContext,
  here: { department: string | null; file: string; sheet: string; ledger: string },
  findings: FindingSink,
): DataRow {
  const values: (FieldValue | null)[] = [];
  for (const [k, m] of columns.entries()) {
    values.push(null);
    const cell = grid.cell(r, m.column);
    if (cell?.error !== undefined) {
      findings.push(
        finding(
          'cell.formula_error',
          { ...here, cell: `${m.letters}${r}`, actual: cell.error },
          `“${m.field.header}”是错误值 ${cell.error}${cell.formula === true ? '（公式计算出错）' : ''}，请改正公式或直接填写数值。`,
        ),
      );
      continue;
    }
    if (isUncachedFormula(cell)) {
      findings.push(
        finding(
          'cell.formula_error',
          { ...here, cell: `${m.letters}${r}`, actual: '无计算结果' },
          `“${m.field.header}”是公式，但文件保存时没有保存计算结果（多由其他软件生成，或 Excel 关闭了自动计算）。请在 Excel 中打开文件，按 F9 重新计算后保存，再报送。`,
        ),
      );
      continue;
    }
    const raw = cell !== undefined && hasContent(cell) ? cell.value : null;
    if (raw === null) {
      if (m.field.required) {
        findings.push(
          finding('cell.required', { ...here, cell: `${m.letters}${r}` }, `“${m.field.header}”是必填项，此处为空，请补填。`),
        );
      }
      continue;
    }
    const parsed = readCell(m.field, raw, ctx);
    if (parsed.ok) {
      values[k] = parsed.value;
    } else {
      findings.push(cellTypeFinding(m.field, `${m.letters}${r}`, raw, parsed.reason, here));
    }
  }
  return new DataRow(r, values, columns);
}

function cellTypeFinding(
  field: FieldDef,
  a1: string,
  raw: unknown,
  reason: string,
  here: { department: string | null; file: string; sheet: string; ledger: string },
): Finding {
  const actual = foldText(raw instanceof Date || typeof raw !== 'object' ? (raw as string | number | boolean | Date) : null) ?? '';
  if (field.type === 'enum') {
    return finding(
      'cell.enum',
      { ...here, cell: a1, expected: (field.values ?? []).join('、'), actual },
      `“${field.header}”填写为“${actual}”，不在可选值内，请改为以下之一：${(field.values ?? []).join('、')}。`,
    );
  }
  const expected = EXPECTED_FORM[field.type] ?? field.type;
  return finding('cell.type', { ...here, cell: a1, expected, actual }, `“${field.header}”无法读取：${reason}。请填写${expected}。`);
}

const EXPECTED_FORM: Partial<Record<FieldDef['type'], string>> = {
  date: '日期（如 2020-03-05）',
  number: '数字',
  integer: '整数',
  bool: '“是”或“否”',
};

function readTotals(
  grid: SheetGrid,
  r: number,
  header: DetectedHeader,
  here: { department: string | null; file: string; sheet: string; ledger: string },
  findings: FindingSink,
): StatedTotal[] {
  const out: StatedTotal[] = [];
  const texts = rowTexts(grid, r);
  // 小计 rows are partial sums (per month, per village): only a grand total is compared.
  if (texts.some((t) => /^小计/.test(t.replace(/\s+/g, '')))) return out;
  for (const m of header.columns) {
    if (!SUMMABLE.has(m.field.type)) continue;
    const cell = grid.cell(r, m.column);
    if (isUncachedFormula(cell) && cell?.copied !== true) {
      findings.push(
        finding(
          'cell.formula_error',
          { ...here, cell: address(m.column, r), actual: '无计算结果' },
          `合计行的“${m.field.header}”是公式，但文件保存时没有保存计算结果，无法核对合计。请在 Excel 中打开文件，按 F9 重新计算后保存，再报送。`,
        ),
      );
      continue;
    }
    if (cell === undefined || cell.copied || !hasContent(cell)) continue;
    if (cell.error !== undefined) {
      // A SUM that shows #VALUE! states nothing the total check could compare: say so here.
      findings.push(
        finding(
          'cell.formula_error',
          { ...here, cell: address(m.column, r), actual: cell.error },
          `合计行的“${m.field.header}”是错误值 ${cell.error}${cell.formula === true ? '（公式计算出错）' : ''}，无法核对合计，请改正公式或直接填写数值。`,
        ),
      );
      continue;
    }
    const n = parseNumber(cell.value);
    if (n.ok && n.value !== null) out.push({ field: m.field.id, stated: n.value, cell: address(m.column, r) });
  }
  // A stated count: 合计35件 / 共计：35 in the label, or a bare number in a non-numeric column.
  for (let c = 0; c < grid.columnCount; c++) {
    const cell = grid.cell(r, c);
    if (cell === undefined || cell.copied || !hasContent(cell)) continue;
    const isNumericField = header.columns.some((m) => m.column === c && SUMMABLE.has(m.field.type));
    if (isNumericField) continue;
    const text = (foldText(cell.value) ?? '').replace(/\s+/g, '');
    const labelled = /^(合计|总计|共计|累计|总数)[:：]?(?:共)?(\d+)(件|次|人|项|个|份|条|人次)?/.exec(text);
    const bare = /^(?:共)?(\d+)(件|次|人|项|个|份|条)?$/.exec(text);
    const count = labelled?.[2] ?? (bare !== null && header.columns.some((m) => m.column === c) ? bare[1] : undefined);
    if (count !== undefined) {
      out.push({ field: null, stated: Number(count), cell: address(c, r) });
      break;
    }
  }
  return out;
}
