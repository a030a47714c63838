/**
 * Read + load with big sheets handed on in parts (pipeline/stages/3-load/ingest.ts): the rows a streamed load
 * stores are exactly those of a whole-file load, a file found unreadable after some of its parts
 * were appended leaves none of them behind, and a reader waiting for its loader is not timed out.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { bytesOf, DUCKDB_MEMORY_LIMIT, openDatabase, type TallyDatabase } from '../pipeline/kernel/db/open-database.ts';
import { readAndLoad, readPool } from '../pipeline/stages/3-load/ingest.ts';
import type { IntakeFile } from '../pipeline/stages/1-intake/intake.ts';
import { loadSubmissions } from '../pipeline/stages/3-load/load-stage.ts';
import { ReadPool } from '../pipeline/stages/2-read/read-pool.ts';
import { PART_ROWS, readSubmission } from '../pipeline/stages/2-read/read-stage.ts';
import { handWorkbook, num, row, str } from './bad-input/containers.ts';

const dir = join(import.meta.dirname, '.tmp', `ingest-${randomBytes(4).toString('hex')}`);
const config = loadConfig();
/** Enough parts that a reader waits for its loader (parts close a little past PART_ROWS). */
const ROWS = PART_ROWS * 4 + 1_234;
const DAY_2020_03_01 = 43_891;

