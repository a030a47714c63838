/**
 * The demo inbox, read back with exceljs and iconv-lite (not with the pipeline): every owed
 * ledger is there, laid out as clerks lay them out, each planted mistake sits at the cell the
 * manifest names, and the same inbox comes out every time.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDemoInbox } from '../demo/demo-inbox.ts';
import type { DemoManifest } from '../demo/demo-inbox.ts';
import { a1, layoutOf, writeCsv, writeLedgerWorkbook } from '../demo/ledger-workbook.ts';
import type { SheetSpec } from '../demo/ledger-workbook.ts';
import roster from '../config/demo.json' with { type: 'json' };
import ledgerDefs from '../packs/anding-2020/ledgers.json' with { type: 'json' };

const root = join(import.meta.dirname, '.tmp', `demo-${randomUUID().slice(0, 8)}`);
const inbox = join(root, 'inbox');
const again = join(root, 'again');
let manifest: DemoManifest;
let manifestAgain: DemoManifest;

beforeAll(async () => {
  await mkdir(root, { recursive: true });
  manifest = await generateDemoInbox(inbox);
  manifestAgain = await generateDemoInbox(again);
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

// ------------------------------------------------------------------ helpers

const books = new Map<string, Promise<ExcelJS.Workbook>>();
function workbook(department: string, file: string): Promise<ExcelJS.Workbook> {
  const path = join(inbox, department, file);
  let wb = books.get(path);
  if (!wb) {
    const fresh = new ExcelJS.Workbook();
    wb = fresh.xlsx.readFile(path).then(() => fresh);
    books.set(path, wb);
  }
  return wb;
}
async function sheet(department: string, file: string, name: string): Promise<ExcelJS.Worksheet> {
  const ws = (await workbook(department, file)).getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name} in ${file}`);
  return ws;
}

/** A cell's value as plain text (rich text joined; a formula's cached result). */
function text(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value !== 'object') return String(value);
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('error' in value) return value.error;
  if ('formula' in value || 'sharedFormula' in value) return text(value.result as ExcelJS.CellValue);
  if ('text' in value) return value.text;
  return '';
}

/** Header matching as the contract describes it: no spaces or line breaks, NFKC, one kind of bracket, no `*`. */
const fold = (s: string) => s.normalize('NFKC').replace(/\s+/g, '').replace(/[（［【〔]/g, '(').replace(/[）］】〕]/g, ')').replace(/\*/g, '');

/** 1-based column whose header (within the first rows) folds to one of the labels. */
function columnOf(ws: ExcelJS.Worksheet, ...labels: string[]): number {
  const wanted = labels.map(fold);
  for (let r = 1; r <= 6; r++) {
    const row = ws.getRow(r);
    for (let c = 1; c <= ws.columnCount; c++) {
      if (wanted.includes(fold(text(row.getCell(c).value)))) return c;
    }
  }
  throw new Error(`no column ${labels.join('/')} in ${ws.name}`);
}

/** The dates the demo writes, in all their forms, to a UTC date (year 2020 for `3月5日`). */
function dateOf(value: ExcelJS.CellValue): Date | null {
  if (value instanceof Date) return value;
  const s = text(value);
  const m = /^(\d{4})[./\-年](\d{1,2})[./\-月](\d{1,2})日?$/.exec(s) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(s);
  if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  const md = /^(\d{1,2})月(\d{1,2})日$/.exec(s);
  return md ? new Date(Date.UTC(2020, Number(md[1]) - 1, Number(md[2]))) : null;
}

function planted(code: string, department?: string) {
  const found = manifest.planted.filter((p) => p.code === code && (department === undefined || p.department === department));
  if (found.length === 0) throw new Error(`nothing planted for ${code}`);
  return found;
}
function cellAt(ws: ExcelJS.Worksheet, address: string | null): ExcelJS.Cell {
  if (address === null) throw new Error('planted without a cell');
  return ws.getCell(address);
}

