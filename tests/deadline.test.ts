/**
 * Deadlines on the Chinese working-day calendar (chinese-days: 2004–2026): weekends, public
 * holidays and 调休 make-up workdays; a reminder N working days before the deadline to the
 * departments that still owe a ledger, an overdue notice after it with the coordinator in copy.
 * The pipeline runs at fake times across the 2021 Spring Festival.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../pipeline/kernel/config/config-error.ts';
import { checkSchedule } from '../pipeline/kernel/config/check-schedule.ts';
import { deadlineStatus } from '../pipeline/stages/7-notify/deadline-status.ts';
import { CALENDAR_YEARS, chineseWorkdays, workdaysBefore, workdaysBetween } from '../pipeline/kernel/workday-calendar.ts';
import { ccOf, startSink, toOf, type Sink } from './smtp-sink.ts';
import { at0200, COORDINATOR, EMAIL, LEGAL_AID, makeTown, STUDY, type Town } from './schedule-town.ts';

const settings = (deadline: string, reminderWorkdays = 3) => ({ deadline, reminderWorkdays, timezone: 'Asia/Shanghai' });

describe('the working-day calendar', () => {
  it('knows the Spring Festival 2021 break and its make-up Sundays and Saturdays (调休)', () => {
    expect(chineseWorkdays.isWorkday('2021-02-11')).toBe(false); // 除夕, a Thursday
    expect(chineseWorkdays.isWorkday('2021-02-17')).toBe(false); // a Wednesday inside the break
    expect(chineseWorkdays.isWorkday('2021-02-07')).toBe(true); // a Sunday worked
    expect(chineseWorkdays.isWorkday('2021-02-20')).toBe(true); // a Saturday worked
    expect(chineseWorkdays.isWorkday('2021-01-01')).toBe(false); // 元旦, a Friday
    expect(chineseWorkdays.isWorkday('2021-01-09')).toBe(false); // an ordinary Saturday
  });

  it('counts working days back over the holiday, where a weekday count would be a week off', () => {
    expect(workdaysBefore('2021-02-20', 3)).toBe('2021-02-10'); // 19, 18, (11–17 off), 10
    expect(workdaysBefore('2021-01-15', 3)).toBe('2021-01-12');
    expect(workdaysBefore('2021-01-05', 3)).toBe('2020-12-30'); // over 元旦
    expect(workdaysBetween('2021-02-10', '2021-02-20')).toBe(3);
  });

  it('covers 2004–2026 and refuses a deadline it cannot know', () => {
    expect(CALENDAR_YEARS).toEqual({ first: 2004, last: 2026 });
    expect(chineseWorkdays.isWorkday('2026-10-01')).toBe(false); // the last year's National Day is in
    expect(() => checkSchedule('c.json', { cron: '0 2 * * *', timezone: 'Asia/Shanghai' }, '2027-01-15')).toThrow(ConfigError);
    expect(() => checkSchedule('c.json', { cron: '0 2 * * *', timezone: 'Asia/Shanghai' }, '2021-01-15')).not.toThrow();
    expect(() => checkSchedule('c.json', { cron: '0 25 * * *', timezone: 'Asia/Shanghai' }, undefined)).toThrow(/schedule\.cron/);
    expect(() => checkSchedule('c.json', { cron: '0 2 * * *', timezone: 'Mars/Olympus' }, undefined)).toThrow(/schedule\.timezone/);
  });

  it('reads "today" in Shanghai: 02:00 on the 12th is still the 11th in UTC', () => {
    expect(deadlineStatus(at0200('2021-01-11'), settings('2021-01-15')).phase).toBe('open');
    const tuesday = deadlineStatus(at0200('2021-01-12'), settings('2021-01-15'));
    expect(tuesday).toMatchObject({ phase: 'reminder', today: '2021-01-12', remindFrom: '2021-01-12', workdaysLeft: 3 });
    expect(deadlineStatus(at0200('2021-01-15'), settings('2021-01-15'))).toMatchObject({ phase: 'reminder', workdaysLeft: 0 });
    expect(deadlineStatus(at0200('2021-01-16'), settings('2021-01-15')).phase).toBe('overdue');
    expect(deadlineStatus(at0200('2021-01-14'), settings('2021-01-15', 0)).phase).toBe('open');
    expect(deadlineStatus(at0200('2021-01-14'), { reminderWorkdays: 3, timezone: 'Asia/Shanghai' }).phase).toBe('none');
  });
});

describe('reminders and overdue notices across the Spring Festival (deadline Saturday 2021-02-20, a make-up workday)', () => {
  let town: Town;
  let sink: Sink;
  afterAll(async () => {
    await sink?.close();
    await town?.remove();
  });

  it('reminds on 2021-02-10, stays quiet through the break, and sends the overdue notice with the coordinator in copy on 02-21', async () => {
    town = await makeTown('deadline-spring-festival', '2021-02-20');
    sink = await startSink();
    await town.submit('office/学法活动台账.xlsx', [STUDY]);
    const mailsOn = async (date: string) => {
      const before = sink.received.length;
      await town.run(at0200(date), sink.port);
      return sink.received.slice(before).map((r) => ({ to: toOf(r.mail), cc: ccOf(r.mail), subject: r.mail.subject ?? '', text: r.mail.text ?? '' }));
    };

    const feb9 = await mailsOn('2021-02-09');
    expect(feb9.map((m) => m.to[0]).sort()).toEqual([COORDINATOR, EMAIL.justice, EMAIL.office].sort());
    expect(feb9.find((m) => m.to[0] === EMAIL.justice)?.subject).toContain('2020年度报送核查');

    const feb10 = await mailsOn('2021-02-10');
    const reminders = feb10.filter((m) => m.subject.includes('报送提醒'));
    expect(reminders.map((m) => m.to[0]).sort()).toEqual([EMAIL.justice, EMAIL.office].sort());
    const justice = reminders.find((m) => m.to[0] === EMAIL.justice)!;
    expect(justice.subject).toBe('【法治政府建设年度报告】司法所 2020年度报送提醒（2月20日截止）：1个错误');
    expect(justice.text).toContain('截止日期为2021年2月20日（还有3个工作日）');
    expect(justice.text).toContain('《法律援助台账》');
    expect(justice.cc).toEqual([]);
    expect(feb10.map((m) => m.to[0])).toContain(COORDINATOR);
    expect(feb10).toHaveLength(3);

    expect(await mailsOn('2021-02-17')).toEqual([]); // inside the break: nothing changed, nothing sent
    expect(await mailsOn('2021-02-20')).toEqual([]); // the deadline day itself (a 调休 Saturday)

    const feb21 = await mailsOn('2021-02-21');
    const overdue = feb21.filter((m) => m.subject.includes('报送逾期'));
    expect(overdue.map((m) => m.to[0]).sort()).toEqual([EMAIL.justice, EMAIL.office].sort());
    for (const notice of overdue) {
      expect(notice.cc).toEqual([COORDINATOR]);
      expect(notice.text).toContain('已过');
    }
    expect(feb21.filter((m) => m.to[0] === COORDINATOR)).toHaveLength(1); // and the digest
    expect(feb21).toHaveLength(3);

    expect(await mailsOn('2021-02-22')).toEqual([]);
  });

  it("sends no reminder to a department that owes nothing, and the submission itself is what it hears next", async () => {
    await town.submit('justice/法律援助台账.xlsx', [LEGAL_AID]);
    const before = sink.received.length;
    await town.run(at0200('2021-02-23'), sink.port);
    const got = sink.received.slice(before);
    const justice = got.find((r) => toOf(r.mail)[0] === EMAIL.justice)!;
    expect(justice.mail.subject).toBe('【法治政府建设年度报告】司法所 2020年度报送核查：未发现问题');
    expect(ccOf(justice.mail)).toEqual([]);
    // The figures changed (法律援助 2件): the office hears too, still overdue for normative_docs.
    expect(got.find((r) => toOf(r.mail)[0] === EMAIL.office)?.mail.subject).toContain('报送逾期');
  });
});
