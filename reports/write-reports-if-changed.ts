/**
 * Writes the report workbook and document only when their content changed: a run with nothing
 * changed leaves them (and their modification times) as they are. The content is fingerprinted
 * without the moment it was generated, and the fingerprint kept beside the files.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ReportData } from './report-data.ts';

export interface WrittenReports {
  readonly workbook: string;
  readonly docx: string;
  /** False when the files were already there with this content. */
  readonly written: boolean;
}

export function reportFingerprint(report: ReportData): string {
  const { generatedAt: _moment, ...content } = report;
  return createHash('sha256').update(contentText(content)).digest('hex');
}

/**
 * The content as JSON, a bigint as its digits. Without a replacer first: calling one for every
 * value of a district's report took most of its fingerprint (~0.4 s of ~0.5 s under the
 * profiler); a bigint makes JSON.stringify throw, and then the replacer writes it. The text is
 * the same either way.
 */
function contentText(content: object): string {
  try {
    return JSON.stringify(content);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    return JSON.stringify(content, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
  }
}

/**
 * What writes the report's files when their content changed, or null when they are there with
 * this content. The fingerprint is taken at once (the report stage takes it while the database
 * answers other queries); the writing is the caller's to start.
 *
 * `inputs`, when given, is a hash of what the content is made from that is equal only when the
 * content is (the report stage's: its parts but the findings and traces, with the hashes of
 * those): kept in the stamp's second line, it stands for the content's fingerprint, which is then
 * not taken (~60 ms for a district's report, most of it its 3.5 MB of traces as JSON). When it
 * differs, the fingerprint decides, as without it.
 */
export async function reportWriter(report: ReportData, out: string, inputs?: string): Promise<(() => Promise<WrittenReports>) | null> {
  const workbook = join(out, `report-${report.year}.xlsx`);
  const docx = join(out, `report-${report.year}.docx`);
  const stamp = join(out, `.report-${report.year}.sha256`);
  // `<fingerprint>` (as an older tally wrote it), or `<fingerprint>\n<inputs>`.
  const [previous = '', previousInputs] = (await readFile(stamp, 'utf8').catch(() => '')).split('\n');
  const present = existsSync(workbook) && existsSync(docx);
  if (present && inputs !== undefined && previousInputs === inputs) return null;
  const fingerprint = reportFingerprint(report);
  const stampText = inputs === undefined ? fingerprint : `${fingerprint}\n${inputs}`;
  if (previous === fingerprint && present) {
    // The same content from other inputs: kept as it is, the stamp made to know these inputs.
    if (inputs !== undefined) await writeFile(stamp, stampText);
    return null;
  }
  return async () => {
    // The writers (exceljs, docx) load only when there is something to write: a run with nothing
    // changed never pays for them.
    const [{ writeReportWorkbook }, { writeReportDocx }] = await loadWriters();
    await writeReportWorkbook(report, workbook);
    // The report text as a Word document, next to the workbook, for the office to edit.
    await writeReportDocx(report, docx);
    await writeFile(stamp, stampText);
    return { workbook, docx, written: true };
  };
}

let writers: Promise<[typeof import('./write-report-workbook.ts'), typeof import('./write-report-docx.ts')]> | undefined;

/** The report's writers, loaded once. */
function loadWriters(): NonNullable<typeof writers> {
  writers ??= Promise.all([import('./write-report-workbook.ts'), import('./write-report-docx.ts')]);
  return writers;
}

/**
 * Starts loading the writers (~0.3 s: exceljs, docx) when the report's files are not there yet,
 * so certainly written: the run calls it as its checks start (run.ts), and they load while the
 * database answers the checks and the roll-up. A run whose files are there loads nothing until
 * it knows they changed.
 */
export function preloadWritersIfMissing(year: number, out: string): void {
  if (existsSync(join(out, `report-${year}.xlsx`)) && existsSync(join(out, `report-${year}.docx`))) return;
  // A failure shows when the writers are used.
  loadWriters().catch(() => undefined);
}