// Where each owed ledger lies in the demo: department → ledger → [file, sheet].
const WHERE: Record<string, Record<string, [string, string][]>> = {
  enforcement: {
    disclosure: ['一季度', '二季度', '三季度', '四季度'].map((s) => ['2020年执法公示台账（终稿）.xlsx', s]),
    penalty: [['行政处罚案件台账2020.xlsx', 'Sheet1']],
    officers: [['执法人员名单.xlsx', 'Sheet1']],
    publicity: [['2020年普法宣传活动统计.xlsx', 'Sheet1']],
  },
  justice: {
    litigation: [['行政复议应诉案件台账.xlsx', '2020年']],
    mediation: [['司法所台账汇总.xlsx', '人民调解']],
    legal_aid: [['司法所台账汇总.xlsx', '法律援助']],
    legal_service: [['公共法律服务台账.csv', '']],
    honors: [['法治创建台账.xlsx', 'Sheet1']],
    publicity: [['司法所普法宣传台账.xlsx', '普法宣传']],
  },
  counsel: { legality_review: [['法律顾问合法性审查台账2020.xlsx', 'Sheet1']] },
  office: {
    normative_docs: [['规范性文件台账.xlsx', 'Sheet1']],
    study: [['学法活动台账.xlsx', '学法记录']],
    summary: [['2020年法治政府建设统计表.xlsx', '统计表']],
    publicity: [['综合保障办普法宣传台账.xlsx', 'Sheet1']],
  },
};

async function csvLines(): Promise<string[][]> {
  const bytes = await readFile(join(inbox, 'justice', '公共法律服务台账.csv'));
  return iconv.decode(bytes, 'gb18030').trimEnd().split('\r\n').map((l) => l.split(','));
}

// ------------------------------------------------------------------ the inbox as a whole

