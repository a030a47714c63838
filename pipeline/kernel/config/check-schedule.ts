/**
 * Validates the scheduling keys of a configuration (cron, time zone, deadline) when it is
 * loaded, so a mistake stops `tally schedule` at start, naming the file and the key, instead of
 * at 02:00.
 */
import { Cron } from 'croner';
import { ConfigError } from './config-error.ts';
// The calendar's years only: the calendar itself (chinese-days) loads when a deadline is worked out.
import { CALENDAR_YEARS, calendarCovers } from '../calendar-years.ts';

export function checkSchedule(file: string, schedule: { cron: string; timezone: string }, deadline: string | undefined): void {
  try {
    new Intl.DateTimeFormat('en', { timeZone: schedule.timezone });
  } catch {
    throw new ConfigError(`配置文件 ${file}: schedule.timezone: unknown time zone "${schedule.timezone}"`);
  }
  try {
    new Cron(schedule.cron, { timezone: schedule.timezone, paused: true }).stop();
  } catch (cause) {
    throw new ConfigError(`配置文件 ${file}: schedule.cron: ${(cause as Error).message}`, { cause });
  }
  if (deadline !== undefined && !calendarCovers(deadline)) {
    throw new ConfigError(
      `配置文件 ${file}: deadline: 工作日历只覆盖 ${CALENDAR_YEARS.first}–${CALENDAR_YEARS.last} 年（chinese-days），` +
        `${deadline} 不在其中：请升级 chinese-days`,
    );
  }
}
