/**
 * Load: one file's read result into DuckDB in one transaction: its sheets, reader findings,
 * stated totals and ledger rows (through the appender, STACK.md: bulk rows never go row by row
 * through INSERT). A crash mid-load leaves the file version unloaded, to be read again.
 */
import { createHash } from 'node:crypto';
import { dateValue, type DuckDBAppender } from '@duckdb/node-api';
import type { FieldDef, LedgerDef } from '../sheets/ledger-catalog.ts';
import { columnLetters } from '../sheets/raw-sheet.ts';
import { blockValue, type ColumnData, type RowBlock } from '../sheets/row-block.ts';
import { normalizeKey } from '../sheets/values/index.ts';
import type { Transaction } from 'kysely';
import type { TallyDatabase } from './db/open-database.ts';
import type { Database } from './db/schema.ts';
import { dataTableName, sheetTableName } from './db/ledger-tables.ts';
import type { FileRead } from './read-stage.ts';

export interface FileLoad {
  readonly path: string;
  readonly rows: number;
  readonly findings: number;
}

/** Loads one file in one transaction. */
export async function loadSubmission(tdb: TallyDatabase, read: FileRead): Promise<FileLoad> {
  const [load] = await loadSubmissions(tdb, [read]);
  if (load === undefined) throw new Error('loadSubmissions returned nothing');
  return load;
}

/**
 * Loads several files in one transaction: all of them or none (a run killed meanwhile leaves
 * them all pending, to be read again). Small files go in groups because a commit costs more
 * than loading a few hundred rows.
 */
export async function loadSubmissions(tdb: TallyDatabase, reads: readonly FileRead[]): Promise<FileLoad[]> {
  const out: FileLoad[] = [];
  await tdb.db.transaction().execute(async (trx) => {
    for (const read of reads) out.push(await loadOne(tdb, trx, read));
  });
  return out;
}

