/**
 * The Chinese working-day calendar (工作日历): weekends, public holidays and 调休 make-up
 * workdays as the State Council announces them each year, from the `chinese-days` package.
 *
 * `chinese-days` 1.5.7 carries the announced calendars of 2004–2026 (its `dist/years/*.json`).
 * A year outside that range would silently fall back to "weekends only", so dates outside it are
 * refused: update the package when the State Council publishes the next year's calendar (each
 * November/December).
 */
// A CommonJS package: Node's ESM loader sees only its default export.
import chineseDays from 'chinese-days';
import { CALENDAR_YEARS, calendarCovers } from './calendar-years.ts';

export { CALENDAR_YEARS };

/** A working-day calendar over `YYYY-MM-DD` dates; the default is the Chinese one. */
export interface WorkdayCalendar {
  isWorkday(date: string): boolean;
  covers(date: string): boolean;
}

export const chineseWorkdays: WorkdayCalendar = {
  isWorkday: (date) => chineseDays.isWorkday(date),
  covers: calendarCovers,
};

/** `date` plus `days` calendar days, as `YYYY-MM-DD`. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The working day `n` working days before `date` (n ≥ 1), on `calendar`.
 *
 * @example
 * workdaysBefore('2021-02-20', 3); // '2021-02-10': 19, 18, then the Spring Festival break, then 10
 */
export function workdaysBefore(date: string, n: number, calendar: WorkdayCalendar = chineseWorkdays): string {
  let day = date;
  for (let left = n; left > 0; ) {
    day = addDays(day, -1);
    if (calendar.isWorkday(day)) left--;
  }
  return day;
}

/** Working days from `from` (exclusive) to `to` (inclusive); 0 when `to` is not after `from`. */
export function workdaysBetween(from: string, to: string, calendar: WorkdayCalendar = chineseWorkdays): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (calendar.isWorkday(day)) count++;
  return count;
}
