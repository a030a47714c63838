/**
 * "Excel" files that are not workbooks, as Excel and WPS open them: an HTML table saved as `.xls`
 * (what government systems' export buttons write), an XML Spreadsheet 2003, a tab-separated text
 * named `.xls`. Read by their content, cell by cell as LibreOffice reads them, through the whole
 * pipeline into DuckDB, and safely when hostile.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { queryDatabase } from './support/query-database.ts';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../pipeline/kernel/config/config.ts';
import { runPipeline, type RunSummary } from '../pipeline/run.ts';
import { MESSAGE_HTML_CUT, MESSAGE_HTML_NO_TABLE } from '../sheets/html/html-reader.ts';
import { DEFAULT_LIMITS, UnreadableFileError, address, type RawCell, type RawSheet } from '../sheets/raw-sheet.ts';
import { readFile, streamFile } from '../sheets/read-file.ts';
import { MESSAGE_NOT_A_WORKBOOK, sniffFormat } from '../sheets/sniff-format.ts';
import { parseDate, parseNumber } from '../sheets/values/index.ts';
import { MESSAGE_DOCTYPE } from '../sheets/xlsx-reader.ts';
import { MESSAGE_XML2003_CUT } from '../sheets/xml2003/xml2003-reader.ts';
import { PENALTY_ROWS, STUDY_ROWS, penaltyHtml, studySpreadsheetMl } from './markup-workbooks/fixtures.ts';
import { NO_SOFFICE_REASON, SOFFICE } from './support/libreoffice.ts';
import { writeTownConfig } from './support/town-config.ts';

const dir = join(import.meta.dirname, '.tmp', `markup-workbooks-${randomBytes(4).toString('hex')}`);
const PENALTY = 'penalty-html-table-saved-as-xls.xls';
/** The old-space heap the 48 MB export is read in. */
const HEAP_MB = 48;
const STUDY = 'study-spreadsheetml-2003.xls';

