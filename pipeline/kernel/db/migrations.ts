/**
 * Migrations of the pipeline's own tables. Append new ones; never edit a released one.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';

const findingColumns = sql.raw(`
  level varchar not null, code varchar not null, department varchar, file varchar, sheet varchar,
  cell varchar, message varchar not null, expected varchar, actual varchar, ledger varchar`);

export const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await sql`create sequence file_version_seq`.execute(db);
      await sql`create table file_versions (
        id bigint primary key default nextval('file_version_seq'),
        department varchar, path varchar not null, version integer not null,
        sha256 varchar not null, size bigint not null, received_at timestamp not null,
        archived_as varchar not null, current boolean not null, read_status varchar not null)`.execute(db);
      await sql`create table sheet_reads (
        file_version_id bigint not null, sheet_index integer not null, sheet varchar not null,
        hidden boolean not null, ledger varchar, header_rows varchar, rows integer not null)`.execute(db);
      await sql`create table reader_findings (file_version_id bigint not null, seq integer not null, ${findingColumns})`.execute(db);
      await sql`create table sheet_totals (
        file_version_id bigint not null, sheet varchar not null, ledger varchar not null,
        field varchar, stated double not null, cell varchar not null)`.execute(db);
      await sql`create sequence run_seq`.execute(db);
      await sql`create table runs (
        id bigint primary key default nextval('run_seq'), started_at timestamp not null,
        finished_at timestamp, year integer not null, status varchar not null,
        files_seen integer not null, files_read integer not null, errors integer not null,
        warnings integer not null, mails integer not null)`.execute(db);
      await sql`create table findings (run_id bigint not null, seq integer not null, ${findingColumns})`.execute(db);
      await sql`create table indicator_values (
        run_id bigint not null, year integer not null, code varchar not null, value double,
        wording varchar, status varchar not null, sources varchar not null)`.execute(db);
      await sql`create table obligations (department varchar not null, ledger varchar not null)`.execute(db);
    },
  },
  // Issue 5: the persistent mail outbox, a fingerprint per recipient, and more about each run.
  '0002_mail_and_schedule': {
    async up(db: Kysely<unknown>) {
      await sql`create sequence mail_outbox_seq`.execute(db);
      await sql`create table mail_outbox (
        id bigint primary key default nextval('mail_outbox_seq'), run_id bigint not null,
        channel varchar not null, recipient varchar not null, kind varchar not null,
        to_address varchar not null, cc_address varchar, subject varchar not null,
        message_id varchar not null, raw varchar not null, status varchar not null,
        attempts integer not null, created_at timestamp not null, next_attempt_at timestamp not null,
        sent_at timestamp, last_error varchar)`.execute(db);
      await sql`create table mail_fingerprints (
        channel varchar not null, recipient varchar not null, fingerprint varchar not null,
        outbox_id bigint not null, recorded_at timestamp not null)`.execute(db);
      // A table beside `runs`, not new columns: DuckDB 1.5 cannot replay from its WAL an ALTER
      // TABLE … ADD COLUMN on a table with a nextval() default, so a run killed before the next
      // checkpoint would leave a database that no longer opens.
      await sql`create table run_mail (
        run_id bigint not null, trigger varchar not null, mails_sent integer not null,
        mails_failed integer not null, mails_pending integer not null)`.execute(db);
    },
  },
  // Issue 4: year over year, and what changed since a department was last told. New tables
  // only (see 0002 on ALTER TABLE and the WAL).
  '0003_year_over_year': {
    async up(db: Kysely<unknown>) {
      // Figures of an earlier year loaded from that year's report workbook (tally run --previous).
      await sql`create table previous_indicator_values (
        year integer not null, code varchar not null, value double, source varchar not null,
        imported_at timestamp not null)`.execute(db);
      // The file versions that were current in each run: what a department's mail was about.
      await sql`create table run_files (run_id bigint not null, file_version_id bigint not null)`.execute(db);
    },
  },
  // What the row checks of a run were computed from: a later run with the same inputs (no
  // file, roster, catalog or check changed) takes that run's row findings instead of
  // re-running every check over every row. A new table (see 0002).
  '0004_check_inputs': {
    async up(db: Kysely<unknown>) {
      await sql`create table run_checks (run_id bigint not null, inputs varchar not null)`.execute(db);
    },
  },
  // Issue 16: what the file system said of each file version when it was last hashed (size,
  // modification and change times, inode), so that a run skips re-hashing a file whose
  // stat is unchanged, as git does. A new table (see 0002), one row per file version.
  '0005_file_stats': {
    async up(db: Kysely<unknown>) {
      await sql`create table file_stats (file_version_id bigint not null, stat varchar not null, trusted boolean not null)`.execute(db);
    },
  },
  // Issue 16: a run with nothing changed reruns no trace query (see RollupCacheTable).
  '0006_rollup_cache': {
    async up(db: Kysely<unknown>) {
      await sql`create table rollup_cache (inputs varchar not null, rollups varchar not null)`.execute(db);
    },
  },
  // Sent and superseded mail no longer keeps its bytes (outbox.ts, markSent): let go of what
  // earlier versions kept.
  '0007_outbox_sent_bytes': {
    async up(db: Kysely<unknown>) {
      await sql`update mail_outbox set raw = '' where status in ('sent', 'superseded')`.execute(db);
    },
  },
  // A pending message's rendered bytes live in a spool file beside the database, not in
  // `mail_outbox.raw` (outbox.ts): written there, ~150 MB a district's run, they went through
  // DuckDB's memory and made the notify stage the run's peak. A new table, not a column of
  // mail_outbox (see 0002 on ALTER TABLE and the WAL): one row while the file is the message's.
  '0008_outbox_spool': {
    async up(db: Kysely<unknown>) {
      await sql`create table mail_spool (outbox_id bigint not null, file varchar not null)`.execute(db);
    },
  },
  // The labelled columns of a sheet's header that name no field of its ledger (咨询人, 备注):
  // what tally does not read, so rows equal in what it reads may differ there (pasted-blocks.ts).
  // A new table, not a column of sheet_reads (see 0002 on ALTER TABLE and the WAL); a row only
  // for a sheet that has such columns.
  '0009_sheet_other_columns': {
    async up(db: Kysely<unknown>) {
      await sql`create table sheet_other_columns (file_version_id bigint not null, sheet_index integer not null, columns integer not null)`.execute(db);
    },
  },
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(migrations),
};

/** A migration that could not be applied (its name), or a database this tally cannot migrate. */
export class MigrationError extends Error {
  override readonly name = 'MigrationError';
  constructor(
    message: string,
    readonly migration?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Applies the migrations a database lacks, in name order, in one transaction, and records each
 * in `kysely_migration` as Kysely's `Migrator` does (databases it migrated go on from where it
 * left them). The `Migrator` first asked DuckDB's information schema for its tables, twice over:
 * ~85 ms of preparing every new database (the demo's each time) for what this does in three
 * statements. A database migrated by a later tally (a migration this one does not know) or with
 * a gap is refused, as the `Migrator` refused it.
 *
 * `db` is a `Kysely<any>` as Kysely's own `Migrator` and `Migration.up` take it: the tables being
 * made are not yet those of any typed schema.
 */
export async function applyMigrations(db: Kysely<any>): Promise<void> {
  await sql`create table if not exists kysely_migration (name varchar(255) not null primary key, timestamp varchar(255) not null)`.execute(db);
  const done = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
  const names = Object.keys(migrations).sort();
  const unknown = done.filter((n) => !names.includes(n));
  if (unknown.length > 0) throw new MigrationError(`数据库由更新版本的 tally 升级过（${unknown.join('、')}），请使用该版本`);
  if (done.some((n, i) => names[i] !== n)) throw new MigrationError(`数据库的升级记录不完整（已有 ${done.join('、')}）`);
  const pending = names.slice(done.length);
  if (pending.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (const name of pending) {
      try {
        await (migrations[name] as Migration).up(trx);
      } catch (cause) {
        throw new MigrationError(String(cause), name, { cause });
      }
      await sql`insert into kysely_migration (name, timestamp) values (${name}, ${new Date().toISOString()})`.execute(trx);
    }
  });
}