/** A mediation sheet of `ROWS` rows; some cells empty or unreadable, as clerks leave them. */
function mediationRows(): string {
  const out = [row(1, ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'].map((h, c) => str(`${'ABCDEF'[c]}1`, h)))];
  for (let i = 1; i <= ROWS; i++) {
    const r = i + 1;
    out.push(
      row(r, [
        num(`A${r}`, i),
        num(`B${r}`, DAY_2020_03_01 + (i % 200), 1),
        str(`C${r}`, `当事人${i}`),
        ...(i % 7 === 0 ? [] : [str(`D${r}`, i % 2 === 0 ? '邻里纠纷' : '婚姻家庭纠纷')]),
        str(`E${r}`, i % 5 === 0 ? '成功' : i % 11 === 0 ? '调解中' : '调解成功'),
        i % 13 === 0 ? str(`F${r}`, '不详') : num(`F${r}`, DAY_2020_03_01 + (i % 200) + 10, 1),
      ]),
    );
  }
  return out.join('');
}

const whole = join(dir, 'mediation-three-parts.xlsx');
const brokenAtEnd = join(dir, 'mediation-second-sheet-cut-short.xlsx');

function intakeFile(path: string, versionId: bigint): IntakeFile {
  return { path: `justice/${path.split('/').pop() ?? ''}`, department: 'justice', status: 'new', versionId, version: 1, size: 1, archivedPath: path, oversized: false };
}

async function database(name: string): Promise<TallyDatabase> {
  return openDatabase(join(dir, name), config.ledgers);
}

async function newVersion(tdb: TallyDatabase, path: string): Promise<IntakeFile> {
  const { id } = await tdb.db
    .insertInto('file_versions')
    .values({ department: 'justice', path, version: 1, sha256: path, size: 1n, received_at: '2021-01-04 09:00:00', archived_as: path, current: true, read_status: 'pending' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return intakeFile(path, id);
}

async function ingest(tdb: TallyDatabase, files: readonly IntakeFile[]): Promise<void> {
  const pool = readPool({ catalog: config.ledgers, year: 2020, maxFileBytes: 50 * 1024 * 1024, readers: 1 });
  try {
    await readAndLoad(tdb, files, pool);
  } finally {
    await pool.close();
  }
}

async function storedRows(tdb: TallyDatabase, versionId: bigint): Promise<unknown[][]> {
  const r = await tdb.connection.runAndReadAll(
    `select sheet, row_no, received_on__cell, received_on::varchar, parties, dispute_type, result, closed_on::varchar, fingerprint
     from ledger_mediation where file_version_id = $id order by row_no`,
    { id: versionId },
  );
  return r.getRowsJS();
}

beforeAll(() => {
  mkdirSync(dir, { recursive: true });
  const sheet = mediationRows();
  writeFileSync(whole, handWorkbook([{ name: '调解台账', xml: sheet }]));
  // The second sheet's rows never reach </sheetData>: the file is found unreadable only after
  // the first sheet's parts were handed on and appended.
  writeFileSync(brokenAtEnd, handWorkbook([
    { name: '调解台账', xml: sheet },
    { name: '二季度', xml: `<?xml version="1.0" encoding="UTF-8"?><worksheet><sheetData>${row(1, [str('A1', '序号')])}<row r="2"><c r="A2"><v>1</v></c>` },
  ]));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a big sheet read and loaded in parts', () => {
  it('stores exactly the rows, values, cell addresses and findings of a whole-file load', async () => {
    const streamed = await database('streamed.duckdb');
    const direct = await database('direct.duckdb');
    try {
      const a = await newVersion(streamed, whole);
      await ingest(streamed, [a]);
      const b = await newVersion(direct, whole);
      const read = await readSubmission(b, { catalog: config.ledgers, year: 2020 });
      expect(read.sheets[0]?.block?.length).toBe(ROWS);
      await loadSubmissions(direct, [read]);

      // The load lowers DuckDB's memory limit while it appends (ingest.ts) and gives the run its own back.
      const limit = async (tdb: TallyDatabase) => (await tdb.connection.runAndReadAll("select current_setting('memory_limit')")).getRows()[0]?.[0];
      expect(await limit(streamed)).toBe(await limit(direct));
      expect(Number(bytesOf(String(await limit(streamed)).replace(' ', '')))).toBeCloseTo(Number(bytesOf(DUCKDB_MEMORY_LIMIT)), -6);

      const rows = await storedRows(streamed, a.versionId);
      expect(rows).toHaveLength(ROWS);
      expect(rows).toEqual(await storedRows(direct, b.versionId));
      expect(rows[0]).toEqual(['调解台账', 2, 'B2', '2020-03-02', '当事人1', '婚姻家庭纠纷', '调解成功', '2020-03-12', expect.anything()]);
      const findings = (tdb: TallyDatabase, id: bigint) =>
        tdb.db.selectFrom('reader_findings').select(['code', 'cell']).where('file_version_id', '=', id).orderBy('seq').execute();
      const found = await findings(streamed, a.versionId);
      // 不详 in 结案日期 every 13th row: each one found, in order, wherever its part ended.
      expect(found.filter((f) => f.code === 'cell.type')).toHaveLength(Math.floor(ROWS / 13));
      expect(found).toEqual(await findings(direct, b.versionId));
    } finally {
      await streamed.close();
      await direct.close();
    }
  }, 60_000);

  it('leaves nothing of a file found unreadable after parts of it were appended, and loads the next file', async () => {
    const tdb = await database('broken.duckdb');
    try {
      const broken = await newVersion(tdb, brokenAtEnd);
      const good = await newVersion(tdb, whole);
      await ingest(tdb, [broken, good]);
      expect(await storedRows(tdb, broken.versionId)).toEqual([]);
      const left = await tdb.connection.runAndReadAll('select count(*) from ledger_mediation_data where file_version_id = $id', { id: broken.versionId });
      expect(Number(left.getRowsJS()[0]?.[0])).toBe(0);
      const status = await tdb.db.selectFrom('file_versions').select(['id', 'read_status']).orderBy('id').execute();
      expect(status.map((s) => s.read_status)).toEqual(['unreadable', 'read']);
      const finding = await tdb.db.selectFrom('reader_findings').selectAll().where('file_version_id', '=', broken.versionId).execute();
      expect(finding.map((f) => f.code)).toEqual(['file.unreadable']);
      expect(await storedRows(tdb, good.versionId)).toHaveLength(ROWS);
    } finally {
      await tdb.close();
    }
  }, 60_000);

  it('does not time a reader out while it waits for its parts to be taken', async () => {
    // The limit leaves the read itself room on a loaded machine (4 s failed now and then beside
    // other work); the wait is longer than the limit all the same.
    const pool = new ReadPool({ catalog: config.ledgers, year: 2020, size: 1, timeoutMs: 8_000 });
    try {
      const reading = pool.stream(intakeFile(whole, 1n));
      // The loader is busy elsewhere for longer than the reader's whole time limit.
      await new Promise((resolve) => setTimeout(resolve, 10_000));
      let rows = 0;
      const parts: number[] = [];
      for await (const part of reading.parts()) {
        rows += part.block.length;
        parts.push(part.block.length);
      }
      const read = await reading.result;
      expect(read.findings).toEqual([]);
      expect(read.status).toBe('read');
      expect(rows + (read.sheets[0]?.block?.length ?? 0)).toBe(ROWS);
      // Handed on in parts of at least PART_ROWS rows (a part closes after a batch of rows).
      expect(parts.length).toBeGreaterThanOrEqual(1);
      for (const n of parts) expect(n).toBeGreaterThanOrEqual(PART_ROWS);
    } finally {
      await pool.close();
    }
  }, 30_000);

  it("gives each part's arrays back to its reader once the next part is asked for", async () => {
    const pool = new ReadPool({ catalog: config.ledgers, year: 2020, size: 1 });
    try {
      const reading = pool.stream(intakeFile(whole, 1n));
      const taken: { rows: Int32Array; party: Uint8Array; rowsThen: number; firstRow: number }[] = [];
      for await (const part of reading.parts()) {
        const party = part.block.data[part.block.fields.indexOf('parties')];
        if (party?.kind !== 'utf8') throw new Error(`parties is ${party?.kind ?? 'missing'}, not packed text`);
        // Whole while it is the caller's…
        taken.push({ rows: part.block.rowNumbers, party: party.data.bytes, rowsThen: part.block.rowNumbers.length, firstRow: part.block.rowNumbers[0] ?? 0 });
      }
      await reading.result;
      expect(taken.length).toBeGreaterThanOrEqual(2);
      for (const t of taken) {
        expect(t.rowsThen).toBeGreaterThanOrEqual(PART_ROWS);
        // …and moved back to the reader's thread (detached here) once the next was asked for.
        expect(t.rows.length).toBe(0);
        expect(t.party.byteLength).toBe(0);
      }
      expect(taken[0]?.firstRow).toBe(2);
    } finally {
      await pool.close();
    }
  }, 30_000);
});

describe('a database written by an earlier version', () => {
  it('drops the per-row fingerprint column it no longer fills, and loads and finds duplicates as before', async () => {
    const path = 'legacy.duckdb';
    const old = await database(path);
    // The column earlier versions kept (a SHA-1 per row), placed where they had it.
    await old.connection.run('alter table ledger_mediation_data add column fingerprint varchar');
    // …and, being older, no fingerprint of the schema it was prepared with.
    await old.connection.run('drop table schema_state');
    await old.close();
    const tdb = await database(path);
    try {
      const columns = await tdb.connection.runAndReadAll(`select column_name from duckdb_columns() where table_name = 'ledger_mediation_data'`);
      expect(columns.getRowsJS().flat()).not.toContain('fingerprint');
      const a = await newVersion(tdb, whole);
      await ingest(tdb, [a]);
      expect(await storedRows(tdb, a.versionId)).toHaveLength(ROWS);
      // Every row names its own party: no two fingerprints may match (row.duplicate would say so).
      const same = await tdb.connection.runAndReadAll(
        `select count(*) from ledger_mediation a join ledger_mediation b on a.fingerprint = b.fingerprint and a.row_no < b.row_no`,
      );
      expect(Number(same.getRowsJS()[0]?.[0])).toBe(0);
      const names = await tdb.connection.runAndReadAll(`select header from field_catalog where ledger = 'mediation' order by all`);
      expect(names.getRowsJS().flat()).toContain('调解结果');
    } finally {
      await tdb.close();
    }
  }, 60_000);
});