describe('the demo inbox', () => {
  it('has a folder for every department on the roster and every ledger each owes', async () => {
    for (const dept of roster.departments) {
      expect((await stat(join(inbox, dept.code))).isDirectory()).toBe(true);
      for (const ledgerId of dept.owes) {
        const places = WHERE[dept.code]?.[ledgerId];
        expect(places, `${dept.code} owes ${ledgerId}`).toBeDefined();
        const ledger = ledgerDefs.ledgers.find((l) => l.id === ledgerId);
        if (!ledger || !places) throw new Error(`unknown ledger ${ledgerId}`);
        for (const [file, sheetName] of places) {
          expect(manifest.files).toContain(`${dept.code}/${file}`);
          // Every required field's header (or an alias) is in the header rows.
          const headers = file.endsWith('.csv')
            ? ((await csvLines())[0] ?? [])
            : await sheet(dept.code, file, sheetName).then((ws) => {
                const labels: string[] = [];
                for (let r = 1; r <= 6; r++) ws.getRow(r).eachCell((c) => labels.push(text(c.value)));
                return labels;
              });
          const folded = headers.map(fold);
          for (const field of ledger.fields.filter((f) => 'required' in f && f.required)) {
            const aliases: readonly string[] = 'aliases' in field && field.aliases ? field.aliases : [];
            const names = [field.header, ...aliases].map(fold);
            expect(names.some((n) => folded.includes(n)), `${file}/${sheetName}: ${field.header}`).toBe(true);
          }
        }
      }
    }
  });

  it('lists the 20 indicators of the report with the 2020 figures', () => {
    expect(Object.keys(manifest.expected)).toHaveLength(20);
    expect(manifest.expected).toMatchObject({
      'enforcement.disclosures': 283,
      'enforcement.penalty_reviews': 206,
      'decision.normative_docs': 0,
      'litigation.total': 35,
      'litigation.leader_appearances': 15,
      'service.consultations': 1236,
      'service.disputes_resolved': 131,
      'publicity.events': 234,
    });
  });

  it('splits the disclosures over four quarter sheets whose 2020 rows add up to 283', async () => {
    const wb = await workbook('enforcement', '2020年执法公示台账（终稿）.xlsx');
    expect(wb.worksheets.map((w) => w.name)).toEqual(['一季度', '二季度', '三季度', '四季度']);
    let rows2020 = 0;
    for (const ws of wb.worksheets) {
      const dateCol = columnOf(ws, '公示日期', '公示时间', '日期');
      const kindCol = columnOf(ws, '公示类别');
      expect(ws.getColumn(6).hidden, '备注 column hidden').toBe(true);
      ws.eachRow((row, r) => {
        if (r <= 3) return;
        const date = dateOf(row.getCell(dateCol).value);
        if (date?.getUTCFullYear() === 2020 && text(row.getCell(kindCol).value) !== '') rows2020 += 1;
      });
    }
    expect(rows2020).toBe(283);
  });

  it('writes the 公共法律服务 CSV in GB18030, whose 人次 add up to 1236 and 156', async () => {
    const bytes = await readFile(join(inbox, 'justice', '公共法律服务台账.csv'));
    expect(new TextDecoder('utf-8', { fatal: false }).decode(bytes)).not.toContain('服务日期');
    const lines = await csvLines();
    expect(lines[0]).toEqual(['服务日期', '村居', '服务类别', '人次']);
    const sums: Record<string, number> = {};
    for (const [date, , category, visits] of lines.slice(1)) {
      if (date === '合计' || category === undefined || visits === undefined) continue;
      const kind = category === '法援咨询' ? '法律援助咨询' : category;
      sums[kind] = (sums[kind] ?? 0) + Number(visits.normalize('NFKC').replace('人次', ''));
    }
    expect(sums).toEqual({ 法律咨询: 1236, 法律援助咨询: 156 });
    expect(lines.some((l) => /人次$/.test(l[3] ?? ''))).toBe(true);
    expect(lines.some((l) => /[０-９]/.test(l[3] ?? ''))).toBe(true);
  });

  it('merges the title across all columns and builds two-level headers', async () => {
    const penalty = await sheet('enforcement', '行政处罚案件台账2020.xlsx', 'Sheet1');
    expect(text(penalty.getCell('A1').value)).toBe('安定镇综合执法队2020年行政处罚案件台账');
    expect(penalty.model.merges).toEqual(expect.arrayContaining(['A1:J1', 'F2:H2', 'A2:A3', 'J2:J3']));
    expect(text(penalty.getCell('F2').value)).toBe('法制审核');
    expect(text(penalty.getCell('F3').value)).toBe('审核日期');

    const litigation = await sheet('justice', '行政复议应诉案件台账.xlsx', '2020年');
    expect(litigation.model.merges).toEqual(expect.arrayContaining(['A1:L1', 'H3:I3', 'B3:B4']));
    expect([text(litigation.getCell('H3').value), text(litigation.getCell('H4').value), text(litigation.getCell('I4').value)]).toEqual(['出庭情况', '负责人出庭', '出庭负责人']);
    expect(text(litigation.getCell('A2').value)).toMatch(/^填报单位/);

    const disclosure = await sheet('enforcement', '2020年执法公示台账（终稿）.xlsx', '一季度');
    expect(text(disclosure.getCell('A1').value)).toBe('安定镇2020年度执法公示台账');
    expect(disclosure.model.merges).toContain('A1:F1');
  });

  it('puts the mediation 合计 row on top of 131 调解成功 rows closed in 2020', async () => {
    const ws = await sheet('justice', '司法所台账汇总.xlsx', '人民调解');
    expect(text(ws.getCell('A4').value)).toBe('合计');
    const resultCol = columnOf(ws, '调解结果');
    const closedCol = columnOf(ws, '结案日期');
    let resolved = 0;
    ws.eachRow((row, r) => {
      if (r <= 4) return;
      const result = text(row.getCell(resultCol).value);
      if ((result === '调解成功' || result === '成功') && dateOf(row.getCell(closedCol).value)?.getUTCFullYear() === 2020) resolved += 1;
    });
    expect(resolved).toBe(131);
  });

  it('submits the normative_docs ledger with a header and no data rows', async () => {
    const ws = await sheet('office', '规范性文件台账.xlsx', 'Sheet1');
    expect(text(ws.getCell('B3').value)).toBe('文号');
    expect(text(ws.getCell('A4').value)).toMatch(/^注：/);
    expect(ws.actualRowCount).toBe(4); // title, 填报单位, header, 注
  });

  it('has a 栏次 row under the legality review header', async () => {
    const ws = await sheet('counsel', '法律顾问合法性审查台账2020.xlsx', 'Sheet1');
    expect([1, 2, 3, 4, 5, 6, 7].map((c) => ws.getRow(4).getCell(c).value)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});

// ------------------------------------------------------------------ planted mistakes

describe('each planted mistake sits at the cell the manifest names', () => {
  it('cell.out_of_period: a disclosure dated 2019-12-28', async () => {
    const [p] = planted('cell.out_of_period');
    if (!p) throw new Error('unreachable');
    const ws = await sheet(p.department, p.file, p.sheet);
    expect(cellAt(ws, p.cell).value).toEqual(new Date(Date.UTC(2019, 11, 28)));
  });

  it('cell.enum: a 公示类别 written 其它', async () => {
    const [p] = planted('cell.enum');
    if (!p) throw new Error('unreachable');
    const ws = await sheet(p.department, p.file, p.sheet);
    const cell = cellAt(ws, p.cell);
    expect(cell.value).toBe('其它');
    expect(cell.col).toBe(columnOf(ws, '公示类别'));
  });

  it('row.duplicate_key: a 案件编号 entered twice, the second time without a review date', async () => {
    const [p] = planted('row.duplicate_key');
    if (!p) throw new Error('unreachable');
    const ws = await sheet(p.department, p.file, p.sheet);
    const cell = cellAt(ws, p.cell);
    const key = text(cell.value);
    const col = Number(cell.col);
    const rows: number[] = [];
    ws.eachRow((row, r) => {
      if (text(row.getCell(col).value) === key) rows.push(r);
    });
    expect(rows).toHaveLength(2);
    expect(rows).toContain(Number(cell.row));
    expect(ws.getRow(Number(cell.row)).getCell(columnOf(ws, '审核日期')).value).toBeNull();
  });

  it('row.rule: 负责人出庭 是 with 出庭负责人 empty on a 行政诉讼 row', async () => {
    const [p] = planted('row.rule');
    if (!p) throw new Error('unreachable');
    const ws = await sheet(p.department, p.file, p.sheet);
    const cell = cellAt(ws, p.cell);
    expect(cell.value).toBeNull();
    expect(cell.col).toBe(columnOf(ws, '出庭负责人'));
    const row = ws.getRow(Number(cell.row));
    expect(row.getCell(columnOf(ws, '负责人出庭')).value).toBe('是');
    expect(['诉讼', '行政诉讼']).toContain(row.getCell(columnOf(ws, '案件类别')).value);
  });

  it('row.date_order: 审查日期 before 送审日期', async () => {
    const [p] = planted('row.date_order');
    if (!p) throw new Error('unreachable');
    const ws = await sheet(p.department, p.file, p.sheet);
    const cell = cellAt(ws, p.cell);
    expect(cell.col).toBe(columnOf(ws, '审查日期'));
    const submitted = ws.getRow(Number(cell.row)).getCell(columnOf(ws, '送审日期')).value;
    expect(cell.value).toBeInstanceOf(Date);
    expect(submitted).toBeInstanceOf(Date);
    expect((cell.value as Date).getTime()).toBeLessThan((submitted as Date).getTime());
  });

  it('cell.formula_error: a 标的额 formula whose cached value is #DIV/0!', async () => {
    const [p] = planted('cell.formula_error');
    if (!p) throw new Error('unreachable');
    const ws = await sheet(p.department, p.file, p.sheet);
    const cell = cellAt(ws, p.cell);
    expect(cell.col).toBe(columnOf(ws, '标的额(万元)'));
    expect(cell.formula).toBeTruthy();
    expect(cell.result).toEqual({ error: '#DIV/0!' });
  });

  it('publicity.cross_department_duplicate: the same date and activity in two departments', async () => {
    const found = planted('publicity.cross_department_duplicate');
    expect(found.map((p) => p.department).sort()).toEqual(['enforcement', 'justice']);
    const seen: string[] = [];
    for (const p of found) {
      const ws = await sheet(p.department, p.file, p.sheet);
      const cell = cellAt(ws, p.cell);
      expect(cell.col).toBe(columnOf(ws, '活动名称'));
      const date = dateOf(ws.getRow(Number(cell.row)).getCell(columnOf(ws, '日期', '活动日期')).value);
      seen.push(`${date?.toISOString().slice(0, 10)}|${text(cell.value)}`);
    }
    expect(seen[0]).toBe('2020-12-04|“12·4”国家宪法日集中宣传活动');
    expect(seen[1]).toBe(seen[0]);
  });

  it('sheet.total_mismatch: the CSV 合计 row says 1400 人次 where the rows add up to 1392', async () => {
    const [p] = planted('sheet.total_mismatch');
    if (!p?.cell) throw new Error('unreachable');
    const line = (await csvLines())[Number(p.cell.slice(1)) - 1];
    expect(line?.[0]).toBe('合计');
    expect(line?.[3]).toBe('1400');
  });

  it('indicator.self_reported_mismatch: the summary claims 240 法治宣传活动', async () => {
    const [p] = planted('indicator.self_reported_mismatch');
    if (!p) throw new Error('unreachable');
    const ws = await sheet(p.department, p.file, p.sheet);
    const cell = cellAt(ws, p.cell);
    expect(cell.value).toBe(240);
    expect(ws.getRow(Number(cell.row)).getCell(columnOf(ws, '指标名称')).value).toBe('法治宣传活动');
  });

  it('sheet.unrecognized: a Sheet3 of notes beside the summary', async () => {
    const [p] = planted('sheet.unrecognized');
    if (!p) throw new Error('unreachable');
    const ws = await sheet(p.department, p.file, p.sheet);
    expect(ws.actualRowCount).toBeGreaterThan(1);
  });
});

describe('determinism', () => {
  it('generates the same manifest and the same CSV bytes twice', async () => {
    expect(manifestAgain).toEqual(manifest);
    const a = await readFile(join(inbox, 'justice', '公共法律服务台账.csv'));
    const b = await readFile(join(again, 'justice', '公共法律服务台账.csv'));
    expect(a.equals(b)).toBe(true);
  });
});

// ------------------------------------------------------------------ the builder

describe('layoutOf', () => {
  const spec: SheetSpec = {
    name: '台账',
    title: '安定镇2020年行政复议应诉案件台账',
    preamble: [['填报单位：安定镇司法所', null, null, '填报日期：2021年1月6日']],
    header: ['案号', '案件类别', { group: '出庭情况', children: ['负责人出庭', '出庭负责人'] }, '结案日期'],
    columnNumbers: true,
    total: { position: 'top', cells: ['合计', '共2件'] },
    rows: [
      ['（2020）京0115行初101号', '诉讼', '是', '王建华', new Date(Date.UTC(2020, 4, 6))],
      [],
      ['（2020）京0115行初115号', '行政诉讼', '否', null, null],
    ],
    notes: ['填报人：刘敏'],
  };

  it('addresses a two-level header under a title and a 填报单位 row, with a 栏次 and a 合计 row', () => {
    const layout = layoutOf(spec);
    expect(layout.headerRows).toEqual([3, 4]);
    expect(layout.totalRow).toBe(6);
    expect(layout.firstDataRow).toBe(7);
    expect(layout.rowOfData(2)).toBe(9);
    expect(layout.noteRows).toEqual([10]);
    expect(layout.columnOf('出庭负责人')).toBe(4);
    expect(a1(layout.columnOf('结案日期'), layout.rowOfData(0))).toBe('E7');
  });

  it('writes each value where the layout says', async () => {
    const path = join(root, 'layout.xlsx');
    await writeLedgerWorkbook(path, [spec]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    const ws = wb.getWorksheet('台账');
    if (!ws) throw new Error('sheet missing');
    expect(ws.getCell('D7').value).toBe('王建华');
    expect(ws.getCell('E7').value).toEqual(new Date(Date.UTC(2020, 4, 6)));
    expect(ws.getCell('E7').numFmt).toMatch(/y/);
    expect([1, 2, 3, 4, 5].map((c) => ws.getRow(5).getCell(c).value)).toEqual([1, 2, 3, 4, 5]);
    expect(ws.getCell('A6').value).toBe('合计');
    expect(ws.getCell('A10').value).toBe('填报人：刘敏');
    expect(ws.model.merges).toEqual(expect.arrayContaining(['A1:E1', 'C3:D3', 'A3:A4', 'E3:E4', 'A10:E10']));
  });

  it('quotes CSV fields holding commas, quotes and line breaks', async () => {
    const path = join(root, 'quoted.csv');
    await writeCsv(path, [['名称', '说明'], ['宣传,讲座', '他说"好"'], ['两行', '第一行\n第二行']], { encoding: 'utf-8-bom' });
    const s = (await readFile(path)).toString('utf8');
    expect(s).toBe('\ufeff名称,说明\r\n"宣传,讲座","他说""好"""\r\n两行,"第一行\n第二行"\r\n');
  });
});
