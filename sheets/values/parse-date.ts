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
 * (`2020年3月5日星期四`, `（周四）`), which must be the date's, and by a time of day
 * (`上午`, `下午3点`, `9:30-11:30`), which is dropped; a 日 or a full stop after a date in
 * figures (`2020.3.5日`, `2020.03.05.`) and a day without its 日 (`2020年3月5`) are read too.
 * The day must exist and the year lie in 1950–2100, written in full (`20年3月5日` is refused:
 * the century is never guessed). A text that is no date is refused with what it lacks (the
 * day, the year) or holds (two dates), a 0 as no date.
 *
 * @example
 * parseDate('2020/3/5', { year: 2020 })         // { ok: true, value: '2020-03-05' }
 * parseDate(43895, { year: 2020 })              // { ok: true, value: '2020-03-05' }
 * parseDate('3月5日', { year: 2020 })           // { ok: true, value: '2020-03-05' }
 * parseDate('2020-3-5 下午3点', { year: 2020 }) // { ok: true, value: '2020-03-05' }
 * parseDate('20年3月5日', { year: 2020 })       // { ok: false, reason: '“20年3月5日”的年份只写了“20”，年份要写全四位（如“2020年”）' }
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
    // Day 0 of Excel's calendar: a 0 (or a time of day alone) in a cell formatted as a date.
    if (time >= SERIAL_ZERO_DAY && time < SERIAL_ZERO_DAY + DAY_MS) return notADate(time - SERIAL_ZERO_DAY);
    return checked(String(foldText(raw)), raw.getUTCFullYear(), raw.getUTCMonth() + 1, raw.getUTCDate());
  }
  const text = foldText(raw);
  if (text === null) return ok(null);
  if (typeof raw === 'boolean') return fail(`“${text}”是逻辑值，不是日期`);
  if (typeof raw === 'number') return fromNumber(text, raw);

  return fromText(text, toHalfWidth(text).replace(/\s*([年月日号])\s*/g, '$1'), ctx);
}

/** The date, when the weekday written after it is that date's (天 and 日 both Sunday). */
function onWeekday(text: string, date: Parsed<string>, written: string): Parsed<string> {
  if (!date.ok || date.value === null) return invalid(text);
  const actual = WEEKDAYS[new Date(`${date.value}T00:00:00Z`).getUTCDay()] ?? '';
  if (actual === written || (written === '天' && actual === '日')) return date;
  return fail(`“${text}”的日期和星期对不上：${date.value}是星期${actual}，请核对日期`);
}

/**
 * `s` (the cell's text, half-width, without blanks around 年月日号) as a date: one of the forms
 * as it stands, else with its weekday checked and taken off, else with what clerks write after
 * a date taken off ({@link withoutTrailer}), else refused with the reason ({@link refused}).
 */
function fromText(text: string, s: string, ctx: { readonly year: number }): Parsed<string> {
  const date = asWritten(text, s, ctx);
  if (date !== undefined) return date;
  const weekday = WEEKDAY.exec(s);
  if (weekday !== null && weekday.index > 0) return onWeekday(text, fromText(text, s.slice(0, weekday.index).trimEnd(), ctx), weekday[1] ?? '');
  // No date takes more to write: a longer text is not looked at again (nor in quadratic time).
  if (s.length > MAX_DATE_TEXT) return invalid(text);
  const bare = withoutTrailer(s);
  if (bare !== undefined) return fromText(text, bare, ctx);
  return refused(text, s, ctx);
}

/** Characters past which a text that is none of the forms is not looked at for more. */
const MAX_DATE_TEXT = 64;

/** `s` read as one of the forms as it stands, or undefined when it is none of them. */
function asWritten(text: string, s: string, ctx: { readonly year: number }): Parsed<string> | undefined {
  if (/^\d{8}$/.test(s)) return fromYyyymmdd(text, Number(s));
  // Five digits is a serial (1927–2173); four could be a bare year, so they are not taken.
  if (/^\d{5}(?:\.\d+)?$/.test(s)) return fromSerial(text, Number(s));

  const numeric = NUMERIC.exec(s);
  if (numeric) return checked(text, Number(numeric[1]), Number(numeric[3]), Number(numeric[4]));

  const withYear = WITH_YEAR.exec(s);
  if (withYear) return fromParts(text, withYear[1], withYear[2], withYear[3], ctx);
  const withoutYear = WITHOUT_YEAR.exec(s);
  if (withoutYear) return fromParts(text, String(ctx.year), withoutYear[1], withoutYear[2], ctx);
  return undefined;
}

