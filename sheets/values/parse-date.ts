import type { RawValue } from '../raw-sheet.ts';
import { parseChineseNumeral } from './chinese-number.ts';
import { foldText, toHalfWidth } from './fold-text.ts';
import { fail, ok, type Parsed } from './parsed.ts';

/** Years a ledger date may fall in; anything else is a typo or a misread number. */
const MIN_YEAR = 1950;
const MAX_YEAR = 2100;
/** First serial past Excel's last date, 9999-12-31. */
const SERIAL_END = 2958466;
const DAY_MS = 86_400_000;

/**
 * The result for each day a Date cell fell on, by the day's index from 1950-01-01 to
 * 2100-12-31 (the years a date may have): a ledger's dates repeat down its rows, and
 * formatting each (a string built in several pieces, and its result) was garbage made for
 * every date cell. Results are never changed. At most one per day of those years: bounded.
 */
const FIRST_DAY = Date.UTC(MIN_YEAR, 0, 1) / DAY_MS;
const DAY_RESULTS = new Array<Parsed<string> | undefined>(Date.UTC(MAX_YEAR + 1, 0, 1) / DAY_MS - FIRST_DAY);

/** `2020-03-05`, `2020/3/5`, `2020.3.5`, optionally with a time (`2020-3-5 10:30`, `…T10:30:00Z`). */
const NUMERIC = /^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/i;
/** `2020年3月5日` (parts may be Chinese numerals), optional time after. */
const WITH_YEAR = /^([^年]+)年([^月]+)月([^日号]+)[日号](?: ?\d{1,2}:\d{2}(?::\d{2})?)?$/;
/** `3月5日`: the period's year. */
const WITHOUT_YEAR = /^([^年月]+)月([^日号]+)[日号]$/;
/**
 * A weekday after the date, as Excel's long date format writes it into a CSV (`2020年3月5日星期四`)
 * and clerks type it (`2020-03-05（周四）`): taken off, and checked against the date.
 */
const WEEKDAY = /[,，]?[(（]?(?:星期|周|礼拜)([一二三四五六日天])[)）]?$/;
const WEEKDAYS = '日一二三四五六';

/**
 * A cell read as a date, returned as `YYYY-MM-DD`.
 *
 * Accepts a Date (its UTC day: exceljs hands dates as UTC; a time of day is ignored), an Excel
 * serial (1 ≤ n < 2958466, counting the nonexistent 1900-02-29 as serial 60, which fails),
 * a yyyymmdd number (`20200305`), and text: `2020-03-05`, `2020/3/5`, `2020.3.5`,
 * `2020年3月5日`, `二〇二〇年三月五日`, `20200305`, a serial as text (`43895`), full-width
 * digits, and `3月5日` in the year `ctx.year`, each optionally followed by its weekday
 * (`2020年3月5日星期四`, `（周四）`), which must be the date's. The day must exist and the year lie
 * in 1950–2100.
 *
 * @example
 * parseDate('2020/3/5', { year: 2020 })  // { ok: true, value: '2020-03-05' }
 * parseDate(43895, { year: 2020 })       // { ok: true, value: '2020-03-05' }
 * parseDate('3月5日', { year: 2020 })    // { ok: true, value: '2020-03-05' }
 */
export function parseDate(raw: RawValue, ctx: { readonly year: number }): Parsed<string> {
  if (raw === null) return ok(null);
  if (raw instanceof Date) {
    const time = raw.getTime();
    if (Number.isNaN(time)) return fail('无效的日期');
    // A UTC day is 86,400,000 ms exactly: the day's number names the date.
    const slot = Math.floor(time / DAY_MS) - FIRST_DAY;
    const inTable = slot >= 0 && slot < DAY_RESULTS.length;
    const known = inTable ? DAY_RESULTS[slot] : undefined;
    if (known !== undefined) return known;
    // A Date's day always exists, so only the year can fail `checked`: in range, its result is
    // known without formatting the text it would only quote in a failure.
    const year = raw.getUTCFullYear();
    if (year >= MIN_YEAR && year <= MAX_YEAR) {
      const result = ok(isoDate(year, raw.getUTCMonth() + 1, raw.getUTCDate()));
      if (inTable) DAY_RESULTS[slot] = result;
      return result;
    }
    return checked(String(foldText(raw)), raw.getUTCFullYear(), raw.getUTCMonth() + 1, raw.getUTCDate());
  }
  const text = foldText(raw);
  if (text === null) return ok(null);
  if (typeof raw === 'boolean') return fail(`“${text}”是逻辑值，不是日期`);
  if (typeof raw === 'number') return fromNumber(text, raw);

  const s = toHalfWidth(text).replace(/\s*([年月日号])\s*/g, '$1');
  const weekday = WEEKDAY.exec(s);
  if (weekday !== null && weekday.index > 0) return onWeekday(text, fromText(text, s.slice(0, weekday.index).trimEnd(), ctx), weekday[1] ?? '');
  return fromText(text, s, ctx);
}

