/**
 * The full-size cases of issue 12, each: how its inbox is generated (streaming: nothing of a
 * big file is held in memory) and what a correct outcome is once `tally run` has gone through
 * it. Every case is the 司法所 submitting 人民调解台账 files, valid unless the case is about
 * findings, so that the rows read can be checked against the 化解矛盾纠纷 figure
 * (service.disputes_resolved: every 调解成功 row closed in 2020).
 */
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { summaryCounts } from '../cli-run.ts';
import { buildXlsx, type BenchCell } from '../xlsx-fast-writer.ts';
import { eachFinding, peekWorkbook, type FindingRecord } from './read-outputs.ts';
import { col, day2020, rowXml, writeWorkbook, type XCell } from './xlsx-stream.ts';

export const MEDIATION_HEADER = ['序号', '受理日期', '当事人', '纠纷类型', '调解结果', '结案日期'] as const;
const TITLE = '安定镇2020年度人民调解台账';
/** Shared strings every generated workbook starts with: the title, the header, two values. */
const FIXED_STRINGS = [TITLE, ...MEDIATION_HEADER, '邻里纠纷', '调解成功'];
const S = { title: 0, header: 1, neighbours: 7, success: 8, first: 9 } as const;
const DEPT = 'justice';

export interface Generated {
  files: number;
  bytes: number;
  /** What the case generated, in a few words (for the table). */
  input: string;
}

export interface CheckInput {
  /** The run's output directory. */
  out: string;
  year: number;
  stdout: string;
}

export interface Verdict {
  ok: boolean;
  /** Why, in one line: what was read or found. */
  reason: string;
  details?: Record<string, unknown>;
}

export interface StressCase {
  name: string;
  title: string;
  /** limits.maxFileMegabytes for the run (default: the configuration's, 50 MB). */
  maxFileMegabytes?: number;
  /** The case is a file over that limit (else every generated file must be under it, or the case would test the size gate, not the reader). */
  oversize?: boolean;
  generate(inbox: string): Promise<Generated>;
  check(input: CheckInput): Promise<Verdict>;
}

// ---- reading the outcome

async function indicator(out: string, year: number, code: string): Promise<number | null | undefined> {
  const sheets = await peekWorkbook(join(out, `report-${year}.xlsx`), { 指标汇总: { 指标编码: 'B', 数值: 'E' } });
  for (const cells of sheets.get('指标汇总')?.rows.values() ?? []) {
    if (cells.get('B') === code) {
      const v = cells.get('E');
      return typeof v === 'number' ? v : v === undefined ? null : Number(v);
    }
  }
  return undefined;
}

interface FindingStats {
  total: number;
  byCode: Record<string, number>;
  /** File- or sheet-level errors (no cell), the first few: how a file that could not be read is told. */
  fileLevel: FindingRecord[];
  /** sheet.truncated findings: where a read limit stopped a sheet. */
  truncated: FindingRecord[];
  /** The first few findings of each code. */
  samples: Record<string, FindingRecord[]>;
}

async function findingStats(out: string, year: number, keep: (f: FindingRecord) => boolean = () => true): Promise<FindingStats> {
  const stats: FindingStats = { total: 0, byCode: {}, fileLevel: [], truncated: [], samples: {} };
  await eachFinding(join(out, `findings-${year}.csv`), (f) => {
    if (!keep(f)) return;
    stats.total++;
    stats.byCode[f.code] = (stats.byCode[f.code] ?? 0) + 1;
    const samples = (stats.samples[f.code] ??= []);
    if (samples.length < 3) samples.push(f);
    if (f.level === '错误' && f.cell === '' && stats.fileLevel.length < 5) stats.fileLevel.push(f);
    if (f.code === 'sheet.truncated' && stats.truncated.length < 5) stats.truncated.push(f);
  });
  return stats;
}

const codes = (s: FindingStats) =>
  Object.entries(s.byCode)
    .map(([c, n]) => `${c}×${n.toLocaleString('en')}`)
    .join(', ') || 'none';

/**
 * A correct read, or a finding that says why not: the figure counts every row generated, or the
 * file drew a file- or sheet-level error (then PASS too: the run told the department).
 */
