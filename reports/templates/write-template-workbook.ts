/**
 * A department's template workbook (issue 6): one sheet per ledger it owes, with the exact
 * canonical headers in row 1 (frozen), an input hint on each header (a cell note) and on each
 * data cell (a data-validation prompt), dropdowns for every enum and boolean column, date and
 * number formats and checks on the columns, and a 填表说明 sheet in front.
 *
 * Everything comes from the ledger catalog (`config.ledgers`): a ledger added there gets its
 * template sheet without a line of code here. Long dropdown lists (over Excel's 255-character
 * inline limit) live on a hidden 选项 sheet, which the reader skips as a lookup list.
 *
 * @example
 * const buffer = await templateWorkbook(config, config.departments[0]);
 * await writeFile('综合执法队-2020年台账模板.xlsx', buffer);
 */
import ExcelJS from 'exceljs';
import type { Department, TallyConfig } from '../../pipeline/kernel/config/config.ts';
import type { FieldDef, LedgerDef } from '../../sheets/ledger-catalog.ts';
import { describeField, fieldHint, TYPE_NAMES } from './field-hints.ts';

/** Data rows prepared with formats and validation under the header. */
export const TEMPLATE_ROWS = 1000;
export const INSTRUCTIONS_SHEET = '填表说明';
export const LISTS_SHEET = '选项';

const FONT: Partial<ExcelJS.Font> = { name: '宋体', size: 11 };
const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
const REQUIRED_COLOR = { argb: 'FFC00000' };
const BORDER: Partial<ExcelJS.Borders> = {
  top: { style: 'thin' },
  left: { style: 'thin' },
  bottom: { style: 'thin' },
  right: { style: 'thin' },
};
const BOOL_VALUES = ['是', '否'];
/** Excel's limit on an inline list (`"a,b,c"`) in a data validation. */
const INLINE_LIST_MAX = 255;

/** The part of exceljs's worksheet we use that its typings leave out: ranges of validation. */
interface ValidatedSheet {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

/** File name a department's template is offered under, e.g. `综合执法队-2020年台账模板.xlsx`. */
export function templateFileName(config: TallyConfig, department: Department): string {
  return `${department.name}-${config.year}年台账模板.xlsx`;
}

/** Sheet name of a ledger: its Chinese name, cut to Excel's 31 characters and its character rules. */
export function templateSheetName(ledger: LedgerDef): string {
  return ledger.name.replace(/[\\/?*[\]:]/g, '_').slice(0, 31);
}

/** The template workbook of one department, as xlsx bytes. */
export async function templateWorkbook(config: TallyConfig, department: Department): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'tally';
  wb.created = new Date(Date.UTC(config.year, 0, 1));
  const ledgers = department.owes.map((id) => {
    const ledger = config.ledgers.byId(id);
    if (ledger === undefined) throw new Error(`ledger "${id}" owed by ${department.code} is not in the catalog`);
    return ledger;
  });
  writeInstructions(wb.addWorksheet(INSTRUCTIONS_SHEET), config, department, ledgers);
  const lists = new ListSheet(wb);
  for (const ledger of ledgers) writeLedgerSheet(wb.addWorksheet(templateSheetName(ledger)), ledger, config, lists);
  // Open on the first ledger (the instructions, when visible, are one tab to the left).
  wb.views = [{ x: 0, y: 0, width: 20000, height: 12000, firstSheet: 0, activeTab: ledgers.length > 0 ? 1 : 0, visibility: 'visible' }];
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function writeLedgerSheet(ws: ExcelJS.Worksheet, ledger: LedgerDef, config: TallyConfig, lists: ListSheet): void {
  ws.views = [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }];
  const header = ws.getRow(1);
  header.height = 32;
  ledger.fields.forEach((field, i) => {
    const col = i + 1;
    const letter = columnLetter(col);
    const cell = header.getCell(col);
    cell.value = field.header;
    cell.font = { ...FONT, bold: true, ...(field.required ? { color: REQUIRED_COLOR } : {}) };
    cell.fill = HEADER_FILL;
    cell.border = BORDER;
    cell.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
    cell.note = { texts: [{ text: fieldHint(field, config.year) }] };

    const column = ws.getColumn(col);
    column.width = widthOf(field);
    column.font = FONT;
    const format = numberFormat(field);
    if (format !== undefined) column.numFmt = format;
    const validation = validationOf(field, config, lists, suggestionsFor(field, config));
    if (validation !== undefined) {
      (ws as unknown as ValidatedSheet).dataValidations.add(`${letter}2:${letter}${TEMPLATE_ROWS + 1}`, validation);
    }
  });
}

