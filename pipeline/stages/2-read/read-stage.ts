/**
 * Read + normalize: one submitted file → the ledgers in its sheets, typed, each value with its
 * cell address, plus what was found wrong while reading. A file that cannot be read is a
 * `file.unreadable` finding, never an exception that stops the run.
 */
import { basename, extname } from 'node:path';
import type { LedgerCatalog, LedgerDef } from '../../../sheets/ledger-catalog.ts';
import type { ColumnMatch, DetectedHeader } from '../../../sheets/detect-header.ts';
import { extractStream, type SheetExtraction } from '../../../sheets/extract-sheet.ts';
import { DEFAULT_LIMITS, UnreadableFileError, type RawCell, type ReadLimits, type SheetStream } from '../../../sheets/raw-sheet.ts';
import { MESSAGE_NO_CONTENT } from '../../../sheets/sniff-format.ts';
import { streamFile } from '../../../sheets/read-file.ts';
import { RowBlockBuilder, type RowBlock } from '../../../sheets/row-block.ts';
import { finding, type Finding } from '../../kernel/findings/findings.ts';
import type { IntakeFile } from '../1-intake/intake.ts';

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

/** Some of a sheet's data rows, handed on before the file is read to the end. */
export interface SheetPart {
  /** The sheet's index in the file (its `sheets` entry once the read ends). */
  readonly sheetIndex: number;
  readonly ledger: LedgerDef;
  readonly block: RowBlock;
  /** The findings made since the last part (the rest come with the sheet once it ends). */
  readonly findings: readonly Finding[];
}

/**
 * Takes a part of the rows; the read goes on when the returned promise settles (so a reader
 * never runs further ahead of its loader than the sink lets it).
 */
export type PartSink = (part: SheetPart) => Promise<void>;

/** Rows a big sheet is handed on in, when the caller takes parts. */
export const PART_ROWS = 8_192;
/**
 * …or fewer, once its text reaches this many characters: 8,192 rows of 32,767-character cells
 * were half a gigabyte per part, copied again when the part crossed to the main thread.
 */
export const PART_TEXT_CHARS = 4_000_000;

/**
 * Reads one file. With `onPart`, a sheet's rows go to it every {@link PART_ROWS} rows as they
 * are read, and the sheet's `block` holds only the rows after the last part: memory stays
 * bounded whatever the file's length, and the caller can load while the rest is read.
 */
export async function readSubmission(file: IntakeFile, opts: ReadOptions, onPart?: PartSink): Promise<FileRead> {
  const at = { department: file.department, file: file.path };
  const limits: ReadLimits = { ...DEFAULT_LIMITS, ...opts.limits };
  if (file.oversized || file.archivedPath === null) {
    const mb = (file.size / 1024 / 1024).toFixed(1);
    return unreadable(file, finding('file.unreadable', { ...at, actual: `${mb} MB` }, `文件过大（${mb} MB），超过 ${Math.round(limits.maxFileBytes / 1024 / 1024)} MB 的上限，未读取。请删除无关的工作表、图片后重新报送。`));
  }
  const sheets: SheetRead[] = [];
  let hasContent = false;
  // A CSV is one sheet named after the file; the archived copy is named by hash, so name it here.
  const stem = basename(file.path, extname(file.path));
  const archivedStem = basename(file.archivedPath, extname(file.archivedPath));
  try {
    for await (const stream of streamFile(file.archivedPath, limits)) {
      const name = stream.name === archivedStem ? stem : stream.name;
      const sheetIndex = sheets.length;
      // Rows go straight into columns as they are read: a sheet of any length in bounded memory.
      let header: DetectedHeader | undefined;
      let builder: RowBlockBuilder | undefined;
      let pending = 0;
      // With parts, findings travel with them: a bad value in each of a million rows is never
      // held whole, here or in the loader.
      let found: Finding[] = [];
      // What the reader found at cells (a CSV's stray quote, bad bytes) joins the sheet's
      // findings, with the ledger once its header is known (so the figure's 状态 shows it).
      const takeNotes = (ledger: string | null) => {
        for (const n of stream.notes?.() ?? []) {
          found.push(finding(n.code, { ...at, sheet: name, cell: n.cell, ledger, actual: n.actual }, n.message));
        }
      };
      const handOn = async () => {
        if (header !== undefined) takeNotes(header.ledger.id);
        if (onPart === undefined || header === undefined || builder === undefined) return;
        if (pending < PART_ROWS && builder.textChars < PART_TEXT_CHARS) return;
        const block = builder.build();
        builder = builderFor(header.columns);
        pending = 0;
        const findings = found;
        found = [];
        await onPart({ sheetIndex, ledger: header.ledger, block, findings });
      };
      const ctx = { year: opts.year, department: file.department, file: file.path };
      const extraction = await extractStream(
        { ...withPause(stream, handOn, () => (hasContent = true)), name },
        opts.catalog,
        onPart === undefined ? ctx : { ...ctx, onFinding: (f: Finding) => void found.push(f) },
        (row, found) => {
          header ??= found;
          builder ??= builderFor(found.columns);
          builder.add(row);
          pending++;
        },
      );
      takeNotes(extraction.ledger?.id ?? null);
      const block = extraction.ledger === null ? null : (builder ?? builderFor(extraction.header?.columns ?? [])).build();
      sheets.push({ ...extraction, findings: found.length === 0 ? extraction.findings : [...found, ...extraction.findings], block });
    }
  } catch (error) {
    const message = error instanceof UnreadableFileError
      ? error.message
      : `文件无法读取（${error instanceof Error ? error.message : String(error)}）。请用 Excel 打开后重新保存为 .xlsx 再报送。`;
    // Sheets read before the damage stay out too: a half-read file would give half a figure.
    return unreadable(file, finding('file.unreadable', at, message));
  }
  // Only a BOM, only blank lines or `,,,,`, sheets with no value in any cell: the file says
  // nothing, which the clerk is told at the file itself (not only by the ledger being missing).
  if (!hasContent) return unreadable(file, finding('file.unreadable', at, MESSAGE_NO_CONTENT));
  return { file, status: 'read', sheets, findings: [] };
}

/**
 * The stream with `pause` awaited after each batch of rows has been taken, and `sawContent`
 * called when a batch holds a cell with a value.
 */
function withPause(stream: SheetStream, pause: () => Promise<void>, sawContent: () => void): SheetStream {
  return {
    ...stream,
    rows: async function* () {
      for await (const rows of stream.rows()) {
        if (rows.some((r) => r.cells.some(isContent))) sawContent();
        yield rows;
        await pause();
      }
    },
  };
}

/** A cell with a value or an error in it (not a formatted blank, not spaces only). */
function isContent(cell: RawCell | undefined): boolean {
  if (cell === undefined) return false;
  if (cell.error !== undefined) return true;
  return cell.value !== null && !(typeof cell.value === 'string' && cell.value.trim() === '');
}

/** Columns for the fields a header found, in its order. */
function builderFor(columns: readonly ColumnMatch[]): RowBlockBuilder {
  return new RowBlockBuilder(columns.map((m) => m.field), columns.map((m) => m.column));
}

function unreadable(file: IntakeFile, f: Finding): FileRead {
  return { file, status: 'unreadable', sheets: [], findings: [f] };
}