async function readOrFinding(input: CheckInput, expectedRows: number, extra?: (stats: FindingStats) => Promise<string | null>): Promise<Verdict> {
  const [value, stats] = await Promise.all([indicator(input.out, input.year, 'service.disputes_resolved'), findingStats(input.out, input.year, (f) => f.department === DEPT)]);
  const details = { disputesResolved: value, expectedRows, findings: stats.byCode, samples: stats.samples };
  const told = stats.fileLevel[0];
  if (value === expectedRows) {
    const problem = extra === undefined ? null : await extra(stats);
    if (problem !== null) return { ok: false, reason: problem, details };
    return { ok: true, reason: `read: ${expectedRows.toLocaleString('en')} rows counted; findings: ${codes(stats)}`, details };
  }
  if (told !== undefined) return { ok: true, reason: `a finding: ${told.code} ${told.sheet ? `(${told.sheet}) ` : ''}${told.message.slice(0, 120)}`, details };
  // A sheet cut at a read limit counts what it read and says, at the first row left out, what it did not.
  const cut = stats.truncated[0];
  if (cut !== undefined) return { ok: true, reason: `read to a limit (${(value ?? 0).toLocaleString('en')} rows), then a finding: ${cut.code} at row ${cut.cell}: ${cut.message.slice(0, 120)}`, details };
  return { ok: false, reason: `wrong read: 化解矛盾纠纷 = ${value ?? 'absent'}, expected ${expectedRows.toLocaleString('en')}, and no file-level finding; findings: ${codes(stats)}`, details };
}

// ---- generating

/** A valid mediation row of the n-th case (n from 0): distinct parties, received and closed in 2020. */
function mediationCells(n: number, party: XCell, seq = n + 1, dispute: XCell = { s: S.neighbours }): XCell[] {
  const received = n % 300;
  return [{ n: seq }, { date: day2020(received) }, party, dispute, { s: S.success }, { date: day2020(received + 5) }];
}

/** Title (row 1, merged), header (row 2): the first two rows of every generated sheet. */
function* titleAndHeader(header: XCell[] = MEDIATION_HEADER.map((_, i) => ({ s: S.header + i }))): Generator<string> {
  yield rowXml(1, [{ s: S.title }]);
  yield rowXml(2, header);
}

function* range(n: number): Generator<number> {
  for (let i = 0; i < n; i++) yield i;
}

function* partyStrings(n: number): Generator<string> {
  for (let i = 0; i < n; i++) yield `张${i + 1}与李${i + 1}`;
}

function sizeOf(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const f of readdirSync(dir)) {
    files++;
    bytes += statSync(join(dir, f)).size;
  }
  return { files, bytes };
}

