import type { RawValue } from '../raw-sheet.ts';
import { chineseDigit, isChineseNumeralChar, largestUnit, parseChineseNumeral } from './chinese-number.ts';
import { foldText, toHalfWidth } from './fold-text.ts';
import { magnitudeOf, type ColumnUnit } from './measure-words.ts';
import { NO_WORDS, withWords, wordsAfter } from './number-words.ts';
import { fail, ok, type Parsed } from './parsed.ts';

/** What clerks write for "none": read as 0. */
const ZERO_WORDS = /^(?:无|没有|暂无|[-—–―－/／\\]+)$/;

/**
 * Words allowed before a number: approximations (`约300`, `近50`: noted, see APPROXIMATE_BEFORE)
 * and words that leave it exact (`共15次`, `人民币500元`).
 */
const PREFIX = /^(?:大约|约计|约|将近|近|共计|共|合计|累计|总计|计|超过|超|逾|多达|达|人民币|rmb|[￥¥$])?/i;

/** Groups of three after a comma are thousands (`1,200`); `12,15` stays two numbers. */
const DECIMAL = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?/g;

/** How a column's numbers are read: its unit, which a unit written in a cell is held against. */
export interface NumberOptions {
  /** The column's unit (columnUnit of its header); without it, units written in a cell are not judged. */
  readonly unit?: ColumnUnit | undefined;
}

/**
 * A cell read as a number, the way clerks write one.
 *
 * Accepts numbers, full-width digits, thousands separators (`1,200`, `1，200`), words around
 * the number (`15次`, `约300`, `280余`), Chinese numerals (`三十五次`) and the marks for none
 * (`无`, `—`, `-`, `/`) as 0. Two different numbers (`3-5`, `12/15`) fail.
 *
 * Never a short figure in silence: an approximation (`约300`, `280余`, `超过100`, `50左右`; see
 * APPROXIMATE_BEFORE and APPROXIMATE_AFTER) is read as its number with a note. Given the
 * column's `unit`, a unit written in the cell is held against it: an amount in another
 * magnitude (`3.5万元` in 元, `35000元` in 万元, `1.2万人次` in 人次, `1.2万` in a column of
 * plain numbers, `三万` in 人次) is read converted into the column's unit (35000, 3.5, 12000)
 * and noted; a measure word counting another thing (`3件` in 人次) is read and noted. Without
 * `unit` no unit is applied: `3.5万元` is 3.5 and `三十五万` 35. 大写 amounts may close with 整
 * or 正 (`伍仟元整`); `十二点五` is 12.5.
 *
 * @example
 * parseNumber('1,200人次') // { ok: true, value: 1200 }
 * parseNumber('280余')     // { ok: true, value: 280, notes: [{ kind: 'approximate', word: '余', bound: 'more' }] }
 * parseNumber('待定')      // { ok: false, reason: '“待定”不是数字' }
 */
export function parseNumber(raw: RawValue, opts?: NumberOptions): Parsed<number> {
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
  const unit = opts?.unit;
  if (/\d/.test(rest)) return fromDigits(text, prefix, rest, unit);
  return fromChinese(text, prefix, rest, unit);
}

/**
 * Like {@link parseNumber}, but the number must be whole and, when `min` is given, at least `min`.
 *
 * @example
 * parseInteger('3.5')            // { ok: false, reason: '“3.5”应为整数' }
 * parseInteger(-1, { min: 0 })   // { ok: false, reason: '“-1”不能小于0' }
 */
export function parseInteger(raw: RawValue, opts: NumberOptions & { readonly min?: number | undefined } = {}): Parsed<number> {
  const parsed = parseNumber(raw, opts);
  if (!parsed.ok || parsed.value === null) return parsed;
  const text = foldText(raw) ?? String(parsed.value);
  const n = parsed.value;
  if (!Number.isInteger(n)) {
    // Converted into the column's unit (`0.00001万`): say what it came to.
    const converted = parsed.notes?.find((note) => note.kind === 'unit_mismatch');
    return fail(converted === undefined ? `“${text}”应为整数` : `“${text}”折合 ${n}${converted.column === null ? '' : ` ${converted.column}`}，应为整数`);
  }
  // Beyond 2^53 a double no longer counts in ones (and past 2^63 the database refuses it): no
  // count in a ledger is that large, so it is a typing slip, not a figure.
  if (!Number.isSafeInteger(n)) return fail(`“${text}”数值过大，请核对是否多输了数字`);
  if (opts.min !== undefined && n < opts.min) return fail(`“${text}”不能小于${opts.min}`);
  // `parsed` is ok(n), with its notes.
  return parsed;
}

