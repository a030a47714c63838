/**
 * `="…"` in a CSV field or an HTML table's cell (an “Excel” export that is a web page): the
 * formula case-handling systems export so that Excel keeps a value as text (a long case number,
 * a date, a leading zero). Excel and LibreOffice open such a field as a formula whose result is
 * the text inside, and show only that text; the clerk never sees the `="` or the `"`.
 */

/**
 * The field's form: `=`, then a string literal (`""` inside it is one `"`), with blanks allowed
 * after the `=` and after the literal, as LibreOffice reads `= "x"` and `="x" ` (checked with
 * `soffice --convert-to xlsx`, tests/system-exports-and-dates.test.ts). A blank before the `=`
 * makes it text, as it does there.
 */
const TEXT_FORMULA = /^=[ \t]*"((?:[^"]|"")*)"[ \t]*$/;

/**
 * The text a CSV field shows in Excel and LibreOffice when it is a text formula `="…"`, or
 * undefined for any other field (kept as written). Only the one string literal is taken: other
 * formulas (`=1+1`, `="a"&"b"`) are not calculated here, and a literal with a lone quote inside
 * (`="a"b"`, an error there) is not one.
 *
 * @example
 * textFormulaValue('="京兴综罚〔2020〕1号"') // '京兴综罚〔2020〕1号'
 * textFormulaValue('="a""b"')               // 'a"b'
 * textFormulaValue('=""')                   // ''
 * textFormulaValue('2020-01-03')            // undefined
 */
export function textFormulaValue(field: string): string | undefined {
  // Nearly every field does not start with `=`: one character code decides.
  if (field.charCodeAt(0) !== EQUALS) return undefined;
  const m = TEXT_FORMULA.exec(field);
  if (m === null) return undefined;
  const inner = m[1] ?? '';
  return inner.includes('"') ? inner.replace(/""/g, '"') : inner;
}

const EQUALS = 0x3d;