/** A period of the day (`上午`), with or without a clock time after it. */
const DAY_PERIOD = '(?:凌晨|清晨|早晨|早上|上午|中午|午间|下午|傍晚|晚上|晚间|夜间|夜里|全天)';
/** A number of hours or minutes in Chinese numerals (`十`, `二十三`, `两`). */
const CN_CLOCK_NUMBER = '[〇零一二两三四五六七八九十]{1,3}';
/** `10:30`, `10:30:00.000`, `10:30:00+08:00`, `10:30 AM`. */
const CLOCK = '(?:[01]?\\d|2[0-4]):[0-5]\\d(?::[0-5]\\d(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?(?: ?[ap]\\.?m\\.?)?';
/** `3点`, `3点半`, `10点30分`, `10时30分`, `十点`, `9点整`. */
const CN_CLOCK = `(?:\\d{1,2}|${CN_CLOCK_NUMBER})[点时](?:(?:\\d{1,2}|${CN_CLOCK_NUMBER})分?(?:\\d{1,2}秒)?|半|整|钟)?`;
/** One time of day: a period and a clock, or either alone. */
const TIME = `(?:${DAY_PERIOD} ?(?:${CLOCK}|${CN_CLOCK})?|(?:${CLOCK}|${CN_CLOCK}))`;
/**
 * A date followed by a time of day or a span of one (`上午`, `下午3点`, `9:30-11:30`,
 * `上午9点至11点`): the date ends in a digit, 日/号, a bracket or a weekday; `T` or a blank
 * may come between.
 */
const WITH_TIME = new RegExp(`^(.*?(?:[\\d日号)）]|(?:星期|周|礼拜)[一二三四五六日天]))(T| ?)(${TIME}(?: ?(?:-|~|至|到|—) ?${TIME})?)$`, 'i');
const STARTS_WITH_PERIOD = new RegExp(`^${DAY_PERIOD}`);

/**
 * `s` without what clerks write after a date that changes nothing of its day, or undefined when
 * it has none: a time of day (`2020-3-5 下午3点`), a full stop (`2020.03.05.`, `2020年3月5日。`),
 * 日 after a date in figures (`2020.3.5日`), or the 日 missing after the day (`2020年3月5`). A
 * full stop typed by a Chinese input method between the figures (`2020。3。5`) is a dot.
 */
function withoutTrailer(s: string): string | undefined {
  if (s.includes('。')) return s.replace(/。/g, '.');
  if (s.endsWith('.')) return s.slice(0, -1);
  const time = WITH_TIME.exec(s);
  // A clock right after the day's figures (`2020-3-510:30`): where the day ends is a guess.
  if (time !== null && (time[2] !== '' || !/\d$/.test(time[1] ?? '') || STARTS_WITH_PERIOD.test(time[3] ?? ''))) return time[1];
  if (/^\d{4}([-/.])\d{1,2}\1\d{1,2}[日号]$/.test(s)) return s.slice(0, -1);
  if (/月(?:\d{1,2}|[〇零一二三四五六七八九十]{1,3})$/.test(s)) return `${s}日`;
  return undefined;
}

/** Day 0 of Excel's 1900 calendar as tally's readers give it (serial 0: `1900/1/0` in Excel). */
const SERIAL_ZERO_DAY = Date.UTC(1899, 11, 31);

/** Day 0 of Excel's 1904 calendar (serial 0 there: `1904/1/1` in Excel). */
const SERIAL_ZERO_DAY_1904 = Date.UTC(1904, 0, 1);

/**
 * True for a cell value that is Excel's date 0: the number 0, or serial 0 read in a date
 * format — 1899-12-31 00:00 (Excel's `1900/1/0`), or in a workbook on the 1904 date system
 * (`date1904`) 1904-01-01 00:00, which only there is day 0 (elsewhere it is serial 1462).
 */
export function isExcelDayZero(value: RawValue, date1904 = false): boolean {
  return value === 0 || (value instanceof Date && value.getTime() === (date1904 ? SERIAL_ZERO_DAY_1904 : SERIAL_ZERO_DAY));
}

/**
 * A 0 in a cell formatted as a date, or a time of day with no date (`ms` into day 0): no date
 * to read. (A formula giving 0, as `='一季度'!G3` does when G3 is empty, never comes here: it
 * reads as empty, sheets/read-cell.ts.)
 */
