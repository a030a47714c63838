/**
 * The notify stage fingerprints each department's mail from its envelope (address, kind) and its
 * part of the report before composing it, and composes, and gathers the extras of (what changed
 * since its last mail, its marked copies), only the mails whose fingerprint changed: a district's
 * rerun with nothing changed composed 120 mails only to hash them.
 *
 * - The fingerprints are those the composed mails gave (the formula as it was, written out here):
 *   fingerprints stored before the shortcut still match, so nobody is mailed again for it.
 * - Nothing changed: no mail composed, no extras gathered. One department's findings changed:
 *   that department's mail alone (and the coordinator's digest).
 *
 * Real DuckDB file, real outbox, real `.eml` file channel.
 */
import { createHash } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { openDatabase } from '../pipeline/kernel/db/open-database.ts';
import { finding } from '../pipeline/kernel/findings/findings.ts';
import { composeMails, departmentEnvelopes, type OutgoingMail } from '../pipeline/stages/7-notify/compose-mails.ts';
import { deadlineStatus } from '../pipeline/stages/7-notify/deadline-status.ts';
import { fileChannel } from '../pipeline/stages/7-notify/file-channel.ts';
import { departmentFingerprints } from '../pipeline/stages/7-notify/fingerprint.ts';
import { notify } from '../pipeline/stages/7-notify/notify-stage.ts';
import { spoolDirOf } from '../pipeline/stages/7-notify/outbox.ts';
import type { ReportData } from '../reports/report-data.ts';
import { missingLedgersReport } from './support/missing-ledgers-report.ts';
import { tmpDir } from './smtp-sink.ts';

const CATALOG = loadConfig().ledgers;
const NOW = new Date('2021-01-11T18:00:00Z');
const NO_WAIT = { rounds: 4, delayMs: () => 0 };
const dirs: string[] = [];
afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

/** Three departments, each owing a ledger not sent; enforcement with two findings of its own. */
function report(enforcementCell = 'B7'): ReportData {
  const base = missingLedgersReport(
    [
      { code: 'enforcement', name: '综合执法队', ledger: 'disclosure' },
      { code: 'justice', name: '司法所', ledger: 'legal_aid' },
      { code: 'counsel', name: '法律顾问', ledger: 'legality_review' },
    ],
    NOW,
  );
  return {
    ...base,
    findings: [
      finding('cell.type', { department: 'enforcement', file: 'enforcement/公示.xlsx', sheet: '1月', cell: enforcementCell, expected: '日期', actual: '2020-13-45' }, '公示日期不是有效日期，请改正'),
      finding('sheet.unrecognized', { department: 'justice', file: 'justice/杂表.xlsx', sheet: '说明' }, '无法识别这张表是哪一种台账'),
      finding('row.duplicate', { department: 'enforcement', file: 'enforcement/公示.xlsx', sheet: '2月', cell: '12' }, '与第11行完全相同，请确认是否重复填报'),
    ],
    findingsOmitted: [{ level: '警告', code: 'row.duplicate', department: 'justice', file: 'justice/杂表.xlsx', sheet: '说明', ledger: null, count: 3, firstRow: 4, lastRow: 9 }],
  };
}

/** The department fingerprint as it was taken from each composed mail, before the shortcut. */
function fingerprintOfComposed(data: ReportData, mail: OutgoingMail): string {
  const code = mail.recipient;
  const value = {
    to: mail.to,
    cc: mail.cc ?? null,
    kind: mail.kind,
    findings: data.findings.filter((f) => f.department === code),
    omitted: (data.findingsOmitted ?? []).filter((o) => o.department === code),
    submissions: data.submissions.filter((s) => s.departmentCode === code).map((s) => [s.ledgerId, s.status, s.files, s.versions, s.rows]),
    figures: data.indicators.map((i) => [i.code, i.value, i.wording, i.status]),
  };
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}

describe("a department's mail is composed only when its fingerprint changed", () => {
  it('takes the same fingerprint from the envelope as from the composed mail, for every kind of mail', () => {
    const settings = (deadline: string) => ({ deadline, reminderWorkdays: 3, timezone: 'Asia/Shanghai' });
    const phases = [
      deadlineStatus(NOW, { reminderWorkdays: 3, timezone: 'Asia/Shanghai' }), // none: findings
      deadlineStatus(NOW, settings('2021-03-01')), // open: findings
      deadlineStatus(NOW, settings('2021-01-13')), // reminder
      deadlineStatus(NOW, settings('2021-01-08')), // overdue: the coordinator in copy
    ];
    expect(phases.map((d) => d.phase)).toEqual(['none', 'open', 'reminder', 'overdue']);
    for (const data of [report(), report('C9')]) {
      for (const deadline of phases) {
        const composed = composeMails(data, 'report-2020.xlsx', { deadline }).filter((m) => m.recipient !== 'coordinator');
        const envelopes = departmentEnvelopes(data, deadline);
        expect(envelopes).toEqual(composed.map(({ recipient, to, cc, kind }) => ({ recipient, to, ...(cc === undefined ? {} : { cc }), kind })));
        expect(departmentFingerprints(data, envelopes)).toEqual(new Map(composed.map((m) => [m.recipient, fingerprintOfComposed(data, m)])));
      }
    }
    // Overdue: the kind and the copy are in it.
    expect(composeMails(report(), 'report-2020.xlsx', { deadline: phases[3] }).find((m) => m.recipient === 'justice')).toMatchObject({ kind: 'overdue', cc: 'fazhi@anding.example.org' });
  });

  it('composes nothing and gathers no extras when nothing changed, and only the department whose findings changed when one did', async () => {
    const dir = tmpDir('notify-composes-changed');
    dirs.push(dir);
    const dbPath = join(dir, 'tally.duckdb');
    const workbook = join(dir, 'report-2020.xlsx');
    await writeFile(workbook, Buffer.from('PK\u0003\u0004 bytes to attach'));
    const asked: string[][] = [];
    const run = async (runId: bigint, data: ReportData) => {
      const tdb = await openDatabase(dbPath, CATALOG);
      try {
        return await notify({
          db: tdb.db,
          spool: spoolDirOf(dbPath),
          runId,
          report: data,
          workbook,
          departmentExtras: async (departments) => {
            asked.push([...departments]);
            return { marked: new Map(), changes: new Map() };
          },
          settings: { from: 'tally 台账核查 <tally@anding.example.org>', timezone: 'Asia/Shanghai', reminderWorkdays: 3 },
          channel: fileChannel(join(dir, 'outbox')),
          now: () => NOW,
          retry: NO_WAIT,
        });
      } finally {
        await tdb.close();
      }
    };

    const first = await run(1n, report());
    expect(asked).toEqual([['enforcement', 'justice', 'counsel']]);
    expect(first.queued.map((q) => q.recipient)).toEqual(['enforcement', 'justice', 'counsel', 'coordinator']);

    // Nothing changed: nothing composed, no extras asked for, nothing queued.
    const again = await run(2n, report());
    expect(asked).toHaveLength(1);
    expect(again.queued).toEqual([]);
    expect(again.sent).toBe(0);

    // One of enforcement's findings moved to another cell: its mail alone, then the digest.
    const changed = await run(3n, report('C9'));
    expect(asked).toEqual([['enforcement', 'justice', 'counsel'], ['enforcement']]);
    expect(changed.queued.map((q) => q.recipient)).toEqual(['enforcement', 'coordinator']);
    expect(changed.sent).toBe(2);
  });
});