async function loadOne(tdb: TallyDatabase, trx: Transaction<Database>, read: FileRead): Promise<FileLoad> {
  const { connection } = tdb;
  const versionId = read.file.versionId;
  const findings = [...read.findings, ...read.sheets.flatMap((s) => s.findings)];
  let rowCount = 0;
  // A new version has nothing stored yet. A pending one (its run was killed) should have
  // nothing either, its transaction having rolled back; it is cleared anyway, so that loading
  // a version twice can never double its rows.
  const retry = read.file.status === 'pending';
  if (retry) {
    await trx.deleteFrom('sheet_reads').where('file_version_id', '=', versionId).execute();
    await trx.deleteFrom('reader_findings').where('file_version_id', '=', versionId).execute();
    await trx.deleteFrom('sheet_totals').where('file_version_id', '=', versionId).execute();
  }
  for (const [i, s] of read.sheets.entries()) {
    await trx
      .insertInto('sheet_reads')
      .values({
        file_version_id: versionId,
        sheet_index: i,
        sheet: s.sheet,
        hidden: s.hidden,
        ledger: s.ledger?.id ?? null,
        header_rows: s.header?.rows.join(',') ?? null,
        rows: s.rowCount,
      })
      .execute();
    for (const t of s.totals) {
      if (s.ledger === null) continue;
      await trx
        .insertInto('sheet_totals')
        .values({ file_version_id: versionId, sheet: s.sheet, ledger: s.ledger.id, field: t.field, stated: t.stated, cell: t.cell })
        .execute();
    }
  }
  if (findings.length > 0) {
    await trx
      .insertInto('reader_findings')
      .values(findings.map((f, seq) => ({ file_version_id: versionId, seq, ...f })))
      .execute();
  }
  // Keyed by id, not by object: sheets read in a worker thread carry copies of the definition.
  const byLedger = new Map<string, { ledger: LedgerDef; parts: { sheetNo: number; sheet: string; block: RowBlock }[] }>();
  for (const [sheetNo, s] of read.sheets.entries()) {
    if (s.ledger === null || s.block === null || s.block.length === 0) continue;
    const entry = byLedger.get(s.ledger.id) ?? { ledger: s.ledger, parts: [] };
    entry.parts.push({ sheetNo, sheet: s.sheet, block: s.block });
    byLedger.set(s.ledger.id, entry);
  }
  for (const { ledger, parts } of byLedger.values()) {
    const sheets = sheetTableName(ledger);
    if (retry) {
      await connection.run(`delete from "${dataTableName(ledger)}" where file_version_id = $id`, { id: versionId });
      await connection.run(`delete from "${sheets}" where file_version_id = $id`, { id: versionId });
    }
    for (const part of parts) {
      // Once per sheet: its name and the column letter of each field (the cells' addresses).
      const letters = ledger.fields.map((f) => {
        const k = part.block.fields.indexOf(f.id);
        return k < 0 ? null : columnLetters(part.block.columns[k] ?? 0);
      });
      const params: Record<string, string | number | bigint | null> = { id: versionId, no: part.sheetNo, sheet: part.sheet };
      letters.forEach((l, j) => (params[`c${j}`] = l));
      await connection.run(
        `insert into "${sheets}" values ($id, $no, $sheet${letters.map((_, j) => `, $c${j}`).join('')})`,
        params,
      );
    }
    const appender = await connection.createAppender(dataTableName(ledger));
    try {
      for (const part of parts) rowCount += appendBlock(appender, ledger, part.block, versionId, part.sheetNo);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
  }
  await trx.updateTable('file_versions').set({ read_status: read.status }).where('id', '=', versionId).execute();
  return { path: read.file.path, rows: rowCount, findings: findings.length };
}

/** Appends a sheet's rows, each in the column order of `ledgerColumns`; returns how many. */
function appendBlock(a: DuckDBAppender, ledger: LedgerDef, block: RowBlock, versionId: bigint, sheetNo: number): number {
  // Where each field of the ledger is in the block (-1: the sheet has no such column).
  const at = ledger.fields.map((f) => block.fields.indexOf(f.id));
  const keyAt = ledger.key === undefined ? -1 : block.fields.indexOf(ledger.key);
  const printed = ledger.fields.map((f, j) => (f.id === 'seq' ? -1 : (at[j] ?? -1)));
  for (let i = 0; i < block.length; i++) {
    a.appendBigInt(versionId);
    a.appendInteger(sheetNo);
    a.appendInteger(block.rowNumbers[i] ?? 0);
    const key = keyAt < 0 ? null : blockValue(block, keyAt, i);
    if (key === null) a.appendNull();
    else a.appendVarchar(normalizeKey(String(key)));
    // What makes two rows "identical" (row.duplicate): every field but the running number 序号
    // (raw column values: a date as its day number).
    const fingerprint = printed.map((k) => (k < 0 ? null : rawValue(block.data[k] as ColumnData, i)));
    a.appendVarchar(createHash('sha1').update(JSON.stringify(fingerprint)).digest('base64url'));
    ledger.fields.forEach((f, j) => {
      const k = at[j] ?? -1;
      if (k < 0) a.appendNull();
      else appendValue(a, f, block.data[k] as ColumnData, i);
    });
    a.endRow();
  }
  return block.length;
}

function rawValue(col: ColumnData, i: number): string | number | null {
  const v = col.data[i];
  if (v === undefined || v === null || (typeof v === 'number' && Number.isNaN(v))) return null;
  return col.kind === 'bool' && v === -1 ? null : v;
}

function appendValue(a: DuckDBAppender, f: FieldDef, col: ColumnData, i: number): void {
  switch (col.kind) {
    case 'date': {
      const v = col.data[i] ?? NaN;
      return Number.isNaN(v) ? a.appendNull() : a.appendDate(dateValue(v));
    }
    case 'number': {
      const v = col.data[i] ?? NaN;
      if (Number.isNaN(v)) return a.appendNull();
      return f.type === 'integer' ? a.appendBigInt(BigInt(Math.round(v))) : a.appendDouble(v);
    }
    case 'bool': {
      const v = col.data[i] ?? -1;
      return v < 0 ? a.appendNull() : a.appendBoolean(v === 1);
    }
    case 'text': {
      const v = col.data[i] ?? null;
      return v === null ? a.appendNull() : a.appendVarchar(v);
    }
  }
}
