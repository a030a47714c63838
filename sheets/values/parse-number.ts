import type { RawValue } from '../raw-sheet.ts';
import { isChineseNumeralChar, parseChineseNumeral } from './chinese-number.ts';
import { foldText, toHalfWidth } from './fold-text.ts';
import { fail, ok, type Parsed } from './parsed.ts';

/** What clerks write for "none": read as 0. */
const ZERO_WORDS = /^(?:无|没有|暂无|[-—–―－/／\\]+)$/;

/** Words allowed before a number: approximations and totals (`约300`, `共15次`, `人民币500元`). */
const PREFIX = /^(?:大约|约计|约|将近|近|共计|共|合计|累计|总计|计|超过|超|逾|多达|达|人民币|rmb|[￥¥$])?/i;

/** Groups of three after a comma are thousands (`1,200`); `12,15` stays two numbers. */
const DECIMAL = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;

/**
 * Measure words allowed after a Chinese numeral. Kept to a list so that ordinary words that
 * begin with a numeral character (`一般`, `万一`) are not read as numbers.
 */
const CHINESE_SUFFIX =
  /^[万萬亿億]?(?:余|多|来)?(?:人次|场次|户次|件次|课时|学时|小时|万元|亿元|萬元|億元|次|人|名|位|个|件|起|份|篇|条|期|场|项|户|家|元|万|亿|萬|億|天|日|册|本|张|套|处|所|批|轮|组|部|类|宗|例|幅|块)?(?:余|多)?(?:左右)?$/;

/**
 * A cell read as a number, the way clerks write one.
 *
 * Accepts numbers, full-width digits, thousands separators (`1,200`, `1，200`), words around
 * the number (`15次`, `约300`, `280余`), Chinese numerals (`三十五次`) and the marks for none
 * (`无`, `—`, `-`, `/`) as 0. A unit is never applied: `3.5万元` is 3.5, because the column
 * header carries the unit (`标的额(万元)`); likewise a trailing 万/亿 on a Chinese numeral
 * (`三十五万` is 35). Two different numbers (`3-5`, `12/15`) fail.
 *
 * @example
 * parseNumber('1,200人次') // { ok: true, value: 1200 }
 * parseNumber('待定')      // { ok: false, reason: '“待定”不是数字' }
 */
export function parseNumber(raw: RawValue): Parsed<number> {
  if (raw === null) return ok(null);
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw)) return fail(`“${String(raw)}”不是有效数字`);
    // A whole number of at most 15 digits has no noise to round: toPrecision(15) would give it
    // back unchanged (only -0 becomes 0, as `+ 0` does).
    if (Number.isInteger(raw) && Math.abs(raw) < 1e15) return ok(raw + 0);
    // Excel formula results carry binary noise (0.1*3 = 0.30000000000000004).
    return ok(Number(raw.toPrecision(15)) + 0);
  }
  const text = foldText(raw);
  if (text === null) return ok(null);
  if (typeof raw === 'boolean') return fail(`“${text}”是逻辑值，不是数字`);
  if (raw instanceof Date) return fail(`“${text}”是日期，不是数字`);

  const s = toHalfWidth(text).replace(/\s+/g, '').replace(/，/g, ',');
  if (ZERO_WORDS.test(s)) return ok(0);

  const prefix = PREFIX.exec(s)?.[0] ?? '';
  const rest = s.slice(prefix.length);
  if (/\d/.test(rest)) return fromDigits(text, rest);
  return fromChinese(text, rest);
}

/**
 * Like {@link parseNumber}, but the number must be whole and, when `min` is given, at least `min`.
 *
 * @example
 * parseInteger('3.5')            // { ok: false, reason: '“3.5”应为整数' }
 * parseInteger(-1, { min: 0 })   // { ok: false, reason: '“-1”不能小于0' }
 */
export function parseInteger(raw: RawValue, opts: { readonly min?: number } = {}): Parsed<number> {
  const parsed = parseNumber(raw);
  if (!parsed.ok || parsed.value === null) return parsed;
  const text = foldText(raw) ?? String(parsed.value);
  const n = parsed.value;
  if (!Number.isInteger(n)) return fail(`“${text}”应为整数`);
  // Beyond 2^53 a double no longer counts in ones (and past 2^63 the database refuses it): no
  // count in a ledger is that large, so it is a typing slip, not a figure.
  if (!Number.isSafeInteger(n)) return fail(`“${text}”数值过大，请核对是否多输了数字`);
  if (opts.min !== undefined && n < opts.min) return fail(`“${text}”不能小于${opts.min}`);
  return ok(n);
}

function fromDigits(text: string, rest: string): Parsed<number> {
  const matches = [...rest.matchAll(DECIMAL)];
  const first = matches[0];
  if (first === undefined) return fail(`“${text}”不是数字`);
  // A sign counts only at the very start: `3-5` is a range, not 3 and −5.
  const negative = first.index === 1 && rest[0] === '-';
  if (first.index !== 0 && !negative) return fail(`“${text}”不是数字`);
  const values = new Set(matches.map((m) => Number(m[0].replace(/,/g, ''))));
  if (values.size > 1) return fail(`“${text}”含有多个数字，请只填一个数`);
  const value = Number(first[0].replace(/,/g, ''));
  return ok(negative ? -value : value);
}

function fromChinese(text: string, rest: string): Parsed<number> {
  const chars = [...rest];
  let end = 0;
  while (end < chars.length && isChineseNumeralChar(chars[end] ?? '')) end++;
  let numeral = chars.slice(0, end).join('');
  let suffix = chars.slice(end).join('');
  // A trailing 万/亿 is the unit, as with digits (`3.5万元` is 3.5).
  const last = numeral.at(-1);
  if (numeral.length > 1 && (last === '万' || last === '萬' || last === '亿' || last === '億')) {
    numeral = numeral.slice(0, -1);
    suffix = last + suffix;
  }
  const value = numeral === '' ? null : parseChineseNumeral(numeral);
  if (value === null || !CHINESE_SUFFIX.test(suffix)) {
    if ([...suffix].some(isChineseNumeralChar) && value !== null) return fail(`“${text}”含有多个数字，请只填一个数`);
    return fail(`“${text}”不是数字`);
  }
  return ok(value);
}