function fromDigits(text: string, prefix: string, rest: string, unit: ColumnUnit | undefined): Parsed<number> {
  const matches = [...rest.matchAll(DECIMAL)];
  const first = matches[0];
  if (first === undefined) return fail(`“${text}”不是数字`);
  // A sign counts only at the very start: `3-5` is a range, not 3 and −5.
  const negative = first.index === 1 && rest[0] === '-';
  if (first.index !== 0 && !negative) return fail(`“${text}”不是数字`);
  const values = new Set(matches.map((m) => Number(m[0].replace(/,/g, ''))));
  if (values.size > 1) return fail(`“${text}”含有多个数字，请只填一个数`);
  const value = Number(first[0].replace(/,/g, ''));
  // What follows the number is free text; the words it begins with are read (`15人（含村干部）`).
  const after = rest.slice(first.index + first[0].length);
  if (prefix === '' && after === '') return ok(negative ? -value : value);
  return withWords(negative ? -value : value, prefix, wordsAfter(after), unit);
}

/** Magnitude words that may close a numeral (`三万`, `一千`, `三百万`), longest first. */
const TRAILING_MAGNITUDES = ['百万', '千万', '百萬', '千萬', '万', '萬', '亿', '億', '千', '百'];

/**
 * A numeral's last magnitude word, as digits' (`三万` as `3万`, `一千元` as `1千元`), when the
 * rest is a numeral below it (`三十五万`, not `两千五百` or `一亿五千万`, which are read whole).
 * 百 and 千 are split off only against a column's unit (an amount held against it); without
 * one, only 万 and 亿 are, as a unit is never applied then (`三十五万` is 35).
 */
function trailingMagnitude(numeral: string, unit: ColumnUnit | undefined): string | undefined {
  for (const word of TRAILING_MAGNITUDES) {
    if (!numeral.endsWith(word) || numeral.length === word.length) continue;
    if (unit === undefined && (word === '千' || word === '百')) return undefined;
    const rest = numeral.slice(0, -word.length);
    if (largestUnit(rest) < magnitudeOf(word.charAt(0))) return word;
  }
  return undefined;
}

function fromChinese(text: string, prefix: string, rest: string, unit: ColumnUnit | undefined): Parsed<number> {
  const chars = [...rest];
  let end = 0;
  while (end < chars.length && isChineseNumeralChar(chars[end] ?? '')) end++;
  let numeral = chars.slice(0, end).join('');
  // A decimal point, its digits one by one: `十二点五` is 12.5, `三点零五万` 3.05 万.
  let fraction = '';
  if (end > 0 && chars[end] === '点') {
    let f = end + 1;
    while (f < chars.length && chineseDigit(chars[f] ?? '') !== undefined) fraction += String(chineseDigit(chars[f++] ?? ''));
    if (fraction !== '') end = f;
  }
  let suffix = chars.slice(end).join('');
  // 大写 amounts close with 整 or 正 after 元 (`伍仟元整`): "exactly", nothing more to read.
  if (/元[整正]$/.test(suffix)) suffix = suffix.slice(0, -1);
  // A magnitude closing the numeral is its unit, as with digits (`三万` as `3万`, `壹万元` as `1万元`).
  const magnitude = fraction === '' ? trailingMagnitude(numeral, unit) : undefined;
  if (magnitude !== undefined) {
    numeral = numeral.slice(0, -magnitude.length);
    suffix = magnitude + suffix;
  }
  const whole = numeral === '' ? null : parseChineseNumeral(numeral);
  const value = whole === null || fraction === '' ? whole : Number(`${whole}.${fraction}`);
  // After a Chinese numeral only measure words may follow (a list: `一般`, `万一` are no numbers).
  const words = suffix === '' ? NO_WORDS : wordsAfter(suffix);
  if (value === null || words.length !== suffix.length) {
    if ([...suffix].some(isChineseNumeralChar) && value !== null) return fail(`“${text}”含有多个数字，请只填一个数`);
    return fail(`“${text}”不是数字`);
  }
  return prefix === '' && suffix === '' ? ok(value) : withWords(value, prefix, words, unit);
}