const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MB`;

// ---- the cases

const FILES = 10_000;
const ROWS_PER_FILE = 3;
const SHEETS = 1_000;
const ROWS_PER_SHEET = 3;
const WIDE_ROWS = 100;
const WIDTH = 16_384;
const MAX_ROWS = 1_048_576;
const LONG_ROWS = 100_000;
const LONG = 32_767;
const CSV_BYTES = 200 * 1024 * 1024;
const BLOCK = 1_000;
const PASTES = 1_001;
const COPIED = BLOCK * (PASTES - 1);
const UNREADABLE = 1_000_000;

export const CASES: StressCase[] = [
  {
    name: 'files-10k',
    title: '10,000 files in one department folder',
    async generate(inbox) {
      const dir = join(inbox, DEPT);
      mkdirSync(dir, { recursive: true });
      const d = (x: number) => new Date(Date.UTC(2020, 0, 1 + x));
      for (let f = 0; f < FILES; f++) {
        const rows: BenchCell[][] = [];
        for (let i = 0; i < ROWS_PER_FILE; i++) {
          const n = f * ROWS_PER_FILE + i;
          rows.push([i + 1, d(n % 300), `张${n + 1}与李${n + 1}`, '邻里纠纷', '调解成功', d((n % 300) + 5)]);
        }
        writeFileSync(join(dir, `调解台账-${String(f + 1).padStart(5, '0')}.xlsx`), buildXlsx('Sheet1', TITLE, MEDIATION_HEADER, rows));
      }
      const { files, bytes } = sizeOf(dir);
      return { files, bytes, input: `${files.toLocaleString('en')} xlsx × ${ROWS_PER_FILE} rows (${mb(bytes)})` };
    },
    async check(input) {
      const counts = summaryCounts(input.stdout);
      if (counts.read !== FILES) return { ok: false, reason: `files read: ${counts.read ?? '?'} of ${FILES} (summary: ${JSON.stringify(counts)})` };
      return readOrFinding(input, FILES * ROWS_PER_FILE);
    },
  },
  {
    name: 'sheets-1k',
    title: 'a workbook with 1,000 sheets',
    async generate(inbox) {
      mkdirSync(join(inbox, DEPT), { recursive: true });
      const path = join(inbox, DEPT, '调解台账-1000页.xlsx');
      const total = SHEETS * ROWS_PER_SHEET;
      const bytes = await writeWorkbook(path, {
        sheetCount: SHEETS,
        sheets: Array.from({ length: SHEETS }, (_, s) => ({
          name: `第${s + 1}页`,
          dimension: `A1:F${2 + ROWS_PER_SHEET}`,
          merges: ['A1:F1'],
          rows: (function* () {
            yield* titleAndHeader();
            for (let i = 0; i < ROWS_PER_SHEET; i++) {
              const n = s * ROWS_PER_SHEET + i;
              yield rowXml(3 + i, mediationCells(n, { s: S.first + n }, i + 1));
            }
          })(),
        })),
        sharedStrings: [...FIXED_STRINGS, ...partyStrings(total)],
      });
      return { files: 1, bytes, input: `1 xlsx, ${SHEETS.toLocaleString('en')} sheets × ${ROWS_PER_SHEET} rows (${mb(bytes)})` };
    },
    check: (input) => readOrFinding(input, SHEETS * ROWS_PER_SHEET),
  },
  {
    name: 'columns-16k',
    title: 'a sheet 16,384 columns wide',
    async generate(inbox) {
      mkdirSync(join(inbox, DEPT), { recursive: true });
      const path = join(inbox, DEPT, '调解台账-16384列.xlsx');
      // A..E: the ledger; F..XFC: 16,378 more columns (附加列), filled in every row; XFD: 结案日期.
      const extra = WIDTH - 6;
      const extraBase = S.first + WIDE_ROWS;
      const header: XCell[] = [{ s: S.header }, { s: S.header + 1 }, { s: S.header + 2 }, { s: S.header + 3 }, { s: S.header + 4 }];
      for (let c = 0; c < extra; c++) header.push({ s: extraBase + c });
      header.push({ s: S.header + 5 });
      const bytes = await writeWorkbook(path, {
        sheetCount: 1,
        sheets: [
          {
            name: 'Sheet1',
            dimension: `A1:${col(WIDTH - 1)}${WIDE_ROWS + 2}`,
            merges: [`A1:${col(WIDTH - 1)}1`],
            rows: (function* () {
              yield* titleAndHeader(header);
              for (let i = 0; i < WIDE_ROWS; i++) {
                const [seq, received, party, dispute, result, closed] = mediationCells(i, { s: S.first + i });
                const cells: XCell[] = [seq ?? null, received ?? null, party ?? null, dispute ?? null, result ?? null];
                for (let c = 0; c < extra; c++) cells.push({ n: (i * 31 + c) % 1000 });
                cells.push(closed ?? null);
                yield rowXml(3 + i, cells);
              }
            })(),
          },
        ],
        sharedStrings: [...FIXED_STRINGS, ...partyStrings(WIDE_ROWS), ...Array.from(range(extra), (c) => `附加列${c + 1}`)],
      });
      return { files: 1, bytes, input: `1 xlsx, ${WIDE_ROWS} rows × ${WIDTH.toLocaleString('en')} columns, 结案日期 in XFD (${mb(bytes)})` };
    },
    check: (input) =>
      readOrFinding(input, WIDE_ROWS, async () => {
        // The rows were counted; was 结案日期, in the last column (XFD), read? 溯源 cites the cells it used.
        const trace = (await peekWorkbook(join(input.out, `report-${input.year}.xlsx`), { 溯源: { 判定依据: 'M' } })).get('溯源');
        const cited = [...(trace?.rows.values() ?? [])].filter((r) => String(r.get('M') ?? '').includes('XFD')).length;
        return cited >= WIDE_ROWS ? null : `结案日期 in column XFD: cited by ${cited} of ${WIDE_ROWS} rows in 溯源 (read without the last column, and no finding)`;
      }),
  },
  {
    name: 'rows-1m',
    title: 'a 1,048,576-row sheet',
    async generate(inbox) {
      mkdirSync(join(inbox, DEPT), { recursive: true });
      const path = join(inbox, DEPT, '调解台账-1048576行.xlsx');
      const data = MAX_ROWS - 2;
      const bytes = await writeWorkbook(path, {
        sheetCount: 1,
        sheets: [
          {
            name: 'Sheet1',
            dimension: `A1:F${MAX_ROWS}`,
            merges: ['A1:F1'],
            rows: (function* () {
              yield* titleAndHeader();
              for (let i = 0; i < data; i++) yield rowXml(3 + i, mediationCells(i, { s: S.first + i }));
            })(),
          },
        ],
        sharedStrings: (function* () {
          yield* FIXED_STRINGS;
          yield* partyStrings(data);
        })(),
      });
      return { files: 1, bytes, input: `1 xlsx, rows 1–${MAX_ROWS.toLocaleString('en')} (title, header, ${data.toLocaleString('en')} data rows; ${mb(bytes)})` };
    },
    check: (input) => readOrFinding(input, MAX_ROWS - 2),
  },
  {
    name: 'long-cells',
    title: '100,000 rows, a 32,767-character cell in every row',
    async generate(inbox) {
      mkdirSync(join(inbox, DEPT), { recursive: true });
      const path = join(inbox, DEPT, '调解台账-长文本.xlsx');
      // 纠纷类型 holds the same 32,767-character text in every row (Excel keeps it once in
      // sharedStrings.xml); the rows differ by 当事人 and dates.
      const phrase = '双方因宅基地边界及相邻通行问题发生纠纷，经村调委会多次上门调解，';
      const long = phrase.repeat(Math.ceil(LONG / phrase.length)).slice(0, LONG);
      const longIndex = S.first + LONG_ROWS;
      const bytes = await writeWorkbook(path, {
        sheetCount: 1,
        sheets: [
          {
            name: 'Sheet1',
            dimension: `A1:F${LONG_ROWS + 2}`,
            merges: ['A1:F1'],
            rows: (function* () {
              yield* titleAndHeader();
              for (let i = 0; i < LONG_ROWS; i++) yield rowXml(3 + i, mediationCells(i, { s: S.first + i }, i + 1, { s: longIndex }));
            })(),
          },
        ],
        sharedStrings: (function* () {
          yield* FIXED_STRINGS;
          yield* partyStrings(LONG_ROWS);
          yield long;
        })(),
      });
      return { files: 1, bytes, input: `1 xlsx, ${LONG_ROWS.toLocaleString('en')} rows, 纠纷类型 = ${LONG.toLocaleString('en')} characters in each (${mb(bytes)})` };
    },
    check: (input) => readOrFinding(input, LONG_ROWS),
  },
  {
    name: 'csv-200mb',
    title: 'a 200 MB CSV (over the 50 MB limit)',
    oversize: true,
    async generate(inbox) {
      mkdirSync(join(inbox, DEPT), { recursive: true });
      const path = join(inbox, DEPT, '调解台账-200MB.csv');
      const out = createWriteStream(path);
      let bytes = 0;
      const write = async (s: string) => {
        bytes += Buffer.byteLength(s);
        if (!out.write(s)) await once(out, 'drain');
      };
      await write(`\ufeff${MEDIATION_HEADER.join(',')}\n`);
      const iso = (d: number) => new Date(Date.UTC(2020, 0, 1 + d)).toISOString().slice(0, 10);
      let n = 0;
      while (bytes < CSV_BYTES) {
        let batch = '';
        for (let i = 0; i < 10_000; i++, n++) batch += `${n + 1},${iso(n % 300)},张${n + 1}与李${n + 1},邻里纠纷,调解成功,${iso((n % 300) + 5)}\n`;
        await write(batch);
      }
      out.end();
      await once(out, 'close');
      return { files: 1, bytes, input: `1 CSV, ${n.toLocaleString('en')} rows (${mb(bytes)})` };
    },
    async check(input) {
      const stats = await findingStats(input.out, input.year, (f) => f.department === DEPT);
      const told = stats.samples['file.unreadable']?.find((f) => f.file.endsWith('.csv'));
      if (told === undefined) return { ok: false, reason: `no file.unreadable finding for the 200 MB CSV in findings-${input.year}.csv; findings: ${codes(stats)}`, details: { findings: stats.byCode } };
      return { ok: true, reason: `a finding: file.unreadable ${told.message.slice(0, 100)}`, details: { findings: stats.byCode } };
    },
  },
  {
    name: 'unreadable-1m',
    // What findings-1m was before a pasted block became one finding: a flood of findings from one
    // file, here 1,000,000 distinct cases whose 受理日期 no one can read (二月份, no day).
    title: '1,000,000 unreadable dates in one file: every finding stored, the mail small',
    async generate(inbox) {
      mkdirSync(join(inbox, DEPT), { recursive: true });
      const path = join(inbox, DEPT, '调解台账-受理日期只写月份.xlsx');
      const rows = UNREADABLE;
      const bytes = await writeWorkbook(path, {
        sheetCount: 1,
        sheets: [
          {
            name: 'Sheet1',
            dimension: `A1:F${rows + 2}`,
            merges: ['A1:F1'],
            rows: (function* () {
              yield* titleAndHeader();
              for (let i = 0; i < rows; i++) {
                const cells = mediationCells(i, { s: S.first + 1 + i });
                cells[1] = { s: S.first };
                yield rowXml(3 + i, cells);
              }
            })(),
          },
        ],
        sharedStrings: (function* () {
          yield* FIXED_STRINGS;
          yield '二月份';
          yield* partyStrings(rows);
        })(),
      });
      return { files: 1, bytes, input: `1 xlsx, ${rows.toLocaleString('en')} distinct cases, each 受理日期 “二月份” (${mb(bytes)})` };
    },
    // Every case closed in 2020 (调解成功, 结案日期 readable) still counts; each unread date is a
    // cell.type 错误 in findings-<year>.csv, and the 问题清单 summarises them in one line.
    check: (input) =>
      readOrFinding(input, UNREADABLE, async (stats) => {
        const unread = stats.byCode['cell.type'] ?? 0;
        if (unread !== UNREADABLE) return `findings-${input.year}.csv has ${unread.toLocaleString('en')} cell.type lines, expected ${UNREADABLE.toLocaleString('en')}`;
        const report = await peekWorkbook(join(input.out, `report-${input.year}.xlsx`), { 问题清单: { 说明: 'H' } });
        const rows = report.get('问题清单')?.rowCount ?? 0;
        return rows > 1_000 ? `问题清单 has ${rows.toLocaleString('en')} rows: the flood is not summarised` : null;
      }),
  },
  {
    name: 'findings-1m',
    // Once 1,000,000 row.duplicate findings from one file; the copies are one sheet.pasted_block now.
    title: '1,000,000 copied rows in one file: one finding',
    async generate(inbox) {
      mkdirSync(join(inbox, DEPT), { recursive: true });
      const path = join(inbox, DEPT, '调解台账-粘贴1001次.xlsx');
      // One block of 1,000 distinct mediations, pasted 1,001 times (序号 numbered on):
      // 1,000,000 rows repeat the block (one sheet.pasted_block, no row.duplicate).
      const rows = BLOCK * PASTES;
      const bytes = await writeWorkbook(path, {
        sheetCount: 1,
        sheets: [
          {
            name: 'Sheet1',
            dimension: `A1:F${rows + 2}`,
            merges: ['A1:F1'],
            rows: (function* () {
              yield* titleAndHeader();
              for (let i = 0; i < rows; i++) yield rowXml(3 + i, mediationCells(i % BLOCK, { s: S.first + (i % BLOCK) }, i + 1));
            })(),
          },
        ],
        sharedStrings: [...FIXED_STRINGS, ...partyStrings(BLOCK)],
      });
      return { files: 1, bytes, input: `1 xlsx, ${rows.toLocaleString('en')} rows: a block of ${BLOCK.toLocaleString('en')} pasted ${PASTES.toLocaleString('en')} times (${mb(bytes)})` };
    },
    async check(input) {
      const stats = await findingStats(input.out, input.year, (f) => f.department === DEPT);
      const duplicates = stats.byCode['row.duplicate'] ?? 0;
      const pasted = stats.byCode['sheet.pasted_block'] ?? 0;
      const report = await peekWorkbook(join(input.out, `report-${input.year}.xlsx`), { 问题清单: { 说明: 'H' } });
      const list = report.get('问题清单');
      const told = [...(list?.rows.values() ?? [])].map((r) => String(r.get('H') ?? '')).filter((t) => t.includes('又重复粘贴了'));
      const details = { findings: stats.byCode, listRows: list?.rowCount, told: told.slice(0, 2) };
      if (pasted !== 1 || duplicates !== 0) return { ok: false, reason: `findings-${input.year}.csv has ${pasted} sheet.pasted_block and ${duplicates.toLocaleString('en')} row.duplicate lines, expected 1 and 0`, details };
      const expected = `第3–1002行（共1000行）在本工作表中又重复粘贴了${PASTES - 1}次（第1003–${BLOCK * PASTES + 2}行）`;
      if (!told.some((t) => t.startsWith(expected))) return { ok: false, reason: `问题清单 (${list?.rowCount ?? 'absent'} rows) does not say “${expected}”`, details };
      return { ok: true, reason: `${COPIED.toLocaleString('en')} copied rows, one sheet.pasted_block: “${told[0]?.slice(0, 60)}”`, details };
    },
  },
];