async function write(name: string, bytes: Buffer | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

async function readAll(path: string, limits = DEFAULT_LIMITS): Promise<RawSheet[]> {
  const out: RawSheet[] = [];
  for await (const sheet of readFile(path, limits)) out.push(sheet);
  return out;
}

async function unreadable(path: string): Promise<string> {
  try {
    await readAll(path);
  } catch (error) {
    if (error instanceof UnreadableFileError) return error.message;
    throw error;
  }
  throw new Error(`${path} was read`);
}

/** A sheet's non-empty cells by address. */
function cellsOf(sheet: RawSheet | undefined): Record<string, RawCell> {
  const out: Record<string, RawCell> = {};
  for (const row of sheet?.rows ?? []) row.cells.forEach((c, i) => c !== undefined && (out[address(i, row.rowNumber)] = c));
  return out;
}

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('an HTML table saved as .xls', () => {
  it('reads a GBK export as Excel shows it: its sheet name, the merged title and two-row header, text cells keeping their zeros', async () => {
    const [sheet, ...more] = await readAll(await write(PENALTY, penaltyHtml()));
    expect(more).toEqual([]);
    expect(sheet?.name).toBe('行政处罚案件台账'); // Excel's own <x:Name>
    expect(sheet?.hidden).toBe(false);
    expect(sheet?.merges).toEqual(['A1:I1', 'A2:I2', 'A3:A4', 'B3:B4', 'C3:C4', 'D3:D4', 'E3:F3', 'G3:G4', 'H3:H4', 'I3:I4']);
    const cells = cellsOf(sheet);
    expect(cells['A1']).toEqual({ value: '安定镇2020年行政处罚案件台账' });
    expect([cells['E3'], cells['E4'], cells['F4'], cells['I3']]).toEqual([
      { value: '法制审核' },
      { value: '法制审核日期' },
      { value: '是否重大执法决定' },
      { value: '罚款金额(元)' },
    ]);
    // Text by its class and by its inline mso-number-format:'\@': the zeros stay.
    expect([cells['A5'], cells['A6']]).toEqual([{ value: '0012' }, { value: '0013' }]);
    // Numbers and dates stay as written, for the typing layer; entities decoded; <br> a line break.
    expect([cells['I5'], cells['B6'], cells['C6'], cells['D6'], cells['B7']]).toEqual([
      { value: '1,200' },
      { value: '2020/4/1' },
      { value: '李&王' },
      { value: '违规\n搭建' },
      { value: '2020-13-45' },
    ]);
    expect(cells['G5']).toBeUndefined();
    expect(sheet?.rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('runs and fetches nothing: scripts, styles, links, images and frames are passed over', async () => {
    const requests: string[] = [];
    const server = createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end('<table><tr><td>fetched</td></tr></table>');
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const port = (server.address() as AddressInfo).port;
    try {
      const hostile = penaltyHtml({ scripts: true, charset: 'utf-8' }).toString('utf8').replaceAll('127.0.0.1:9', `127.0.0.1:${port}`);
      const [sheet] = await readAll(await write('penalty-with-scripts.xls', hostile));
      const [plain] = await readAll(await write('penalty-utf8.xls', penaltyHtml({ charset: 'utf-8' })));
      expect(sheet?.rows).toEqual(plain?.rows);
      expect(JSON.stringify(sheet)).not.toMatch(/注入|fetched|steal/);
      await new Promise((done) => setTimeout(done, 200));
      expect(requests).toEqual([]);
    } finally {
      server.close();
    }
  });

  it('names several tables by their caption, else 表1, 表2 …, and reads a table in a cell as that cell’s text', async () => {
    const html = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>导出</title></head><body>
      <h3>标题在表外</h3>
      <table><caption>一月</caption><tr><td>日期</td><td>人次</td></tr><tr><td>2020-01-02</td><td>3</td></tr></table>
      <table><tr><td>外</td><td><table><tr><td>内1</td><td>内2</td></tr><tr><td>内3</td></tr></table></td></tr></table>
      </body></html>`;
    const sheets = await readAll(await write('two-tables.xls', html));
    expect(sheets.map((s) => s.name)).toEqual(['一月', '表2']);
    expect(cellsOf(sheets[0])).toEqual({ A1: { value: '日期' }, B1: { value: '人次' }, A2: { value: '2020-01-02' }, B2: { value: '3' } });
    expect(cellsOf(sheets[1])).toEqual({ A1: { value: '外' }, B1: { value: '内1 内2\n内3' } });
  });

  it('clamps spans as browsers do: a rowspan past the table ends at its last row, a colspan at 1,000', async () => {
    const html = `<table><tr><td rowspan=65534>a</td><td colspan=99999>b</td><td>c</td></tr><tr><td>d</td></tr><tr><td rowspan=0>e</td></tr></table>`;
    const [sheet] = await readAll(await write('spans.xls', html));
    expect(sheet?.merges).toEqual(['A1:A3', `B1:${address(1000, 1)}`, 'A3:A3'].filter((m) => m !== 'A3:A3'));
    expect(cellsOf(sheet)).toEqual({ A1: { value: 'a' }, B1: { value: 'b' }, [address(1001, 1)]: { value: 'c' }, B2: { value: 'd' }, B3: { value: 'e' } });
  });

  it('counts cells past the column limit as truncated, never silently', async () => {
    const html = `<table><tr><td>a</td><td colspan=3>b</td><td>c</td></tr></table>`;
    const [sheet] = await readAll(await write('wide.xls', html), { ...DEFAULT_LIMITS, maxColumns: 3 });
    expect(cellsOf(sheet)).toEqual({ A1: { value: 'a' }, B1: { value: 'b' } });
    expect(sheet?.merges).toEqual(['B1:C1']);
    expect(sheet?.truncated).toEqual({ columns: { limit: 3, cells: 1, first: 'E1' } });
  });

  it('notes a cell holding bytes not valid in the declared encoding, keeping its value', async () => {
    const bytes = Buffer.concat([Buffer.from('<meta charset="utf-8"><table><tr><td>日期</td><td>'), iconv.encode('张三', 'gbk'), Buffer.from('</td></tr></table>')]);
    const sheets: { notes: string[]; value: unknown }[] = [];
    for await (const stream of streamFile(await write('mixed-encoding.xls', bytes))) {
      let value: unknown;
      for await (const rows of stream.rows()) value = rows[0]?.cells[1]?.value;
      sheets.push({ notes: (stream.notes?.() ?? []).map((n) => `${n.code} ${n.cell}`), value });
    }
    expect(sheets).toEqual([{ notes: ['cell.encoding B1'], value: expect.stringContaining('\uFFFD') }]);
  });

  it('refuses a file cut inside its table, and a page with no table', async () => {
    const whole = penaltyHtml();
    expect(await unreadable(await write('penalty-cut.xls', whole.subarray(0, Math.floor(whole.length * 0.7))))).toBe(MESSAGE_HTML_CUT);
    expect(await unreadable(await write('no-table.xls', '<html><body><p>导出失败</p></body></html>'))).toBe(MESSAGE_HTML_NO_TABLE);
  });

  it('reads a 48 MB export in bounded memory, and refuses one over the size limit', async () => {
    const row = (i: number) =>
      `<tr><td class=xl65>${String(i).padStart(6, '0')}</td><td>2020-03-05</td><td>张三</td><td>占道经营</td><td>2020-03-10</td><td>否</td><td></td><td>2020-03-20</td><td x:num>1,200</td></tr>\n`;
    const head = penaltyHtml({ charset: 'utf-8' }).toString('utf8').split('<tr><td class=xl65>0012')[0] ?? '';
    const rowBytes = Buffer.byteLength(row(0));
    const count = Math.floor((48 * 1024 * 1024 - head.length) / rowBytes);
    const path = join(dir, 'big-export.xls');
    const { createWriteStream } = await import('node:fs');
    const out = createWriteStream(path);
    out.write(head);
    for (let i = 0; i < count; i++) if (!out.write(row(i))) await new Promise<void>((done) => out.once('drain', () => done()));
    await new Promise<void>((done) => out.end('</table></body></html>', () => done()));

    // In a process of its own whose heap is far smaller than the file: one that held it whole fails.
    const script = join(import.meta.dirname, 'markup-workbooks', 'read-big.mts');
    const run = spawnSync(process.execPath, [`--max-old-space-size=${HEAP_MB}`, '--import', 'tsx', script, path], { encoding: 'utf8', timeout: 110_000 });
    expect(run.status, run.stderr).toBe(0);
    const took = JSON.parse(run.stdout) as { rows: number; seconds: number; heapPeakMB: number; rssPeakMB: number };
    console.info(`48 MB HTML export: ${count} data rows in ${took.seconds.toFixed(1)} s, heap at most ${took.heapPeakMB.toFixed(0)} MB, RSS ${took.rssPeakMB.toFixed(0)} MB`);
    expect(took.rows).toBe(count + 4);

    const limited = { ...DEFAULT_LIMITS, maxFileBytes: 40 * 1024 * 1024 };
    await expect(readAll(path, limited)).rejects.toThrow(UnreadableFileError);
  }, 120_000);
});

describe('an XML Spreadsheet 2003 saved as .xls', () => {
  it('reads its worksheets by name with ss:Index, merged ranges, typed values and the hidden sheet', async () => {
    const sheets = await readAll(await write(STUDY, studySpreadsheetMl()));
    expect(sheets.map((s) => [s.name, s.hidden])).toEqual([
      ['学法活动', false],
      ['草稿', true],
    ]);
    const [study] = sheets;
    expect(study?.merges).toEqual(['A1:E1']);
    expect(study?.rows.map((r) => r.rowNumber)).toEqual([1, 2, 3, 4, 5, 7, 8]);
    const cells = cellsOf(study);
    expect(cells['A3']).toEqual({ value: new Date(Date.UTC(2020, 0, 16)) });
    expect(cells['E3']).toEqual({ value: 21 });
    expect(cells['D5']).toBeUndefined();
    expect(cells['E5']).toEqual({ value: 58 });
    expect(cells['E8']).toEqual({ value: '若干' });
  });

  it('reads booleans, errors with their formula, rich text, dates by a Number cell’s style, and line breaks', async () => {
    const xml = `<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>
<ss:Workbook xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:html="http://www.w3.org/TR/REC-html40">
<ss:Styles><ss:Style ss:ID="sd"><ss:NumberFormat ss:Format="Short Date"/></ss:Style></ss:Styles>
<ss:Worksheet ss:Name="类型"><ss:Table><ss:Row ss:Hidden="1">
<ss:Cell><ss:Data ss:Type="Boolean">1</ss:Data></ss:Cell>
<ss:Cell ss:Formula="=1/0"><ss:Data ss:Type="Error">#DIV/0!</ss:Data></ss:Cell>
<ss:Cell><ss:Data ss:Type="String" xmlns="http://www.w3.org/TR/REC-html40"><B>粗</B><Font html:Color="#FF0000">红</Font></ss:Data></ss:Cell>
<ss:Cell ss:StyleID="sd"><ss:Data ss:Type="Number">43846</ss:Data></ss:Cell>
<ss:Cell><ss:Data ss:Type="String">第一行&#10;第二行</ss:Data></ss:Cell>
<ss:Cell ss:Index="7"><ss:Data ss:Type="Number">1.5E3</ss:Data></ss:Cell>
</ss:Row></ss:Table></ss:Worksheet></ss:Workbook>`;
    const [sheet] = await readAll(await write('types-2003.xls', xml));
    expect(sheet?.rows).toEqual([
      {
        rowNumber: 1,
        hidden: true,
        cells: [
          { value: true },
          { value: null, error: '#DIV/0!', formula: true },
          { value: '粗红' },
          { value: new Date(Date.UTC(2020, 0, 16)) },
          { value: '第一行\n第二行' },
          undefined,
          { value: 1500 },
        ],
      },
    ]);
  });

  it('refuses a DOCTYPE with entities (billion laughs) before reading a row', async () => {
    expect(await unreadable(await write('study-doctype.xls', studySpreadsheetMl({ doctype: true })))).toBe(MESSAGE_DOCTYPE);
    const external = `<?xml version="1.0"?><!DOCTYPE Workbook [<!ENTITY x SYSTEM "file:///etc/passwd">]><?mso-application progid="Excel.Sheet"?><Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell><Data ss:Type="String">&x;</Data></Cell></Row></Table></Worksheet></Workbook>`;
    expect(await unreadable(await write('external-entity-2003.xls', external))).toBe(MESSAGE_DOCTYPE);
  });

  it('refuses a file cut short, and names the cell whose value its type cannot hold', async () => {
    const whole = studySpreadsheetMl();
    expect(await unreadable(await write('study-cut.xls', whole.subarray(0, Math.floor(whole.length * 0.6))))).toBe(MESSAGE_XML2003_CUT);
    const bad = whole.toString('utf8').replace('<Data ss:Type="Number">65</Data>', '<Data ss:Type="Number">六十五</Data>');
    expect(await unreadable(await write('study-bad-number.xls', bad))).toMatch(/工作表“学法活动”E4 单元格的内容无法识别/);
    const backwards = whole.toString('utf8').replace('<Row ss:Index="8">', '<Row ss:Index="2">');
    expect(await unreadable(await write('study-rows-backwards.xls', backwards))).toMatch(/工作表“学法活动”第 8 行/);
  });
});

describe('judging the format by content, not by the extension', () => {
  const bytes = (s: string) => new TextEncoder().encode(s);
  it('tells HTML, SpreadsheetML and tab-separated text named .xls apart, keeping every other verdict', () => {
    expect(sniffFormat(penaltyHtml(), 'a.xls')).toBe('html');
    expect(sniffFormat(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes('\r\n <TABLE border=1><tr><td>x')]), 'a.xls')).toBe('html');
    expect(sniffFormat(Buffer.from('\ufeff<html><body><table>', 'utf16le'), 'a.xls')).toBe('html');
    expect(sniffFormat(penaltyHtml(), 'renamed.xlsx')).toBe('html');
    expect(sniffFormat(studySpreadsheetMl(), 'a.xls')).toBe('xml2003');
    expect(sniffFormat(iconv.encode('日期\t类别\t主题\r\n2020-01-16\t会前学法\t宪法\r\n', 'gbk'), 'a.xls')).toBe('csv');
    expect(sniffFormat(Buffer.from('\ufeff日期\t类别\r\n', 'utf16le'), 'a.xls')).toBe('csv');
    // Text that is no table keeps its verdict, as does any other XML.
    expect(sniffFormat(bytes('这是一份工作总结，不是表格。\r\n'), 'a.xls')).toEqual({ unreadable: MESSAGE_NOT_A_WORKBOOK });
    expect(sniffFormat(bytes('日期\t类别\r\n'), 'a.xlsx')).toEqual({ unreadable: MESSAGE_NOT_A_WORKBOOK });
    expect(sniffFormat(bytes('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.xls')).toEqual({ unreadable: MESSAGE_NOT_A_WORKBOOK });
    expect(sniffFormat(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0]), 'a.xls')).toBe('xlsx');
    expect(sniffFormat(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'a.xls')).toBe('xls');
  });

  it('reads a GBK tab-separated text named .xls as the CSV reader reads it', async () => {
    const path = await write('legality-review-tab-separated.xls', iconv.encode('送审日期\t审查类别\t事项名称\t审查日期\r\n2020/1/6\t合同\t物业服务合同\t2020/1/9\r\n', 'gbk'));
    const [sheet] = await readAll(path);
    expect(sheet?.name).toBe('legality-review-tab-separated');
    expect(cellsOf(sheet)).toMatchObject({ A1: { value: '送审日期' }, B2: { value: '合同' }, C2: { value: '物业服务合同' }, D2: { value: '2020/1/9' } });
  });
});

/** Converts `files` to xlsx with LibreOffice and reads every cell with openpyxl (values, merges). */
function libreOfficeCells(files: readonly string[], outDir: string): Map<string, { name: string; merges: string[]; cells: Record<string, [string, unknown]> }[]> {
  const profile = mkdtempSync(join(tmpdir(), 'tally-lo-'));
  try {
    const result = spawnSync(
      SOFFICE as string,
      [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--convert-to', 'xlsx', '--outdir', outDir, ...files],
      { encoding: 'utf8', timeout: 180_000 },
    );
    if (result.status !== 0) throw new Error(`soffice failed: ${result.stderr}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const script = `
import json, sys, datetime, openpyxl
out = {}
for f in sys.argv[1:]:
    wb = openpyxl.load_workbook(f, data_only=True)
    sheets = []
    for ws in wb.worksheets:
        cells = {}
        for row in ws.iter_rows():
            for c in row:
                if c.value is None: continue
                v = c.value.strftime('%Y-%m-%d') if isinstance(c.value, datetime.datetime) else c.value
                cells[c.coordinate] = [c.data_type, v]
        sheets.append({'name': ws.title, 'merges': sorted(str(r) for r in ws.merged_cells.ranges), 'cells': cells})
    out[f] = sheets
print(json.dumps(out, ensure_ascii=False))
`;
  const xlsx = files.map((f) => join(outDir, `${f.split('/').pop()?.replace(/\.xls$/, '')}.xlsx`));
  const json = JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, ...xlsx], { encoding: 'utf8' })) as Record<string, { name: string; merges: string[]; cells: Record<string, [string, unknown]> }[]>;
  return new Map(files.map((f, i) => [f, json[xlsx[i] as string] ?? []]));
}

/**
 * Whether tally's cell is LibreOffice's: tally keeps every HTML cell as its text, typed later by
 * the ledger's column as a CSV's is, so a number or date LibreOffice typed is compared with the
 * text read by the typing layer's own parsers.
 */
function sameValue(tally: RawCell | undefined, lo: [string, unknown] | undefined): boolean {
  if (tally === undefined || lo === undefined) return tally === lo;
  const [type, value] = lo;
  const mine = tally.value;
  if (mine instanceof Date) return type === 'd' && mine.toISOString().slice(0, 10) === value;
  if (type === 'n' && typeof mine === 'string') {
    const parsed = parseNumber(mine);
    return parsed.ok && parsed.value === value;
  }
  if (type === 'd' && typeof mine === 'string') {
    const parsed = parseDate(mine, { year: 2020 });
    return parsed.ok && parsed.value?.slice(0, 10) === value;
  }
  return mine === value;
}

if (SOFFICE === undefined) console.warn(`markup workbooks against LibreOffice: ${NO_SOFFICE_REASON}; skipped`);

describe.skipIf(SOFFICE === undefined)('the same files read by LibreOffice', () => {
  it('gives every cell and merged range tally reads, but for the deliberate differences', async () => {
    const out = join(dir, 'lo');
    await mkdir(out, { recursive: true });
    const html = await write('lo-penalty.xls', penaltyHtml({ breaks: false }));
    const xml = await write('lo-study.xls', studySpreadsheetMl());
    const reference = libreOfficeCells([html, xml], out);
    const differences: string[] = [];
    for (const file of [html, xml]) {
      const mine = await readAll(file);
      const theirs = reference.get(file) ?? [];
      expect(theirs.length, file).toBe(mine.length);
      for (const [i, sheet] of mine.entries()) {
        const other = theirs[i];
        if (sheet.name !== other?.name) differences.push(`${file} sheet ${i + 1}: ${sheet.name} / ${other?.name}`);
        expect([...sheet.merges].sort(), `${file} ${sheet.name}`).toEqual(other?.merges);
        const cells = cellsOf(sheet);
        for (const a of new Set([...Object.keys(cells), ...Object.keys(other?.cells ?? {})])) {
          if (!sameValue(cells[a], other?.cells[a])) differences.push(`${sheet.name}!${a}: ${JSON.stringify(cells[a])} / ${JSON.stringify(other?.cells[a])}`);
        }
      }
    }
    expect(differences).toEqual([
      // LibreOffice does not read Excel's worksheet name from the <x:Name> comment: it shows Sheet1.
      `${html} sheet 1: 行政处罚案件台账 / Sheet1`,
    ]);
  }, 180_000);
});

describe('a run over an inbox of such files', () => {
  let summary: RunSummary;
  let dbPath: string;
  beforeAll(async () => {
    const run = join(dir, 'run');
    await mkdir(join(run, 'inbox', 'enforcement'), { recursive: true });
    await mkdir(join(run, 'inbox', 'office'), { recursive: true });
    await writeFile(join(run, 'inbox', 'enforcement', PENALTY), penaltyHtml());
    await writeFile(join(run, 'inbox', 'office', STUDY), studySpreadsheetMl());
    await writeTownConfig(join(run, 'config.json'), {
      district: '大兴区',
      departments: [
        { code: 'enforcement', name: '综合执法队', email: 'zf@anding.example.gov.cn', owes: ['penalty'] },
        { code: 'office', name: '综合保障办', email: 'bz@anding.example.gov.cn', owes: ['study'] },
      ],
    });
    dbPath = join(run, 'tally.duckdb');
    summary = await runPipeline({
      config: loadConfig(join(run, 'config.json')),
      inbox: join(run, 'inbox'),
      out: join(run, 'out'),
      dbPath,
      now: () => new Date(Date.UTC(2021, 0, 10, 2, 0, 0)),
      readTimeoutMs: 60_000,
    });
  }, 120_000);

  const query = (sql: string) => queryDatabase(dbPath, sql);

  it('counts their rows into the figures, with each finding at the cell the clerk sees', async () => {
    const figure = (code: string) => summary.report.indicators.find((i) => i.code === code)?.value;
    expect([figure('enforcement.penalty_reviews'), figure('study.pre_meeting'), figure('study.staff_sessions')]).toEqual([PENALTY_ROWS.length, 2, 3]);
    const findings = summary.report.findings.map((f) => [f.code, f.file, f.sheet, f.cell]);
    expect(findings).toContainEqual(['cell.type', `enforcement/${PENALTY}`, '行政处罚案件台账', 'B7']);
    expect(findings).toContainEqual(['cell.type', `office/${STUDY}`, '学法活动', 'E8']);
    expect(findings.filter(([code]) => code === 'file.unreadable' || code === 'dept.missing_submission')).toEqual([]);
    expect(summary.report.submissions.filter((s) => s.status === '已报').map((s) => [s.departmentCode, s.ledgerId, s.rows])).toEqual(
      expect.arrayContaining([
        ['enforcement', 'penalty', PENALTY_ROWS.length],
        ['office', 'study', STUDY_ROWS.length],
      ]),
    );
  });

  it('stores the values typed, the case numbers with their zeros, in the DuckDB file', async () => {
    const rows = await query(`select row_no, case_no, cast(filed_on as varchar) as filed_on, cause, fine from ledger_penalty order by row_no`);
    expect(rows.map((r) => [r['row_no'], r['case_no'], r['filed_on'], r['cause'], r['fine']])).toEqual([
      [5, '0012', '2020-03-05', '占道经营', 1200],
      [6, '0013', '2020-04-01', '违规 搭建', 5000],
      [7, '0014', null, '噪声扰民', 800],
      [8, '0015', '2020-06-02', '无照经营', 3000],
      [9, '0016', '2020-07-01', '乱倒垃圾', 200],
    ]);
  });
});
