/** Reading one cell as a column's type: the parsers every ledger column goes through. */
export { isChineseNumeralChar, parseChineseNumeral } from './chinese-number.ts';
export { foldText, toHalfWidth } from './fold-text.ts';
export { columnUnit, type ColumnUnit, type UnitKind } from './measure-words.ts';
export { normalizeKey, normalizeLabel, peelTrailingBrackets, type PeeledLabel } from './normalize-label.ts';
export { boolSubjects, parseBool } from './parse-bool.ts';
export { parseDate } from './parse-date.ts';
export { parseEnum } from './parse-enum.ts';
export { APPROXIMATE_AFTER, APPROXIMATE_BEFORE } from './number-words.ts';
export { parseInteger, parseNumber, type NumberOptions } from './parse-number.ts';
export { fail, noted, ok, type Parsed } from './parsed.ts';
export type { Bound, ValueNote } from './value-note.ts';