/** The date, when the weekday written after it is that date's (天 and 日 both Sunday). */
function onWeekday(text: string, date: Parsed<string>, written: string): Parsed<string> {
  if (!date.ok || date.value === null) return invalid(text);
  const actual = WEEKDAYS[new Date(`${date.value}T00:00:00Z`).getUTCDay()] ?? '';
  if (actual === written || (written === '天' && actual === '日')) return date;
  return fail(`“${text}”的日期和星期对不上：${date.value}是星期${actual}，请核对日期`);
}

function fromText(text: string, s: string, ctx: { readonly year: number }): Parsed<string> {
  if (/^\d{8}$/.test(s)) return fromYyyymmdd(text, Number(s));
  // Five digits is a serial (1927–2173); four could be a bare year, so they are not taken.
  if (/^\d{5}(?:\.\d+)?$/.test(s)) return fromSerial(text, Number(s));

  const numeric = NUMERIC.exec(s);
  if (numeric) return checked(text, Number(numeric[1]), Number(numeric[3]), Number(numeric[4]));

  const withYear = WITH_YEAR.exec(s);
  if (withYear) return fromParts(text, withYear[1], withYear[2], withYear[3]);
  const withoutYear = WITHOUT_YEAR.exec(s);
  if (withoutYear) return fromParts(text, String(ctx.year), withoutYear[1], withoutYear[2]);

  return invalid(text);
}

function fromNumber(text: string, n: number): Parsed<string> {
  if (Number.isInteger(n) && n >= 10_000_000 && n <= 99_999_999) return fromYyyymmdd(text, n);
  if (n >= 1 && n < SERIAL_END) return fromSerial(text, n);
  return invalid(text);
}

function fromYyyymmdd(text: string, n: number): Parsed<string> {
  return checked(text, Math.floor(n / 10_000), Math.floor(n / 100) % 100, n % 100);
}

function fromSerial(text: string, serial: number): Parsed<string> {
  const day = Math.floor(serial); // the fraction is the time of day
  if (day === 60) return fail(`“${text}”是Excel中不存在的日期1900-02-29`);
  // Excel counts 1900-02-29 as a day: from serial 61 on, counting from 1899-12-30 is right.
  const epoch = day >= 61 ? Date.UTC(1899, 11, 30) : Date.UTC(1899, 11, 31);
  const d = new Date(epoch + day * DAY_MS);
  return checked(text, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
}

function fromParts(text: string, y: string | undefined, m: string | undefined, d: string | undefined): Parsed<string> {
  const [year, month, day] = [y, m, d].map(partValue);
  if (year === null || month === null || day === null || year === undefined || month === undefined || day === undefined) {
    return invalid(text);
  }
  return checked(text, year, month, day);
}

function partValue(part: string | undefined): number | null {
  if (part === undefined) return null;
  return /^\d{1,4}$/.test(part) ? Number(part) : parseChineseNumeral(part);
}

function checked(text: string, year: number, month: number, day: number): Parsed<string> {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return fail(`“${text}”日期不存在`);
  if (year < MIN_YEAR || year > MAX_YEAR) return fail(`“${text}”的年份${year}不在${MIN_YEAR}—${MAX_YEAR}之间`);
  return ok(isoDate(year, month, day));
}

/** `YYYY-MM-DD` for a year of four digits (1950–2100 here). */
function isoDate(year: number, month: number, day: number): string {
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function invalid(text: string): Parsed<string> {
  return fail(`“${text}”不是有效日期，请写成2020-03-05`);
}
