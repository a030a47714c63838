/**
 * Reads one cell as its column's type. The value forms of contract §2 live in `values/`;
 * this only picks the parser a field's type calls for.
 */
import type { FieldDef } from './ledger-catalog.ts';
import type { RawValue } from './raw-sheet.ts';
import { fail, ok, type Parsed } from './values/parsed.ts';
import { columnUnit, foldText, parseBool, parseDate, parseEnum, parseInteger, parseNumber, type NumberOptions } from './values/index.ts';

/** A typed value: dates are 'YYYY-MM-DD' strings. */
export type FieldValue = string | number | boolean;

export function readCell(field: FieldDef, raw: RawValue, ctx: { readonly year: number }): Parsed<FieldValue> {
  switch (field.type) {
    case 'date':
      return parseDate(raw, ctx);
    case 'number':
      return parseNumber(raw, numberOptions(field));
    case 'integer':
      return parseInteger(raw, numberOptions(field));
    case 'bool':
      return parseBool(raw);
    case 'enum':
      return parseEnum(raw, field.values ?? [], field.valueAliases);
    case 'text':
    case 'key': {
      const text = foldText(raw);
      return text === null ? ok(null) : text.length > 32_767 ? fail('内容过长（超过 32767 个字符）') : ok(text);
    }
  }
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
