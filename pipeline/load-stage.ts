/**
 * Load: one file's read result into DuckDB in one transaction: its sheets, reader findings,
 * stated totals and ledger rows (through the appender, STACK.md: bulk rows never go row by row
 * through INSERT). A crash mid-load leaves the file version unloaded, to be read again.
 */
import { createHash } from 'node:crypto';
import { dateValue, type DuckDBAppender } from '@duckdb/node-api';
import type { FieldDef, LedgerDef } from '../sheets/ledger-catalog.ts';
import type { ExtractedRow } from '../sheets/extract-sheet.ts';
import { normalizeKey } from '../sheets/values/index.ts';
import type { TallyDatabase } from './db/open-database.ts';
import { tableName } from './db/ledger-tables.ts';
import type { FileRead } from './read-stage.ts';

export interface FileLoad {
  readonly path: string;
  readonly rows: number;
  readonly findings: number;
}

export async function loadSubmission(tdb: TallyDatabase, read: FileRead): Promise<FileLoad> {
  const { db, connection } = tdb;
  const versionId = read.file.versionId;
  const findings = [...read.findings, ...read.sheets.flatMap((s) => s.findings)];
  let rowCount = 0;
  await db.transaction().execute(async (trx) => {
    // Loading twice (a crash between commit and the status update cannot happen, but a rerun
    // of a pending version can) must not double the rows.
    await trx.deleteFrom('sheet_reads').where('file_version_id', '=', versionId).execute();
    await trx.deleteFrom('reader_findings').where('file_version_id', '=', versionId).execute();
    await trx.deleteFrom('sheet_totals').where('file_version_id', '=', versionId).execute();
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
          rows: s.rows.length,
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
    const byLedger = new Map<string, { ledger: LedgerDef; parts: { sheet: string; rows: readonly ExtractedRow[] }[] }>();
    for (const s of read.sheets) {
      if (s.ledger === null || s.rows.length === 0) continue;
      const entry = byLedger.get(s.ledger.id) ?? { ledger: s.ledger, parts: [] };
      entry.parts.push({ sheet: s.sheet, rows: s.rows });
      byLedger.set(s.ledger.id, entry);
    }
    for (const { ledger, parts } of byLedger.values()) {
      await connection.run(`delete from "${tableName(ledger)}" where file_version_id = $id`, { id: versionId });
      const appender = await connection.createAppender(tableName(ledger));
      try {
        for (const part of parts) {
          for (const row of part.rows) {
            appendRow(appender, ledger, row, { versionId, department: read.file.department ?? '', file: read.file.path, sheet: part.sheet });
            rowCount++;
          }
        }
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    }
    await trx.updateTable('file_versions').set({ read_status: read.status }).where('id', '=', versionId).execute();
  });
  return { path: read.file.path, rows: rowCount, findings: findings.length };
}

interface Provenance {
  readonly versionId: bigint;
  readonly department: string;
  readonly file: string;
  readonly sheet: string;
}

/** Appends one row in the column order of `ledgerColumns`. */
function appendRow(a: DuckDBAppender, ledger: LedgerDef, row: ExtractedRow, p: Provenance): void {
  a.appendBigInt(p.versionId);
  a.appendVarchar(p.department);
  a.appendVarchar(p.file);
  a.appendVarchar(p.sheet);
  a.appendInteger(row.rowNumber);
  const key = ledger.key === undefined ? null : row.values[ledger.key];
  if (key === null || key === undefined) a.appendNull();
  else a.appendVarchar(normalizeKey(String(key)));
  a.appendVarchar(fingerprint(ledger, row));
  for (const f of ledger.fields) {
    appendValue(a, f, row.values[f.id] ?? null);
    const cell = row.cells[f.id];
    if (cell === undefined) a.appendNull();
    else a.appendVarchar(cell);
  }
  a.endRow();
}

function appendValue(a: DuckDBAppender, f: FieldDef, v: string | number | boolean | null): void {
  if (v === null) return a.appendNull();
  switch (f.type) {
    case 'date': {
      const [y, m, d] = String(v).split('-').map(Number);
      return a.appendDate(dateValue({ year: y ?? 1970, month: m ?? 1, day: d ?? 1 }));
    }
    case 'number':
      return a.appendDouble(Number(v));
    case 'integer':
      return a.appendBigInt(BigInt(Math.round(Number(v))));
    case 'bool':
      return a.appendBoolean(Boolean(v));
    default:
      return a.appendVarchar(String(v));
  }
}

/** What makes two rows "identical" (row.duplicate): every field but the running number 序号. */
function fingerprint(ledger: LedgerDef, row: ExtractedRow): string {
  const values = ledger.fields.filter((f) => f.id !== 'seq').map((f) => row.values[f.id] ?? null);
  return createHash('sha1').update(JSON.stringify(values)).digest('base64url');
}