function notADate(ms: number): Parsed<string> {
  if (ms <= 0) return fail('单元格里是数字 0（设为日期格式时显示为 1900/1/0 或 1900-01-00），不是日期；没有日期请留空');
  const minutes = Math.round(ms / 60_000);
  const clock = `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
  return fail(`单元格里只有时间 ${clock}，没有日期`);
}

function fromNumber(text: string, n: number): Parsed<string> {
  if (Number.isInteger(n) && n >= 10_000_000 && n <= 99_999_999) return fromYyyymmdd(text, n);
  if (n >= 1 && n < SERIAL_END) return fromSerial(text, n);
  if (n === 0) return zero(text);
  if (n > 0 && n < 1) return notADate(n * DAY_MS);
  return invalid(text);
}

/** A 0 typed in a date column. */
function zero(text: string): Parsed<string> {
  return fail(`“${text}”不是日期；没有日期请留空`);
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

function fromParts(text: string, y: string | undefined, m: string | undefined, d: string | undefined, ctx: { readonly year: number }): Parsed<string> {
  const [year, month, day] = [y, m, d].map(partValue);
  if (year === null || month === null || day === null || year === undefined || month === undefined || day === undefined) {
    return invalid(text);
  }
  // `20年3月5日`: which century is a guess, never made.
  if (y !== undefined && y.length <= 2) return shortYear(text, y, ctx);
  return checked(text, year, month, day);
}

function shortYear(text: string, year: string, ctx: { readonly year: number }): Parsed<string> {
  return fail(`“${text}”的年份只写了“${year}”，年份要写全四位（如“${ctx.year}年”）`);
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

/** `2020年3月`, `2020-03`, `二〇二〇年十二月`, `2020年3月上旬`: a year and a month, no day. */
const NO_DAY = /^(?:\d{4}|[〇零一二三四五六七八九]{4})(?:年(?:0?[1-9]|1[0-2]|[一二三四五六七八九十]{1,3})月(?:份|初|中|底|末|上旬|中旬|下旬)?|[-/.](?:0?[1-9]|1[0-2]))$/;
/** `2020年第一季度`, `2020年上半年`, `2020年度`, `2020`: a year, or a part of it longer than a month. */
const NO_MONTH = /^(?:\d{4}|[〇零一二三四五六七八九]{4})(?:年(?:度|第?[一二三四1-4]季度|[上下]半年)?)?$/;
/** `3/5`, `3-5`, `03.05`: a month and a day in figures, no year (and `3/5` may be 5 March too). */
const NO_YEAR = /^\d{1,2}([-/.])\d{1,2}$/;
/** `5/3/2020`, `05-03-2020`: the year last, the order of month and day unknown. */
const YEAR_LAST = /^(\d{1,2})([-/.])(\d{1,2})\2(\d{4})$/;
/** `20-3-5`, `20.3.5`: a year of two figures. */
const SHORT_NUMERIC_YEAR = /^(\d{2})([-/.])\d{1,2}\2\d{1,2}$/;
/** Where a cell holding two dates (`2020-3-5至3-7`, `2020年3月5日-6日`, one per line) may be split. */
const BETWEEN_DATES = /(?: ?(?:至|到|~|-|—|、|,|;) ?| )/g;
/** What follows the first of two dates: another date, or its day (`3-7`, `6日`, `2020.3.6`). */
const SECOND_DATE = /\d[-/.月]\d|[\d〇零一二三四五六七八九十][日号]/;
/** What clerks write for "as the row above": a ledger row stands on its own. */
const DITTO = /^(?:同上|同前|同左|〃|"|')$/;

/**
 * Why a text is no date, as plainly as can be said: what it lacks (the day, the year, the
 * whole year), or that it holds two dates; `不是有效日期` when nothing more can be said.
 */
function refused(text: string, s: string, ctx: { readonly year: number }): Parsed<string> {
  if (/^0+$/.test(s)) return zero(text);
  if (NO_DAY.test(s)) return fail(`“${text}”只写到月，没有写是哪一天`);
  if (NO_MONTH.test(s)) return fail(`“${text}”没有写月和日`);
  if (NO_YEAR.test(s)) return fail(`“${text}”没有写年份，月和日谁先谁后也无法确定`);
  const yearLast = YEAR_LAST.exec(s);
  if (yearLast !== null) {
    const [a, b] = [Number(yearLast[1]), Number(yearLast[3])];
    const orders = a <= 12 && b <= 12 && a !== b ? `，无法确定是${a}月${b}日还是${b}月${a}日` : '';
    return fail(`“${text}”把年份写在了最后${orders}，请按年、月、日的顺序写`);
  }
  const shortNumeric = SHORT_NUMERIC_YEAR.exec(s);
  if (shortNumeric !== null) return shortYear(text, shortNumeric[1] ?? '', ctx);
  if (DITTO.test(s)) return fail(`“${text}”不是日期：每一行都要写出自己的日期，请不要写“同上”`);
  if (holdsTwoDates(s, ctx)) return fail(`“${text}”写了不止一个日期（或一段时间），一格只能填一个日期（如开始的那一天）`);
  return invalid(text);
}

/** True when `s` is a date, then a separator, then more with a figure in it: two dates, or a span. */
function holdsTwoDates(s: string, ctx: { readonly year: number }): boolean {
  for (const m of s.matchAll(BETWEEN_DATES)) {
    const first = s.slice(0, m.index);
    const rest = s.slice(m.index + m[0].length);
    if (first === '' || !SECOND_DATE.test(rest)) continue;
    const date = asWritten(first, first, ctx);
    if (date !== undefined && date.ok) return true;
  }
  return false;
}

function invalid(text: string): Parsed<string> {
  return fail(`“${text}”不是有效日期，请写成2020-03-05`);
}
