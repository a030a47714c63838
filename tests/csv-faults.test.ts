/**
 * CSV files as clerks' programs really write them, faults included: a stray ASCII quote, a
 * UTF-8 file with lines pasted in GBK, a file cut inside its last character, a `sep=;` line,
 * files with no content. Each file is written here, read by tally's reader and, where
 * LibreOffice is installed, by LibreOffice (converted to xlsx, read back with openpyxl) as the
 * independent reader; then run through the whole pipeline on a real DuckDB file.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decideEncoding } from '../sheets/csv-reader.ts';
import type { RawRow, ReadNote } from '../sheets/raw-sheet.ts';
import { streamFile } from '../sheets/read-file.ts';
import { NO_SOFFICE_REASON, SOFFICE } from './support/libreoffice.ts';
import { useScenarios } from './support/scenario.ts';

const DIR = resolve(import.meta.dirname, '.tmp', `csv-faults-${process.pid}`);
const PYTHON = '/usr/bin/python3';
const HAS_OPENPYXL = spawnSync(PYTHON, ['-c', 'import openpyxl'], { stdio: 'ignore' }).status === 0;

/**
 * 30 publicity rows of 2020, unquoted (as a hand-made export writes them); row 11 (data row 10)
 * holds `name10`, the others are named after `place` (so two departments' rows differ).
 */
function publicityRows(name10: string, place = '进村'): string[] {
  const rows = ['日期,活动名称,宣传主题,形式,参与人数'];
  for (let k = 0; k < 30; k++) {
    rows.push(`2020/${1 + (k % 12)}/${1 + k},${k === 9 ? name10 : `宪法宣传${place}第${k + 1}场`},宪法,讲座,${10 + k}`);
  }
  return rows;
}

/** 40 legal-service rows of 2020, 法律咨询, 人次 1..40 (sum 820). */
function serviceRows(): string[] {
  const rows = ['日期,村居,服务类别,人次'];
  for (let k = 1; k <= 40; k++) rows.push(`2020/${1 + (k % 12)}/${k % 28 + 1},安定村${k},法律咨询,${k}`);
  return rows;
}

const crlf = (rows: readonly string[]) => rows.join('\r\n') + '\r\n';
const gbk = (text: string) => iconv.encode(text, 'gb18030');

const FILES: Record<string, Buffer> = {
  'publicity-stray-quote.csv': gbk(crlf(publicityRows('"12·4"国家宪法日宣传'))),
  'publicity-unclosed-quote.csv': gbk(crlf(publicityRows('"法治宣传进万家', '进社区'))),
  // Quotes as the rules have them: a line break and a comma inside a quoted cell, a doubled quote.
  'publicity-quoted-line-breaks.csv': gbk(
    crlf(publicityRows('"宪法宣传\r\n（村委会，二楼）"').map((r, i) => (i === 12 ? r.replace('宪法宣传进村第12场', '"""民法典""进村"') : r))),
  ),
  // A UTF-8 file whose last 5 lines were pasted in from a GBK file.
  'legal-service-utf8-with-gbk-tail.csv': Buffer.concat([
    Buffer.from(crlf(serviceRows().slice(0, 36)), 'utf8'),
    gbk(crlf(serviceRows().slice(36))),
  ]),
  // Cut short inside its last character: the last 人次 is `40人` with 人 missing its last byte.
  'legal-service-utf8-cut-in-last-character.csv': Buffer.from(crlf(serviceRows()) + '2020/12/31,东白塔村,法律咨询,2人', 'utf8').subarray(0, -1),
  'legal-service-gbk-cut-in-last-character.csv': gbk(crlf(serviceRows()) + '2020/12/31,东白塔村,法律咨询,2人').subarray(0, -1),
  // Excel's `sep=;` line; 人次 on the row Excel shows as row 3 is not a number.
  'legal-service-sep-line.csv': gbk(
    'sep=;\r\n' + crlf(serviceRows().map((r, i) => (i === 2 ? r.replace(/,2$/, ',待统计') : r).replace(/,/g, ';'))),
  ),
  'legal-service-bom-only.csv': Buffer.from([0xef, 0xbb, 0xbf]),
  'study-commas-only.csv': Buffer.from(',,,,\r\n,,,,\r\n,,,,\r\n'),
};

interface SheetRead {
  readonly rows: RawRow[];
  readonly notes: ReadNote[];
}

async function readWithTally(name: string): Promise<SheetRead> {
  const rows: RawRow[] = [];
  const notes: ReadNote[] = [];
  for await (const sheet of streamFile(join(DIR, name))) {
    for await (const batch of sheet.rows()) rows.push(...batch);
    notes.push(...(sheet.notes?.() ?? []));
  }
  return { rows, notes };
}

