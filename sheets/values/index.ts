/** Reading one cell as a column's type: the parsers every ledger column goes through. */
export { isChineseNumeralChar, parseChineseNumeral } from './chinese-number.ts';
export { foldText, toHalfWidth } from './fold-text.ts';
export { normalizeKey, normalizeLabel, peelTrailingBrackets, type PeeledLabel } from './normalize-label.ts';
export { parseBool } from './parse-bool.ts';
export { parseDate } from './parse-date.ts';
export { parseEnum } from './parse-enum.ts';
export { parseInteger, parseNumber } from './parse-number.ts';
export { fail, ok, type Parsed } from './parsed.ts';
