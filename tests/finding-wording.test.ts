/**
 * What a finding tells the clerk is true and can be acted on (sweep D, D9/D11/D12): a 合计 is
 * compared at a cell's precision and its usual cause named (Excel's SUM leaves out numbers stored
 * as text); two rows are "完全相同" only when the cells tally could not read are the same too; the
 * department's mail says 第33行 for a row, not 单元格：33; a backup or a Word document beside
 * the ledgers is named and not read. Whole runs on real workbooks (exceljs, XlsxWriter), each on
 * its own DuckDB file; the mail read back from the outbox's .eml files.
 */
import { describe, expect, it } from 'vitest';
import type { CellInput, SheetSpec } from '../demo/ledger-workbook.ts';
import { day, useScenarios } from './support/scenario.ts';

const scenarios = useScenarios({ outputs: false });

const LEGAL_SERVICE = ['日期', '村居', '服务类别', '人次'];

function serviceSheet(rows: CellInput[][], extra: Partial<SheetSpec> = {}): SheetSpec {
  return { name: '法律服务', title: '安定镇2020年公共法律服务台账', header: LEGAL_SERVICE, rows, ...extra };
}

const justiceOwesLegalService = [{ code: 'justice', owes: ['legal_service'] }];

describe('row.duplicate', () => {
  it('does not call two rows the same when they differ in a cell tally could not read (日期 “2月” and “3月”), and does when those cells are the same', async () => {
    const path = 'justice/法律服务-按月汇总.xlsx';
    const run = await scenarios.run('legal-service-month-labels-in-date-column', {
      roster: justiceOwesLegalService,
      files: {
        [path]: [
          serviceSheet([
            [day(2020, 1, 6), '安定村', '法律咨询', 10],
            ['2月', '全镇', '法律援助咨询', 29],
            ['3月', '全镇', '法律援助咨询', 29],
            ['3月', '全镇', '法律援助咨询', 29],
          ]),
        ],
      },
    });
    // Rows 4, 5, 6: 2月 is no copy of 3月; the second 3月 row is one of the first.
    expect(run.findingsOf('row.duplicate').map((f) => [f.cell, f.message])).toEqual([
      ['6', `此行与 ${path} 法律服务 第5行 完全相同（序号除外），可能重复登记（会被重复计数）。如确是两件事，请在内容上加以区分；否则请删除一行。`],
    ]);
    expect(run.findingsOf('cell.type').map((f) => f.cell)).toEqual(['A4', 'A5', 'A6']);
  });
});