const texts = (rows: readonly RawRow[]) => rows.map((r) => r.cells.map((c) => (c === undefined ? null : String(c.value))));

/**
 * Each file read by LibreOffice (as GB18030 or UTF-8, every column text), converted to xlsx
 * and read back by openpyxl: its rows of cell texts, empty rows left out.
 */
function readWithLibreOffice(files: readonly { name: string; encoding: 'gb18030' | 'utf-8' }[]): Map<string, (string | null)[][]> {
  const out = join(DIR, 'lo');
  const profile = mkdtempSync(join(tmpdir(), 'tally-lo-'));
  try {
    for (const encoding of ['gb18030', 'utf-8'] as const) {
      const paths = files.filter((f) => f.encoding === encoding).map((f) => join(DIR, f.name));
      if (paths.length === 0) continue;
      // LibreOffice's CSV filter: comma, double quote, character set (85 GB18030, 76 UTF-8),
      // first line 1, columns 1–5 as text (no date or number guessing).
      const filter = `CSV:44,34,${encoding === 'gb18030' ? 85 : 76},1,1/2/2/2/3/2/4/2/5/2`;
      const result = spawnSync(
        SOFFICE ?? 'soffice',
        [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', `--infilter=${filter}`, '--convert-to', 'xlsx', '--outdir', out, ...paths],
        { encoding: 'utf8', timeout: 180_000 },
      );
      if (result.status !== 0) throw new Error(`soffice failed: ${result.stderr}`);
    }
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const script = [
    'import json, sys, openpyxl',
    'out = {}',
    'for p in sys.argv[1:]:',
    '    ws = openpyxl.load_workbook(p).active',
    '    out[p] = [[None if v is None else str(v) for v in r] for r in ws.iter_rows(values_only=True) if any(v is not None for v in r)]',
    'print(json.dumps(out))',
  ].join('\n');
  const xlsx = files.map((f) => join(out, f.name.replace(/\.csv$/, '.xlsx')));
  const read = JSON.parse(execFileSync(PYTHON, ['-c', script, ...xlsx], { encoding: 'utf8' })) as Record<string, (string | null)[][]>;
  return new Map(files.map((f, i) => [f.name, read[xlsx[i] ?? ''] ?? []]));
}

/** Rows as LibreOffice gives them: trailing empty cells dropped, as tally's rows have them. */
const trimmed = (rows: readonly (readonly (string | null)[])[]) =>
  rows.map((r) => {
    const cells = [...r];
    while (cells.length > 0 && cells[cells.length - 1] === null) cells.pop();
    return cells;
  });

beforeAll(async () => {
  await mkdir(DIR, { recursive: true });
  for (const [name, bytes] of Object.entries(FILES)) await writeFile(join(DIR, name), bytes);
});

afterAll(async () => {
  await rm(DIR, { recursive: true, force: true });
});

describe('a stray ASCII quote in a CSV', () => {
  it('reads the quote as text and every row after it, noting the cell (a quote closed mid-cell)', async () => {
    const { rows, notes } = await readWithTally('publicity-stray-quote.csv');
    expect(rows).toHaveLength(31);
    expect(rows[10]?.cells.map((c) => c?.value)).toEqual(['2020/10/10', '"12·4"国家宪法日宣传', '宪法', '讲座', '19']);
    expect(rows[30]?.cells[1]?.value).toBe('宪法宣传进村第30场');
    expect(notes).toEqual([expect.objectContaining({ code: 'cell.stray_quote', cell: 'B11', actual: '"12·4"国家宪法日宣传' })]);
    expect(notes[0]?.message).toMatch(/^第 11 行 B 列（B11）的英文双引号（"）没有按 CSV 的规则成对使用，已把引号当作普通文字读取/);
  });

  it('reads a quote never closed as text, and the rows after it', async () => {
    const { rows, notes } = await readWithTally('publicity-unclosed-quote.csv');
    expect(rows).toHaveLength(31);
    expect(rows[10]?.cells[1]?.value).toBe('"法治宣传进万家');
    expect(rows[11]?.cells[1]?.value).toBe('宪法宣传进社区第11场');
    expect(notes.map((n) => [n.code, n.cell])).toEqual([['cell.stray_quote', 'B11']]);
  });

  it('still keeps a quoted line break, a comma and a doubled quote inside their cells, with nothing to note', async () => {
    const { rows, notes } = await readWithTally('publicity-quoted-line-breaks.csv');
    expect(rows).toHaveLength(31);
    expect(rows[10]?.cells[1]?.value).toBe('宪法宣传\r\n（村委会，二楼）');
    expect(rows[12]?.cells[1]?.value).toBe('"民法典"进村');
    expect(rows.map((r) => r.rowNumber)).toEqual(Array.from({ length: 31 }, (_, i) => i + 1));
    expect(notes).toEqual([]);
  });

  it.skipIf(SOFFICE === undefined || !HAS_OPENPYXL)(
    `reads every cell as LibreOffice does${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : HAS_OPENPYXL ? '' : ' (skipped: no python3-openpyxl)'}`,
    async () => {
      const names = ['publicity-stray-quote.csv', 'publicity-unclosed-quote.csv', 'publicity-quoted-line-breaks.csv'];
      const office = readWithLibreOffice(names.map((name) => ({ name, encoding: 'gb18030' as const })));
      for (const name of names) {
        // LibreOffice keeps a quoted line break as `\n`.
        const tally = texts((await readWithTally(name)).rows).map((r) => r.map((v) => v?.replace(/\r\n/g, '\n') ?? null));
        expect(tally, name).toEqual(trimmed(office.get(name) ?? []));
      }
    },
    240_000,
  );
});

describe('bytes not valid in the encoding of the file', () => {
  it('reads a UTF-8 file with a GBK tail as UTF-8, noting each cell of the tail whose bytes are not UTF-8', async () => {
    const { rows, notes } = await readWithTally('legal-service-utf8-with-gbk-tail.csv');
    expect(rows).toHaveLength(41);
    expect(rows[0]?.cells.map((c) => c?.value)).toEqual(['日期', '村居', '服务类别', '人次']);
    expect(rows[35]?.cells[1]?.value).toBe('安定村35');
    const rowsNoted = [...new Set(notes.map((n) => Number(/\d+$/.exec(n.cell)?.[0])))];
    expect(rowsNoted).toEqual([37, 38, 39, 40, 41]);
    expect(notes.every((n) => n.code === 'cell.encoding' && n.actual.includes('\uFFFD'))).toBe(true);
    expect(notes[0]?.message).toMatch(/^第 37 行 B 列（B37）含有无法识别的字符（文件按 UTF-8 编码读取.*文件编码混杂或文件不完整）/);
  });

  it('reads a UTF-8 file cut inside its last character as UTF-8, noting that cell', async () => {
    const { rows, notes } = await readWithTally('legal-service-utf8-cut-in-last-character.csv');
    expect(rows[1]?.cells[1]?.value).toBe('安定村1');
    expect(rows.at(-1)?.cells[3]?.value).toBe('2\uFFFD');
    expect(notes.map((n) => [n.code, n.cell])).toEqual([['cell.encoding', 'D42']]);
  });

  it('notes the cell of a GBK file cut inside its last character (2� is not read as 2 in silence)', async () => {
    const { rows, notes } = await readWithTally('legal-service-gbk-cut-in-last-character.csv');
    expect(rows[0]?.cells[0]?.value).toBe('日期');
    expect(notes.map((n) => [n.code, n.cell, n.actual])).toEqual([['cell.encoding', 'D42', '2\uFFFD']]);
    expect(notes[0]?.message).toContain('GBK/GB18030');
  });

  it('judges a file UTF-8 when it is overwhelmingly so, or its first line is, and GB18030 when it is not', () => {
    expect(decideEncoding(FILES['legal-service-utf8-with-gbk-tail.csv'] ?? Buffer.alloc(0), true)).toBe('utf-8');
    expect(decideEncoding(FILES['legal-service-utf8-cut-in-last-character.csv'] ?? Buffer.alloc(0), true)).toBe('utf-8');
    expect(decideEncoding(gbk(crlf(serviceRows())), true)).toBe('gb18030');
    expect(decideEncoding(Buffer.concat([Buffer.from('日期,村居\r\n', 'utf8'), gbk('安定村,东庄村,西庄村')]), true)).toBe('utf-8');
  });

  it.skipIf(SOFFICE === undefined || !HAS_OPENPYXL)(
    `reads the valid rows of the mixed file as LibreOffice does in UTF-8${SOFFICE === undefined ? ` (skipped: ${NO_SOFFICE_REASON})` : ''}`,
    async () => {
      const name = 'legal-service-utf8-with-gbk-tail.csv';
      const office = trimmed(readWithLibreOffice([{ name, encoding: 'utf-8' }]).get(name) ?? []);
      const tally = texts((await readWithTally(name)).rows);
      expect(tally).toHaveLength(office.length);
      expect(tally.slice(0, 36)).toEqual(office.slice(0, 36));
    },
    240_000,
  );
});

describe('a sep= first line, as Excel writes it', () => {
  it('takes its delimiter and numbers the rows as Excel shows them (the sep= line hidden)', async () => {
    const { rows } = await readWithTally('legal-service-sep-line.csv');
    expect(rows[0]).toMatchObject({ rowNumber: 1, cells: [{ value: '日期' }, { value: '村居' }, { value: '服务类别' }, { value: '人次' }] });
    expect(rows[2]).toMatchObject({ rowNumber: 3, cells: [{ value: '2020/3/3' }, { value: '安定村2' }, { value: '法律咨询' }, { value: '待统计' }] });
    expect(rows).toHaveLength(41);
  });
});

describe('the whole pipeline, on a real DuckDB file', () => {
  const scenarios = useScenarios({ outputs: false });

  it('counts every row after a stray quote and warns at its cell; finds bad bytes at their cells; says at the file that an empty one has nothing in it', async () => {
    const blankWorkbook = new ExcelJS.Workbook();
    blankWorkbook.addWorksheet('Sheet1');
    const files: Record<string, { bytes: Buffer } | { write: (path: string) => Promise<void> }> = {
      'justice/publicity-stray-quote.csv': { bytes: FILES['publicity-stray-quote.csv'] ?? Buffer.alloc(0) },
      'justice/legal-service-utf8-with-gbk-tail.csv': { bytes: FILES['legal-service-utf8-with-gbk-tail.csv'] ?? Buffer.alloc(0) },
      'office/publicity-unclosed-quote.csv': { bytes: FILES['publicity-unclosed-quote.csv'] ?? Buffer.alloc(0) },
      'office/legal-service-sep-line.csv': { bytes: FILES['legal-service-sep-line.csv'] ?? Buffer.alloc(0) },
      'office/study-commas-only.csv': { bytes: FILES['study-commas-only.csv'] ?? Buffer.alloc(0) },
      'counsel/legal-service-bom-only.csv': { bytes: FILES['legal-service-bom-only.csv'] ?? Buffer.alloc(0) },
      'counsel/legality-review-blank-workbook.xlsx': { write: (path) => blankWorkbook.xlsx.writeFile(path) },
    };
    const run = await scenarios.run('csv-faults', {
      roster: [
        { code: 'justice', owes: ['publicity', 'legal_service'] },
        { code: 'office', owes: ['publicity', 'study'] },
        { code: 'counsel', owes: ['legality_review'] },
      ],
      files,
    });

    // 30 + 30 rows, none lost after the quotes; each quote a warning at its cell, of the ledger.
    expect(run.indicator('publicity.events')).toMatchObject({ value: 60, status: '有警告' });
    expect(run.findingsOf('cell.stray_quote').map((f) => [f.level, f.department, basename(f.file ?? ''), f.cell, f.ledger])).toEqual([
      ['警告', 'justice', 'publicity-stray-quote.csv', 'B11', 'publicity'],
      ['警告', 'office', 'publicity-unclosed-quote.csv', 'B11', 'publicity'],
    ]);

    // The mixed file is read (not 尚未报送): its 35 UTF-8 rows count, its GBK tail is an error at each bad cell.
    expect(run.submission('justice', 'legal_service')).toMatchObject({ status: '已报' });
    const tail = run.findingsOf('cell.encoding').filter((f) => f.file?.endsWith('gbk-tail.csv'));
    expect(new Set(tail.map((f) => f.cell?.replace(/^[A-Z]+/, '')))).toEqual(new Set(['37', '38', '39', '40', '41']));
    expect(tail.every((f) => f.level === '错误' && f.ledger === 'legal_service')).toBe(true);
    // 1..35 from the UTF-8 rows of justice; office's file adds 1..40 with its row 3 (人次 2) unreadable.
    expect(run.indicator('service.consultations')).toMatchObject({ status: '有错误' });
    expect(run.indicator('service.consultations').value).toBe((35 * 36) / 2 + (40 * 41) / 2 - 2);

    // The sep= line is no row: the bad 人次 is at D3, where Excel shows it.
    expect(run.findingsOf('cell.type').filter((f) => f.file?.endsWith('sep-line.csv')).map((f) => f.cell)).toEqual(['D3']);

    // Files with nothing in them: file.unreadable at the file, besides the ledger being missing.
    const empty = run.findingsOf('file.unreadable').map((f) => [basename(f.file ?? ''), f.cell, f.message]);
    expect(empty.map(([file]) => file).sort()).toEqual(['legal-service-bom-only.csv', 'legality-review-blank-workbook.xlsx', 'study-commas-only.csv']);
    for (const [, cell, message] of empty) {
      expect(cell).toBeNull();
      expect(message).toMatch(/^文件中没有任何内容/);
    }
  }, 120_000);
});
