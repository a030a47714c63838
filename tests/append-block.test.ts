/**
 * The load's chunk writer (pipeline/stages/3-load/append-block.ts) fills DuckDB's data chunks
 * through the C API: every value it appends, of every type, missing or not, across chunk
 * boundaries (where a chunk is reused and its validity must not leak), must read back from a
 * real DuckDB file as the block held it. The expected values are made from the block in plain
 * JavaScript, not by the writer's own code.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIGINT, INTEGER, VARCHAR, DuckDBDataChunk, DuckDBInstance } from '../pipeline/kernel/db/duckdb-api.ts';
import { appendBlock, ChunkScratch, CHUNK_TYPE, FLUSH_CHUNKS } from '../pipeline/stages/3-load/append-block.ts';
import { LOAD_MEMORY_MB, LoadGroup, LoadMemory, STREAMING_MEMORY_MB } from '../pipeline/stages/3-load/load-stage.ts';
import { bytesOf, openDatabase, type TallyDatabase } from '../pipeline/kernel/db/open-database.ts';
import { dataTableName, ledgerColumns } from '../pipeline/kernel/db/ledger-tables.ts';
import { createLedgerCatalog, type LedgerDef } from '../sheets/ledger-catalog.ts';
import { packBlock, type ColumnData, type RowBlock } from '../sheets/row-block.ts';
import { normalizeKey } from '../sheets/values/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'tally-append-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const field = (id: string, type: LedgerDef['fields'][number]['type']) => ({ id, header: id, aliases: [], type, required: false, valueAliases: {} });
const LEDGER: LedgerDef = {
  id: 'sample',
  name: '样例台账',
  key: 'case_no',
  period: null,
  fields: [
    field('case_no', 'key'),
    field('decided', 'date'),
    field('amount', 'number'),
    field('people', 'integer'),
    field('closed', 'bool'),
    field('note', 'text'),
    field('absent', 'text'),
  ],
};

/** Deterministic values of every kind, with gaps: row i of a block of `n` rows. */
function sampleBlock(n: number, seed: number): RowBlock {
  // A lone high surrogate at a text's end then a lone low one at the next's start: joined, they
  // would make one character, which packing must not.
  const texts = ['', '行政处罚决定书', 'a"b,c\nd', '𠮷野家 🍜', '\ud800 lone', 'x'.repeat(5000), '  padded  ', 'end \ud83d', '\ude00 start'];
  const gap = (i: number, every: number) => (i + seed) % every === 0;
  const key: (string | null)[] = [];
  const date = new Float64Array(n);
  const amount = new Float64Array(n);
  const people = new Float64Array(n);
  const closed = new Int8Array(n);
  const note: (string | null)[] = [];
  for (let i = 0; i < n; i++) {
    key.push(gap(i, 7) ? null : `京安罚〔2020〕${i + seed}号`);
    date[i] = gap(i, 5) ? NaN : -800 + ((i * 37 + seed) % 60_000); // before 1970 too
    amount[i] = gap(i, 3) ? NaN : (i % 2 === 0 ? -1 : 1) * (i + seed) * 0.1;
    people[i] = gap(i, 4) ? NaN : i === 1 ? Number.MAX_SAFE_INTEGER : i === 2 ? -Number.MAX_SAFE_INTEGER : (i * 7919 + seed) % 100_000 - 50_000;
    closed[i] = gap(i, 6) ? -1 : (i + seed) % 2;
    // Every other row has a note: the texts in turn among those that do.
    note.push(gap(i, 2) ? null : (texts[((i + seed) >> 1) % texts.length] ?? ''));
  }
  const rowNumbers = Int32Array.from({ length: n }, (_, i) => i + 3);
  const data: ColumnData[] = [
    { kind: 'text', data: key },
    { kind: 'date', data: date },
    { kind: 'number', data: amount },
    { kind: 'number', data: people },
    { kind: 'bool', data: closed },
    { kind: 'text', data: note },
  ];
  // 'absent' is not in the block: the sheet had no such column.
  return { length: n, fields: ['case_no', 'decided', 'amount', 'people', 'closed', 'note'], columns: [0, 1, 2, 3, 4, 5], rowNumbers, data };
}

/** Rows `start`… of a ledger of text and number fields: text `值<field>-<row>-…`, number the row. */
function wideBlock(ledger: LedgerDef, start: number, n: number): RowBlock {
  const data = ledger.fields.map((f, k): ColumnData =>
    f.type === 'number'
      ? { kind: 'number', data: Float64Array.from({ length: n }, (_, i) => start + i) }
      : { kind: 'text', data: Array.from({ length: n }, (_, i) => `值${k}-${start + i}-行政处罚决定书`) },
  );
  return { length: n, fields: ledger.fields.map((f) => f.id), columns: ledger.fields.map((_, k) => k), rowNumbers: Int32Array.from({ length: n }, (_, i) => start + i + 2), data };
}

