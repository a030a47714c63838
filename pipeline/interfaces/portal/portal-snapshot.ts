/**
 * What the portal's pages show, read from the database after each run: the last completed run,
 * its findings and figures, each department's ledgers (已报/空表/缺报) and every file version
 * it has sent. Read once per run and held in memory, so a page view never touches DuckDB.
 */
import type { TallyConfig } from '../../kernel/config/config.ts';
import { openDatabase } from '../../kernel/db/open-database.ts';
import { levelTotals, type Finding, type Level, type OmittedFindings } from '../../kernel/findings/findings.ts';
import { EMPTY_DIGEST, findingsDigest } from '../../kernel/findings/findings-store.ts';
import { ledgerSubmissions } from '../../stages/6-report/ledger-submissions.ts';
import { previousFromDatabase } from '../../stages/5-rollup/yoy.ts';
import type { SubmissionStatus } from '../../../reports/report-data.ts';

export interface SnapshotRun {
  readonly id: number;
  readonly startedAt: Date;
  readonly finishedAt: Date | null;
  readonly errors: number;
  readonly warnings: number;
  readonly mails: number;
}

export interface LedgerStatus {
  readonly ledger: string;
  readonly ledgerName: string;
  readonly owed: boolean;
  readonly status: SubmissionStatus;
  readonly files: readonly string[];
  readonly rows: number;
  readonly findings: number;
}

export interface FileVersionRow {
  readonly path: string;
  /** The file name within the department folder. */
  readonly name: string;
  readonly version: number;
  readonly receivedAt: Date;
  readonly size: number;
  readonly current: boolean;
}

export interface DepartmentSnapshot {
  readonly code: string;
  readonly name: string;
  readonly ledgers: readonly LedgerStatus[];
  readonly files: readonly FileVersionRow[];
  /** Its findings as listed (at most a few per file, sheet and rule) … */
  readonly findings: readonly Finding[];
  /** … the groups left out, one line each … */
  readonly omitted: readonly OmittedFindings[];
  /** … and every one counted. */
  readonly totals: Readonly<Record<Level, number>>;
}

export interface IndicatorRow {
  readonly code: string;
  readonly name: string;
  readonly unit: string;
  readonly value: number | null;
  readonly wording: string | null;
  readonly status: string;
  /** Last year's value (issue 15's chart), null when unknown. */
  readonly previous: number | null;
}

export interface PortalSnapshot {
  /** The last completed run; null before the first one. */
  readonly run: SnapshotRun | null;
  readonly departments: readonly DepartmentSnapshot[];
  readonly indicators: readonly IndicatorRow[];
  /** Findings of the last run that belong to no department (a file outside any folder). */
  readonly unowned: readonly Finding[];
  readonly unownedOmitted: readonly OmittedFindings[];
}

export async function readSnapshot(config: TallyConfig, dbPath: string): Promise<PortalSnapshot> {
  const tdb = await openDatabase(dbPath, config.ledgers);
  try {
    const { db } = tdb;
    const last = await db.selectFrom('runs').selectAll().where('status', '=', 'done').orderBy('id', 'desc').limit(1).executeTakeFirst();
    const digest = last === undefined ? EMPTY_DIGEST : await findingsDigest(tdb.connection, last.id);
    const findings = digest.shown;
    const values =
      last === undefined ? [] : await db.selectFrom('indicator_values').selectAll().where('run_id', '=', last.id).execute();
    const submitted = await ledgerSubmissions(tdb);
    const previous = await previousFromDatabase(db, config.year - 1);
    const versions = await db
      .selectFrom('file_versions')
      .select(['department', 'path', 'version', 'received_at', 'size', 'current'])
      .where('department', 'is not', null)
      .orderBy('path')
      .orderBy('version', 'desc')
      .execute();

    const ledgerName = (id: string) => config.ledgers.byId(id)?.name ?? id;
    const departments = config.departments.map((d): DepartmentSnapshot => {
      const mine = findings.filter((f) => f.department === d.code);
      const sent = submitted.filter((s) => s.department === d.code);
      const ids = [...new Set([...d.owes, ...sent.map((s) => s.ledger)])];
      const ledgers = ids.map((id): LedgerStatus => {
        const s = sent.find((x) => x.ledger === id);
        const rows = s?.rows ?? 0;
        return {
          ledger: id,
          ledgerName: ledgerName(id),
          owed: d.owes.includes(id),
          status: s === undefined ? '缺报' : rows === 0 ? '空表' : '已报',
          files: s?.files ?? [],
          rows,
          findings: digest.counts.reduce((n, c) => (c.department === d.code && c.ledger === id ? n + c.count : n), 0),
        };
      });
      const files = versions
        .filter((v) => v.department === d.code)
        .map((v) => ({
          path: v.path,
          name: v.path.slice(d.code.length + 1),
          version: v.version,
          receivedAt: v.received_at,
          size: Number(v.size),
          current: v.current,
        }));
      return {
        code: d.code,
        name: d.name,
        ledgers,
        files,
        findings: mine,
        omitted: digest.omitted.filter((o) => o.department === d.code),
        totals: levelTotals(digest.counts, d.code),
      };
    });

    const indicators = config.report.indicators.map((ind): IndicatorRow => {
      const v = values.find((x) => x.code === ind.code);
      return { code: ind.code, name: ind.name, unit: ind.unit, value: v?.value ?? null, wording: v?.wording ?? null, status: v?.status ?? '缺报', previous: previous?.values.get(ind.code) ?? null };
    });
    const run: SnapshotRun | null =
      last === undefined
        ? null
        : { id: Number(last.id), startedAt: last.started_at, finishedAt: last.finished_at, errors: last.errors, warnings: last.warnings, mails: last.mails };
    return {
      run,
      departments,
      indicators,
      unowned: findings.filter((f) => f.department === null),
      unownedOmitted: digest.omitted.filter((o) => o.department === null),
    };
  } finally {
    await tdb.close();
  }
}
