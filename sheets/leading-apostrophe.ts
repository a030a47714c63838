/**
 * A cell whose text starts with an ASCII apostrophe (`'2020-03-05`, `'12`): Excel's "keep this
 * as text" mark, written into a CSV by some exporters or typed there by hand. Typed into Excel
 * the mark is no content (the cell shows `2020-03-05`); in a CSV it is: Excel and LibreOffice
 * show the apostrophe and take the cell as text (checked with `soffice --convert-to xlsx`,
 * tests/system-exports-and-dates.test.ts). A date or number column reads what follows it,
 * and says so at the cell (`cell.leading_apostrophe`, 警告): the value counts, the clerk sees
 * text that Excel will not sort or add as a date or a number. A text column keeps it as shown.
 */
import { finding, type Finding } from '../pipeline/kernel/findings/findings.ts';
import type { FieldDef } from './ledger-catalog.ts';
import type { RawValue } from './raw-sheet.ts';

const APOSTROPHE = 0x27;

/**
 * The text after the apostrophe, when `raw` is such a text in a column of a type other than
 * text (date, number, integer, yes/no, a list); undefined otherwise. One apostrophe only: `''5`
 * is left as written.
 *
 * @example
 * withoutApostrophe(dateField, "'2020-03-05") // '2020-03-05'
 * withoutApostrophe(textField, "'0012")       // undefined (a text column keeps what Excel shows)
 */
export function withoutApostrophe(field: FieldDef, raw: RawValue): string | undefined {
  if (typeof raw !== 'string' || raw.charCodeAt(0) !== APOSTROPHE || raw.charCodeAt(1) === APOSTROPHE) return undefined;
  if (field.type === 'text' || field.type === 'key') return undefined;
  const rest = raw.slice(1);
  return rest.trim() === '' ? undefined : rest;
}

/** What the column takes a cell for, which an apostrophe keeps Excel from seeing. */
const KIND: Readonly<Partial<Record<FieldDef['type'], string>>> = { date: '日期', number: '数字', integer: '数字' };

/**
 * The warning at `a1` for a cell of `field` written `raw` (with its apostrophe) and read as
 * `value` without it.
 *
 * @example
 * apostropheFinding(filedOn, 'B2', "'2020-03-05", '2020-03-05', here).message
 * // '“立案日期”填的是“'2020-03-05”，开头多了一个英文单引号（'）：Excel 会把它显示出来，并把这一格当作文字而不是日期。已去掉单引号，按“2020-03-05”读取；请删去开头的单引号。'
 */
export function apostropheFinding(
  field: FieldDef,
  a1: string,
  raw: string,
  value: string | number | boolean,
  here: { department: string | null; file: string; sheet: string; ledger: string },
): Finding {
  const kind = KIND[field.type];
  const read = typeof value === 'boolean' ? (value ? '是' : '否') : String(value);
  return finding(
    'cell.leading_apostrophe',
    { ...here, cell: a1, expected: read, actual: raw },
    `“${field.header}”填的是“${raw}”，开头多了一个英文单引号（'）：Excel 会把它显示出来，并把这一格当作文字${kind === undefined ? '' : `而不是${kind}`}。` +
      `已去掉单引号，按“${read}”读取；请删去开头的单引号。`,
  );
}
