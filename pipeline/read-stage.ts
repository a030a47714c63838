/**
 * Read + normalize: one submitted file → the ledgers in its sheets, typed, each value with its
 * cell address, plus what was found wrong while reading. A file that cannot be read is a
 * `file.unreadable` finding, never an exception that stops the run.
 */
import { basename, extname } from 'node:path';
import type { LedgerCatalog } from '../sheets/ledger-catalog.ts';
import { extractStream, type SheetExtraction } from '../sheets/extract-sheet.ts';
import { DEFAULT_LIMITS, UnreadableFileError, type ReadLimits } from '../sheets/raw-sheet.ts';
import { streamFile } from '../sheets/read-file.ts';
import { RowBlockBuilder, type RowBlock } from '../sheets/row-block.ts';
import { finding, type Finding } from './findings.ts';
import type { IntakeFile } from './intake.ts';

/** A sheet read: what it holds, its data rows as columns (null when it holds no ledger). */
export interface SheetRead extends SheetExtraction {
  readonly block: RowBlock | null;
}

export interface FileRead {
  readonly file: IntakeFile;
  readonly status: 'read' | 'unreadable';
  readonly sheets: readonly SheetRead[];
  /** File-level findings (file.unreadable); sheet findings are inside `sheets`. */
  readonly findings: readonly Finding[];
}

export interface ReadOptions {
  readonly catalog: LedgerCatalog;
  readonly year: number;
  readonly limits?: Partial<ReadLimits>;
}

export async function readSubmission(file: IntakeFile, opts: ReadOptions): Promise<FileRead> {
  const at = { department: file.department, file: file.path };
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (file.oversized || file.archivedPath === null) {
    const mb = (file.size / 1024 / 1024).toFixed(1);
    return unreadable(file, finding('file.unreadable', { ...at, actual: `${mb} MB` }, `文件过大（${mb} MB），超过 ${Math.round(limits.maxFileBytes / 1024 / 1024)} MB 的上限，未读取。请删除无关的工作表、图片后重新报送。`));
  }
  const sheets: SheetRead[] = [];
  // A CSV is one sheet named after the file; the archived copy is named by hash, so name it here.
  const stem = basename(file.path, extname(file.path));
  const archivedStem = basename(file.archivedPath, extname(file.archivedPath));
  try {
    for await (const stream of streamFile(file.archivedPath, limits)) {
      const name = stream.name === archivedStem ? stem : stream.name;
      // Rows go straight into columns as they are read: a sheet of any length in bounded memory.
      let builder: RowBlockBuilder | undefined;
      const extraction = await extractStream({ ...stream, name }, opts.catalog, { year: opts.year, department: file.department, file: file.path }, (row, header) => {
        builder ??= new RowBlockBuilder(header.columns.map((m) => m.field), header.columns.map((m) => m.column));
        builder.add(row);
      });
      const block = extraction.ledger === null ? null : (builder?.build() ?? emptyBlock(extraction));
      sheets.push({ ...extraction, block });
    }
  } catch (error) {
    const message = error instanceof UnreadableFileError
      ? error.message
      : `文件无法读取（${error instanceof Error ? error.message : String(error)}）。请用 Excel 打开后重新保存为 .xlsx 再报送。`;
    // Sheets read before the damage stay out too: a half-read file would give half a figure.
    return unreadable(file, finding('file.unreadable', at, message));
  }
  return { file, status: 'read', sheets, findings: [] };
}

function emptyBlock(x: SheetExtraction): RowBlock {
  const columns = x.header?.columns ?? [];
  return new RowBlockBuilder(columns.map((m) => m.field), columns.map((m) => m.column)).build();
}

function unreadable(file: IntakeFile, f: Finding): FileRead {
  return { file, status: 'unreadable', sheets: [], findings: [f] };
}
