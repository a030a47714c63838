/**
 * Where a run stands against the collection deadline (报送截止日期), on the Chinese
 * working-day calendar: before the reminder window, inside it, or past the deadline.
 */
import { chineseWorkdays, workdaysBefore, workdaysBetween, type WorkdayCalendar } from '../../kernel/workday-calendar.ts';

export const DEADLINE_PHASES = ['none', 'open', 'reminder', 'overdue'] as const;
/**
 * `none`: no deadline configured; `open`: before the reminder window; `reminder`: from the
 * reminder day through the deadline day; `overdue`: after the deadline day.
 */
export type DeadlinePhase = (typeof DEADLINE_PHASES)[number];

export interface DeadlineStatus {
  readonly phase: DeadlinePhase;
  /** Today in the configured time zone, `YYYY-MM-DD`. */
  readonly today: string;
  readonly deadline: string | null;
  /** The first day departments that still owe a ledger are reminded; null without reminders. */
  readonly remindFrom: string | null;
  /** Working days after today up to and including the deadline day (0 on and after it). */
  readonly workdaysLeft: number;
}

export interface DeadlineSettings {
  readonly deadline?: string | undefined;
  /** Working days before the deadline; 0: no reminder, only the overdue notice. */
  readonly reminderWorkdays: number;
  readonly timezone: string;
}

/**
 * @example
 * deadlineStatus(new Date('2021-01-11T18:00:00Z'), { deadline: '2021-01-15', reminderWorkdays: 3, timezone: 'Asia/Shanghai' });
 * // { phase: 'reminder', today: '2021-01-12', remindFrom: '2021-01-12', workdaysLeft: 3, … }
 */
export function deadlineStatus(now: Date, settings: DeadlineSettings, calendar: WorkdayCalendar = chineseWorkdays): DeadlineStatus {
  const today = localDate(now, settings.timezone);
  const deadline = settings.deadline ?? null;
  if (deadline === null) return { phase: 'none', today, deadline, remindFrom: null, workdaysLeft: 0 };
  const remindFrom = settings.reminderWorkdays > 0 ? workdaysBefore(deadline, settings.reminderWorkdays, calendar) : null;
  const phase: DeadlinePhase = today > deadline ? 'overdue' : remindFrom !== null && today >= remindFrom ? 'reminder' : 'open';
  return { phase, today, deadline, remindFrom, workdaysLeft: workdaysBetween(today, deadline, calendar) };
}

/** The calendar date of `instant` in `timeZone`, `YYYY-MM-DD`. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** `2021年1月15日` */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}
