/**
 * The years the installed working-day calendar (`chinese-days`, workday-calendar.ts) knows, apart
 * from the calendar itself: checking a configuration's deadline needs only these, and loading
 * the package's 2004–2026 tables took ~20 ms of every command's start.
 */

/** Years whose holidays and 调休 days the installed calendar knows. */
export const CALENDAR_YEARS = { first: 2004, last: 2026 } as const;

/** Whether the calendar knows the year of `date` (`YYYY-MM-DD`). */
export function calendarCovers(date: string): boolean {
  const year = Number(date.slice(0, 4));
  return year >= CALENDAR_YEARS.first && year <= CALENDAR_YEARS.last;
}