function numberFormat(field: FieldDef): string | undefined {
  switch (field.type) {
    case 'date':
      return 'yyyy-mm-dd';
    case 'integer':
      return '0';
    case 'number':
      return '#,##0.##';
    case 'key':
    case 'text':
      // Text format keeps 案号 such as 001 or 2020-1 as typed instead of turning them into numbers or dates.
      return '@';
    default:
      return undefined;
  }
}

/**
 * A text column whose values are best picked from a list without being limited to it (the
 * ledger says so: `"suggest": "indicators"`): e.g. the 指标 of a 年度统计表 takes an indicator's
 * name (or its code, which the dropdown cannot offer).
 */
function suggestionsFor(field: FieldDef, config: TallyConfig): readonly string[] | undefined {
  if (field.suggest === 'indicators') return config.report.indicators.map((i) => i.name);
  return undefined;
}

function validationOf(
  field: FieldDef,
  config: TallyConfig,
  lists: ListSheet,
  suggestions: readonly string[] | undefined,
): ExcelJS.DataValidation | undefined {
  const prompt = { showInputMessage: true, promptTitle: field.header.slice(0, 32), prompt: fieldHint(field, config.year).slice(0, 255) };
  const stop = { showErrorMessage: true, errorStyle: 'stop', errorTitle: `${field.header}填写有误`.slice(0, 32) };
  switch (field.type) {
    case 'enum':
    case 'bool': {
      const values = field.type === 'bool' ? BOOL_VALUES : (field.values ?? []);
      return { type: 'list', allowBlank: true, formulae: [lists.reference(values)], ...prompt, ...stop, error: `请从下拉列表中选择：${values.join('、')}`.slice(0, 255) };
    }
    case 'date':
      return {
        type: 'date',
        operator: 'between',
        allowBlank: true,
        formulae: [new Date(Date.UTC(1990, 0, 1)), new Date(Date.UTC(2100, 11, 31))],
        ...prompt,
        ...stop,
        error: `请填写日期，例如 ${config.year}-03-05`,
      };
    case 'integer':
      return {
        type: 'whole',
        operator: 'greaterThanOrEqual',
        allowBlank: true,
        formulae: [field.min ?? 0],
        ...prompt,
        ...stop,
        error: `请填写不小于 ${field.min ?? 0} 的整数（只填数字，不带单位）`,
      };
    case 'number':
      return {
        type: 'decimal',
        operator: 'between',
        allowBlank: true,
        formulae: [field.min ?? -1e12, 1e12],
        ...prompt,
        ...stop,
        error: '请填写数字（只填数字，不带单位）',
      };
    case 'key':
    case 'text':
      if (suggestions !== undefined) {
        // A warning, not a stop: the list helps, an indicator code typed by hand is fine too.
        return { type: 'list', allowBlank: true, formulae: [lists.reference(suggestions)], ...prompt, ...stop, errorStyle: 'warning', error: '建议从下拉列表中选择指标名称，也可填写指标编码。' };
      }
      // No check to make; the validation only carries the input hint.
      return { type: 'textLength', operator: 'lessThanOrEqual', allowBlank: true, formulae: [1000], ...prompt, showErrorMessage: false };
  }
}

