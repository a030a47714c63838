/**
 * A town figure without a value is asked for as what it is: 缺报 when a ledger never came, 无法统计
 * when the ledgers came and the town could not count them (a sheet lacks a column the figure
 * needs; the town's report says 有错误). Both for a town that exports Parquet and for one that
 * sends only its report workbook; neither is ever counted as 0. The district demo's towns
 * (demo/district/), with one figure of each made 无法统计 as their own runs would write it.
 */
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDistrictDemo, type DistrictDemo } from '../demo/district/district-demo.ts';
import { loadDistrictConfig } from '../pipeline/district/district-config.ts';
import { partitionDir, PART_FILE } from '../pipeline/district/parquet-layout.ts';
import { runDistrict, type DistrictRunResult } from '../pipeline/district/run-district.ts';
import { DISTRICT_SHEETS, TOTAL_LABEL } from '../reports/district/write-district-workbook.ts';
import { ROOT } from './support/cli.ts';

const EXPORTED = '安定镇';
const WORKBOOK = '礼贤镇';
/** Made 无法统计 in each town: 法律咨询 in the exported town, 执法公示 in the workbook. */
const UNCOUNTED = { [EXPORTED]: 'service.consultations', [WORKBOOK]: 'enforcement.disclosures' } as const;

/** 礼贤镇's 数值 typed as text in its workbook: what the district reads of each (null: 无法读取). */
const TYPED: Record<string, { text: string; read: number | null }> = {
  'service.hotline_consultations': { text: '412人次', read: 412 },
  'publicity.online_views': { text: '1.53万', read: 15_300 },
  'service.aid_cases': { text: '十来件', read: null },
};

describe('a district whose towns could not count a figure', () => {
  const dir = join(ROOT, 'tests', '.tmp', `district-unknown-${process.pid}`);
  let demo: DistrictDemo;
  let result: DistrictRunResult;
  const cells = new Map<string, Map<string, unknown>>();

  beforeAll(async () => {
    demo = await generateDistrictDemo(dir, { towns: [EXPORTED, WORKBOOK] });
    // The exported town: its figure as a run stores one it could not count (value null, 有错误).
    const figures = join(partitionDir(join(demo.inbox, EXPORTED), 'figures', 2020, EXPORTED), PART_FILE);
    const db = await DuckDBInstance.create(':memory:');
    const connection = await db.connect();
    await connection.run(
      `copy (select * replace (case when code = $code then null else value end as value,
                               case when code = $code then '有错误' else status end as status,
                               case when code = $code then '无法统计' else wording end as wording)
             from read_parquet($from)) to '${figures}.new' (format parquet)`,
      { code: UNCOUNTED[EXPORTED], from: figures },
    );
    connection.closeSync();
    db.closeSync();
    await rename(`${figures}.new`, figures);
    // The workbook town: its 指标汇总 row as tally's report writes it (数值 empty, 无法统计, 有错误).
    const path = join(demo.inbox, WORKBOOK, 'report-2020.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(path);
    wb.getWorksheet('指标汇总')?.eachRow((row) => {
      const code = row.getCell(2).value;
      if (code === UNCOUNTED[WORKBOOK]) {
        row.getCell(5).value = null;
        row.getCell(7).value = '无法统计';
        row.getCell(9).value = '有错误';
      }
      // As a town filling its workbook by hand types them.
      const typed = TYPED[String(code)];
      if (typed !== undefined) row.getCell(5).value = typed.text;
    });
    await wb.xlsx.writeFile(path);
    result = await runDistrict({ config: loadDistrictConfig(demo.configFile), inbox: demo.inbox, out: join(dir, 'out'), year: 2020, now: new Date('2021-02-01T00:00:00Z') });
    const read = new ExcelJS.Workbook();
    await read.xlsx.readFile(result.workbook);
    const sheet = read.getWorksheet(DISTRICT_SHEETS.towns);
    if (sheet === undefined) throw new Error('no 各街镇指标');
    const codes = (sheet.getRow(2).values as unknown[]).slice(4).map(String);
    sheet.eachRow((row, n) => {
      if (n <= 2) return;
      const values = (row.values as unknown[]).slice(1);
      cells.set(String(values[1]), new Map(codes.map((c, i) => [c, values[3 + i] ?? null])));
    });
  }, 300_000);
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('shows 无法统计, not 缺报, where the town’s ledgers came but could not be counted', () => {
    expect(cells.get(EXPORTED)?.get(UNCOUNTED[EXPORTED])).toBe('无法统计');
    expect(cells.get(WORKBOOK)?.get(UNCOUNTED[WORKBOOK])).toBe('无法统计');
  });

  it('reads a 数值 typed as text as tally reads a ledger’s number, and says one that is no number (无法读取)', () => {
    for (const [code, { read }] of Object.entries(TYPED)) expect(cells.get(WORKBOOK)?.get(code), code).toBe(read ?? '无法读取');
    const mail = result.mails.find((m) => m.town === WORKBOOK)?.text ?? '';
    expect(mail).toMatch(/以下指标的数值无法读取或不是确切数字[^\n]*（“十来件”）/);
  });

  it('leaves both out of the district total, never as 0', () => {
    for (const [town, code] of Object.entries(UNCOUNTED)) {
      const other = town === EXPORTED ? WORKBOOK : EXPORTED;
      const theirs = cells.get(other)?.get(code);
      expect(typeof theirs, `${other} ${code}`).toBe('number');
      expect(cells.get(TOTAL_LABEL)?.get(code), code).toBe(theirs);
    }
  });

  it('asks each town for what it lacks in its own words', () => {
    const mails = [EXPORTED, WORKBOOK].map((town) => {
      const mail = result.mails.find((m) => m.town === town);
      if (mail === undefined) throw new Error(`no mail to ${town}`);
      return { town, text: mail.text };
    });
    for (const { town, text } of mails) {
      expect(text, town).toMatch(/以下指标无法统计（台账已报送，但缺少统计所需的列/);
      const line = text.split('\n').find((l) => l.includes('以下指标缺报')) ?? '';
      expect(line, town).not.toContain(town === EXPORTED ? '法律咨询' : '执法公示');
    }

  });
});
