/**
 * Reads one cell as its column's type. The value forms of contract §2 live in `values/`;
 * this only picks the parser a field's type calls for.
 */
import { withoutApostrophe } from './leading-apostrophe.ts';
import type { FieldDef } from './ledger-catalog.ts';
import type { RawCell, RawValue } from './raw-sheet.ts';
import { hasContent } from './sheet-grid.ts';
import { isExcelDayZero } from './values/parse-date.ts';
import { fail, ok, type Parsed } from './values/parsed.ts';
import { boolSubjects, columnUnit, foldText, parseBool, parseDate, parseEnum, parseInteger, parseNumber, type NumberOptions } from './values/index.ts';

/** A typed value: dates are 'YYYY-MM-DD' strings. */
export type FieldValue = string | number | boolean;

export function readCell(field: FieldDef, raw: RawValue, ctx: { readonly year: number }): Parsed<FieldValue> {
  // `'2020-03-05`: what follows Excel's text mark, when it reads (sheets/leading-apostrophe.ts).
  const unmarked = withoutApostrophe(field, raw);
  if (unmarked !== undefined) {
    const read = readCell(field, unmarked, ctx);
    if (read.ok) return read;
  }
  switch (field.type) {
    case 'date':
      return parseDate(raw, ctx);
    case 'number':
      return parseNumber(raw, numberOptions(field));
    case 'integer':
      return parseInteger(raw, numberOptions(field));
    case 'bool':
      return parseBool(raw, subjectsOf(field));
    case 'enum':
      return parseEnum(raw, field.values ?? [], field.valueAliases);
    case 'text':
    case 'key': {
      const text = foldText(raw);
      return text === null ? ok(null) : text.length > 32_767 ? fail('内容过长（超过 32767 个字符）') : ok(text);
    }
  }
}

/** A yes/no field's names as its answers are read (parse-bool.ts boolSubjects), made once per field. */
const subjectsOfField = new WeakMap<FieldDef, readonly string[]>();

function subjectsOf(field: FieldDef): readonly string[] {
  let subjects = subjectsOfField.get(field);
  if (subjects === undefined) {
    subjects = boolSubjects([field.header, ...field.aliases]);
    subjectsOfField.set(field, subjects);
  }
  return subjects;
}

/** A numeric field's reading options (its unit, its minimum), made once per field. */
const numberOptionsOf = new WeakMap<FieldDef, NumberOptions & { readonly min?: number | undefined }>();

function numberOptions(field: FieldDef): NumberOptions & { readonly min?: number | undefined } {
  let opts = numberOptionsOf.get(field);
  if (opts === undefined) {
    opts = { unit: columnUnit(field.header), ...(field.min === undefined ? {} : { min: field.min }) };
    numberOptionsOf.set(field, opts);
  }
  return opts;
}

/**
 * What a cell of `field`'s column gives to read: its value, or null when it holds nothing —
 * or when it is a formula mirroring an empty cell. `='一季度'!G3` with G3 empty gives 0
 * (shown as 1900/1/0 in a date format, 0 without), `=IF(G3="","",G3)` gives "": in a date
 * column the clerk sees no date there, in a 是/否 or a listed column no answer (0 is no
 * 否 they chose, nor a 结果 out of the list), in a text column no name, and none is read (a
 * required column then says it is empty). A 0 typed in is no formula: it is read (a date column refuses it as no date, a
 * 是/否 column reads it as 否). A formula the file says was never calculated (fullCalcOnLoad)
 * has no value at all and never comes here: it is a cell.formula_error
 * (sheets/xlsx/sheet-scanner.ts). `date1904`: the workbook counts dates from 1904, where a
 * formula's 0 in a date format shows 1904/1/1, its day 0, and mirrors an empty cell the same.
 *
 * @example
 * cellValue(discussedOn, { value: new Date(Date.UTC(1899, 11, 31)), formula: true }) // null
 * cellValue(leaderAppeared, { value: 0, formula: true })                            // null
 * cellValue(leaderAppeared, { value: 0 })                                           // 0 (否)
 */
export function cellValue(field: FieldDef, cell: RawCell | undefined, date1904 = false): RawValue {
  if (cell === undefined || !hasContent(cell)) return null;
  if (cell.formula === true && mirrorsNothing(field.type, cell.value, date1904)) return null;
  return cell.value;
}

/** Whether a formula's result in a column of `type` is what a formula mirroring an empty cell gives there. */
function mirrorsNothing(type: FieldDef['type'], value: RawValue, date1904: boolean): boolean {
  switch (type) {
    case 'date':
      return isExcelDayZero(value, date1904);
    case 'bool':
    case 'enum':
    // A name, a 案号, a description copied from an empty cell: no text anybody wrote. (A number
    // column's 0 from a formula is a count or a sum of nothing: it stays 0.)
    case 'text':
    case 'key':
      return value === 0;
    default:
      return false;
  }
}

/**
 * {@link readCell}'s value, for the cells most of a ledger is made of, without making its
 * result: a text in a text column, a whole number in a number column. Undefined for any other
 * cell (readCell then reads it: a failure, or a value that takes parsing).
 */
export function quickValue(field: FieldDef, raw: RawValue): FieldValue | null | undefined {
  switch (field.type) {
    case 'text':
    case 'key': {
      if (typeof raw !== 'string') return undefined;
      const text = foldText(raw);
      return text === null ? null : text.length > 32_767 ? undefined : text;
    }
    case 'number':
      // What parseNumber gives a whole number of at most 15 digits (`+ 0`: -0 is 0).
      return typeof raw === 'number' && Number.isInteger(raw) && Math.abs(raw) < 1e15 ? raw + 0 : undefined;
    case 'integer':
      // …and parseInteger, which also holds it to the field's minimum.
      return typeof raw === 'number' && Number.isInteger(raw) && Math.abs(raw) < 1e15 && (field.min === undefined || raw >= field.min)
        ? raw + 0
        : undefined;
    default:
      return undefined;
  }
}