function widthOf(field: FieldDef): number {
  const label = [...field.header].reduce((n, ch) => n + (ch.charCodeAt(0) > 0xff ? 2 : 1), 0);
  const floor = field.type === 'date' ? 13 : field.type === 'text' ? 24 : 12;
  return Math.min(40, Math.max(floor, label + 4));
}

/**
 * The 填表说明 sheet. Prose only, one merged cell per row, each row opening with 填表说明 or
 * 说明 (a note row to the reader): a table of column names here would itself look like a
 * ledger header to the reader.
 *
 * Visible: the reader takes a sheet made only of note rows for instructions, not for an
 * unrecognised ledger, so a template still reads back with zero findings. The same hints are
 * also on every header (a note) and every data cell (an input message).
 */
export const INSTRUCTIONS_VISIBLE = true;

function writeInstructions(ws: ExcelJS.Worksheet, config: TallyConfig, department: Department, ledgers: readonly LedgerDef[]): void {
  ws.state = INSTRUCTIONS_VISIBLE ? 'visible' : 'hidden';
  ws.columns = [{ width: 110 }];
  const line = (text: string, font: Partial<ExcelJS.Font> = FONT) => {
    const row = ws.addRow([text]);
    row.font = font;
    row.alignment = { wrapText: true, vertical: 'top' };
  };
  line(`填表说明：${config.district}${config.town}${config.year}年度${config.report.kind}台账填报模板（${department.name}）`, { ...FONT, bold: true, size: 14 });
  line(`说明一、本工作簿是${department.name}应报送的 ${ledgers.length} 本台账（${ledgers.map((l) => l.name).join('、')}），每本一个工作表。`);
  line('说明二、请勿修改、删除或调换各工作表第一行的列名；每行填写一条记录，不要合并单元格，不要插入小计行。');
  line('说明三、红色列名是必填列。把鼠标停在列名上，或选中下面的单元格，可以看到该列的填写要求。');
  line(`说明四、日期请填写为 ${config.year}-03-05 的形式；带下拉箭头的列请从列表中选择；数字列只填数字，不带单位。`);
  line('说明五、某本台账本年度没有发生业务的，保留表头、不填数据行，照常报送（表示数量为零）。');
  // The office that collects, by its name (安定镇司法所, 城东街道法治办): not every town's is a 司法所.
  line(`说明六、填好后请通过${config.coordinator.name}发给本部门的专用链接上传，页面会在几秒内列出需要修改的地方；再次上传同名文件即为新版本。`);
  for (const ledger of ledgers) {
    line(`说明：《${ledger.name}》各列的填写要求`, { ...FONT, bold: true });
    for (const field of ledger.fields) {
      line(`说明：${field.header}（${field.required ? '必填' : '选填'}，${TYPE_NAMES[field.type]}）：${describeField(field, config.year)}`);
    }
  }
}

/**
 * Dropdown sources: short lists inline (`"是,否"`), long ones as a range of the hidden 选项
 * sheet (one column per list), created only when needed.
 */
class ListSheet {
  readonly #wb: ExcelJS.Workbook;
  #ws: ExcelJS.Worksheet | undefined;
  #columns = 0;

  constructor(wb: ExcelJS.Workbook) {
    this.#wb = wb;
  }

  reference(values: readonly string[]): string {
    const inline = `"${values.join(',')}"`;
    if (inline.length <= INLINE_LIST_MAX && values.every((v) => !v.includes(',') && !v.includes('"'))) return inline;
    const ws = (this.#ws ??= this.#wb.addWorksheet(LISTS_SHEET, { state: 'hidden' }));
    const col = ++this.#columns;
    values.forEach((v, i) => {
      ws.getCell(i + 1, col).value = v;
    });
    const letter = columnLetter(col);
    return `'${LISTS_SHEET}'!$${letter}$1:$${letter}$${values.length}`;
  }
}

function columnLetter(col: number): string {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}