/** DuckDB's memory limit now, in MB (as DuckDB counts them: 10^6 bytes). */
async function memoryLimitMb(tdb: TallyDatabase): Promise<number> {
  const setting = (await tdb.connection.runAndReadAll("select current_setting('memory_limit')")).getRows()[0]?.[0];
  return Math.round((bytesOf(String(setting).replace(' ', '')) ?? NaN) / 1e6);
}

/** What DuckDB should hold for row i, from the block alone. */
function expectedRow(block: RowBlock, i: number, versionId: bigint, sheetNo: number): unknown[] {
  const [key, date, amount, people, closed, note] = block.data as ColumnData[];
  const num = (c: ColumnData | undefined) => (c?.kind === 'number' || c?.kind === 'date' ? c.data[i] : NaN) ?? NaN;
  const text = (c: ColumnData | undefined) => (c?.kind === 'text' ? (c.data[i] ?? null) : null);
  const k = text(key);
  const d = num(date);
  const b = closed?.kind === 'bool' ? (closed.data[i] ?? -1) : -1;
  // A lone surrogate has no UTF-8: DuckDB gets (as from node-api's own vectors) U+FFFD.
  const lone = (s: string | null) => (s === null ? null : s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
  return [
    versionId,
    sheetNo,
    block.rowNumbers[i],
    k === null ? null : normalizeKey(k),
    Number.isNaN(d) ? null : new Date(d * 86_400_000).toISOString().slice(0, 10),
    Number.isNaN(num(amount)) ? null : num(amount),
    Number.isNaN(num(people)) ? null : BigInt(num(people)),
    b < 0 ? null : b === 1,
    lone(text(note)),
    null,
  ];
}

/** The sample ledger's data table in a new database, and an appender with its chunk writer. */
async function ledgerTable(path: string) {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const table = dataTableName(LEDGER);
  await connection.run(`create table ${table} (${ledgerColumns(LEDGER).map((c) => `"${c.name}" ${c.type}`).join(', ')})`);
  const appender = await connection.createAppender(table);
  const chunk = DuckDBDataChunk.create([BIGINT, INTEGER, INTEGER, VARCHAR, ...LEDGER.fields.map((f) => CHUNK_TYPE[f.type])]);
  return { instance, connection, table, appender, target: { ledger: LEDGER, appender, chunk, scratch: new ChunkScratch() } };
}

describe('appending a block through the chunk writer', () => {
  // A read worker hands its blocks over packed (packBlock: text as UTF-8 bytes, the normalized
  // key beside them); what reaches the table must not depend on it.
  it.each([
    ['as it was read', false],
    ['packed by a read worker', true],
  ])('stores every value, gap and type as the block held it, across chunks of 2,048 rows (%s)', async (_, packed) => {
    const { instance, connection, table, appender, target } = await ledgerTable(join(dir, `append-${packed}.duckdb`));
    // Two blocks through one chunk: 5,000 rows (three chunks, the last short), then 700 rows
    // whose gaps fall elsewhere, so any validity left from the previous chunk would show.
    const blocks = [
      { block: sampleBlock(5_000, 0), versionId: 11n, sheetNo: 0 },
      { block: sampleBlock(700, 3), versionId: 2n ** 40n + 5n, sheetNo: 2 },
    ];
    for (const b of blocks) {
      const block = packed ? packBlock(b.block, LEDGER.key) : b.block;
      if (packed) expect(block.data.filter((c) => c.kind === 'utf8').length).toBe(2);
      expect(appendBlock(target, block, b.versionId, b.sheetNo)).toBe(b.block.length);
    }
    appender.closeSync();
    const read = await connection.runAndReadAll(
      `select file_version_id, sheet_no, row_no, key_norm, strftime(decided, '%Y-%m-%d'), amount, people, closed, note, absent
       from ${table} order by file_version_id, row_no`,
    );
    const got = read.getRows();
    const want = blocks.flatMap((b) => Array.from({ length: b.block.length }, (_, i) => expectedRow(b.block, i, b.versionId, b.sheetNo)));
    want.sort((x, y) => (x[0] === y[0] ? Number(x[2]) - Number(y[2]) : (x[0] as bigint) < (y[0] as bigint) ? -1 : 1));
    expect(got.length).toBe(want.length);
    for (const [i, row] of got.entries()) expect([i, ...row]).toEqual([i, ...(want[i] ?? [])]);
    connection.closeSync();
    instance.closeSync();
  });

  it(`hands its rows to the table every ${FLUSH_CHUNKS} chunks, not only when closed (the appender holds no more than that)`, async () => {
    const { instance, connection, table, appender, target } = await ledgerTable(':memory:');
    const count = async () => Number((await connection.runAndReadAll(`select count(*) from ${table}`)).getRows()[0]?.[0]);
    // One chunk more than that, and a short one: those are in the table while the appender is
    // still open, the last not yet.
    const rows = FLUSH_CHUNKS * 2_048 + 808;
    appendBlock(target, sampleBlock(rows, 0), 1n, 0);
    expect(await count()).toBe(FLUSH_CHUNKS * 2_048);
    appender.closeSync();
    expect(await count()).toBe(rows);
    connection.closeSync();
    instance.closeSync();
  });

  it("sets DuckDB's limit for what a group loads: small files, a big file's parts, wide tables, then the run's own", async () => {
    const tdb = await openDatabase(join(dir, 'limits.duckdb'), createLedgerCatalog([LEDGER]));
    const mb = () => memoryLimitMb(tdb);
    try {
      const memory = new LoadMemory(tdb, '384MB');
      await memory.begin();
      expect(await mb()).toBe(LOAD_MEMORY_MB);
      await memory.open(11);
      expect(await mb()).toBe(LOAD_MEMORY_MB);
      await memory.streaming();
      expect(await mb()).toBe(STREAMING_MEMORY_MB);
      await memory.open(40);
      expect(await mb()).toBe(51);
      await memory.begin();
      expect(await mb()).toBe(LOAD_MEMORY_MB);
      await memory.end();
      expect(await mb()).toBe(384);
      // Never past the run's own (a run given TALLY_DUCKDB_MEMORY=48MB).
      await tdb.connection.run("set memory_limit = '48MB'");
      const small = new LoadMemory(tdb, '48MB');
      await small.begin();
      await small.open(200);
      expect(await mb()).toBe(48);
    } finally {
      await tdb.close();
    }
  });

  it("appends a ledger of 120 columns in one transaction under the load's memory limit for it", async () => {
    // A table being appended to pins about two blocks of 256 KiB per column: at the 64 MB the
    // load once set whatever the ledger, this failed after ~20,000 rows ("could not allocate block").
    const wide: LedgerDef = { ...LEDGER, id: 'wide', key: undefined, fields: Array.from({ length: 116 }, (_, k) => field(`f${k}`, k % 4 === 3 ? 'number' : 'text')) };
    const tdb = await openDatabase(join(dir, 'wide.duckdb'), createLedgerCatalog([LEDGER, wide]));
    try {
      const memory = new LoadMemory(tdb, '384MB');
      await memory.begin();
      expect(await memoryLimitMb(tdb)).toBe(LOAD_MEMORY_MB);
      const rows = 40_000;
      await tdb.db.transaction().execute(async (trx) => {
        const group = new LoadGroup(tdb, trx, memory);
        const target = await group.appender(wide);
        for (let start = 0; start < rows; start += 8_000) appendBlock(target, wideBlock(wide, start, 8_000), 1n, 0);
        await group.flush();
      });
      // A megabyte per column of the table it opened.
      expect(await memoryLimitMb(tdb)).toBe(120);
      await memory.end();
      expect(await memoryLimitMb(tdb)).toBe(384);
      const text = (k: number) => `f${k} = '值${k}-' || (row_no - 2) || '-行政处罚决定书'`;
      const read = await tdb.connection.runAndReadAll(`select count(*), count(*) filter (${text(0)} and ${text(114)} and f3 = row_no - 2), sum(f3) from ${dataTableName(wide)}`);
      expect(read.getRows()[0]).toEqual([BigInt(rows), BigInt(rows), ((rows - 1) * rows) / 2]);
    } finally {
      await tdb.close();
    }
  }, 60_000);

  it('refuses a column whose kind does not fit its field (instead of writing bytes of another type)', async () => {
    const { instance, connection, target } = await ledgerTable(':memory:');
    const good = sampleBlock(10, 0);
    const bad: RowBlock = { ...good, data: good.data.map((c, k) => (k === 5 ? { kind: 'number', data: new Float64Array(10) } : c)) };
    expect(() => appendBlock(target, bad, 1n, 0)).toThrow(/sample\.note: a number column for a text field/);
    connection.closeSync();
    instance.closeSync();
  });
});
