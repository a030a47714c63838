/**
 * What is wrong with a sheet as a whole: rows or cells past the read limits, a second ledger
 * beside the first, values under a blank header cell, a ledger on a hidden sheet.
 */
import { finding, type Finding } from '../pipeline/kernel/findings/findings.ts';
import { detectHeader, type ColumnMatch, type DetectedHeader, type UnitMismatchColumn } from './detect-header.ts';
import type { FindingSink, Here } from './extract-types.ts';
import type { LedgerCatalog } from './ledger-catalog.ts';
import { address, columnLetters, type SheetTruncation } from './raw-sheet.ts';
import { hasContent, isContentCell, keepColumns, type SheetGrid } from './sheet-grid.ts';
import { foldText } from './values/index.ts';

/**
 * A ledger on a hidden sheet: read and counted like any other (every sheet is read), never
 * silently — a draft or a backup kept out of sight would otherwise add to the figures unseen.
 * Points at the header's first row, says how many rows were read from the sheet, and how to
 * delete or show it (a very hidden sheet is not in Excel's 取消隐藏 list).
 *
 * @example hiddenSheetFinding({ name: '旧表', veryHidden: false }, header, 2, here) // sheet.hidden, 警告
 */
export function hiddenSheetFinding(
  sheet: { readonly name: string; readonly veryHidden?: boolean | undefined },
  header: DetectedHeader,
  rowCount: number,
  here: Here & { ledger: string },
): Finding {
  const name = header.ledger.name;
  const what =
    rowCount > 0
      ? `其中${name}的 ${rowCount} 行数据已读入，和可见工作表一样计入统计`
      : `其中有${name}的表头、没有数据行，已按这份台账读入`;
  const how =
    sheet.veryHidden === true
      ? '该表为“深度隐藏”，在“取消隐藏”列表里看不到：要先在 Excel 的 VBA 编辑器（Alt+F11）属性窗口中把它的 Visible 改为“-1 - xlSheetVisible”，让它显示出来，再删除或保留。'
      : '';
  return finding(
    'sheet.hidden',
    { ...here, cell: String(header.rows[0] ?? ''), actual: `隐藏工作表，读入 ${rowCount} 行` },
    `工作表“${sheet.name}”是隐藏的，${what}。如果它是草稿或备份，请删除该工作表；如果是正式数据，请取消隐藏，以便核对。${how}`,
  );
}

export function truncationFindings(sheetName: string, t: SheetTruncation | undefined, here: Here): Finding[] {
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
  return { min: columns.reduce((m, c) => Math.min(m, c), Infinity), max: columns.reduce((m, c) => Math.max(m, c), -Infinity) };
}

/**
 * Looks for a second ledger header in the columns left and right of the first's; when there is
 * one, reports it (`sheet.multiple_ledgers`, naming both) and returns the grid and header cut
 * to the first ledger's side, so that none of the other's cells is read as the first's.
 */
export function besideLedger(
  grid: SheetGrid,
  header: DetectedHeader,
  catalog: LedgerCatalog,
  here: Here,
  findings: FindingSink,
): { grid: SheetGrid; header: DetectedHeader } {
  // A column in another unit is the header's too (not read, but not the other ledger's).
  const span = columnSpan([...header.columns, ...header.unitMismatches]);
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
  const unitMismatches = header.unitMismatches.filter((m) => keep(m.column));
  const missing = header.ledger.fields.filter(
    (f) => f.required && !columns.some((m) => m.field.id === f.id) && !unitMismatches.some((m) => m.field.id === f.id),
  );
  return {
    grid: keepColumns(grid, keep),
    header: { ...header, columns, duplicates: header.duplicates.filter((m) => keep(m.column)), unitMismatches, missing },
  };
}

/**
 * A column whose header names a field in another unit than the ledger's (罚款金额（万元） for
 * 罚款金额(元)): its values would be counted 10,000 times off, so it is not read, and the clerk
 * is told which unit the ledger wants.
 */
export function unitMismatchFinding(u: UnitMismatchColumn, ledgerName: string, here: Here): Finding {
  const wanted = u.expected === null ? `按实际数填写（不带“万”“千”等单位）` : `以“${u.expected}”为单位`;
  const convert = u.expected === null ? '实际数' : u.expected;
  if (u.stated !== undefined) {
    // The unit is stated above the header (金额单位：万元), not in the column's own header.
    return finding(
      'header.unit_mismatch',
      { ...here, cell: u.address, expected: u.field.header, actual: `${u.label}（${u.stated.text}）` },
      `${u.stated.address}写明“${u.stated.text}”，表头“${u.label}”（${u.address}）的数值因此以“${u.actual}”为单位，而${ledgerName}的“${u.field.header}”${wanted}，单位不同，该列未读取、不计入统计。请把该列数值换算为${convert}，并改正“${u.stated.text}”；如果该列本来就是${convert}，请把“${u.stated.text}”改为只说其他列的单位，或把列名改为“${u.field.header}”。`,
    );
  }
  return finding(
    'header.unit_mismatch',
    { ...here, cell: u.address, expected: u.field.header, actual: u.label },
    `表头“${u.label}”（${u.address}）以“${u.actual}”为单位，而${ledgerName}的“${u.field.header}”${wanted}，单位不同，该列未读取、不计入统计。请把该列数值换算为${convert}，并把列名改为“${u.field.header}”。`,
  );
}

/**
 * Columns whose header cell is blank but whose data rows hold values (a label forgotten, or
 * cells typed past the table's last column, a CSV row longer than its header): such values
 * belong to no field, so they are not read — said once per column, never silently. Counted
 * row by row as the data streams past.
 */
export class BlankColumns {
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
      if (!isContentCell(cell)) continue;
      let labelled = this.#labelled[c];
      if (labelled === undefined) {
        labelled = this.#headerLabels(c);
        this.#labelled[c] = labelled;
      }
      if (labelled) continue;
      const seen = this.#seen.get(c);
      if (seen === undefined) this.#seen.set(c, { count: 1, first: { a1: address(c, r), text: foldText(cell.value) ?? cell.error ?? '(公式)' } });
      else seen.count++;
    }
  }

  /**
   * Whether a header row has something in column `c`. A method of its own: a closure over the
   * loop's `c` in {@link see} made V8 allocate a context for every column of every row.
   */
  #headerLabels(c: number): boolean {
    return this.header.rows.some((h) => hasContent(this.grid.cell(h, c)));
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