/**
 * The justice department's 应诉台账 as the rerun tests write it: its header, its case numbers
 * and 2020's dates, and the workbook in the inbox (`justice/应诉台账.xlsx`, one sheet 应诉).
 */
import { join } from 'node:path';
import { writeLedgerWorkbook } from '../../demo/ledger-workbook.ts';

export const LITIGATION_HEADER = ['案号', '案件类别', '收案日期', '案由', '负责人出庭', '出庭负责人', '结果'];

/** A day of 2020 (month 1-12). */
export const day = (m: number, d: number) => new Date(Date.UTC(2020, m - 1, d));

/** The n-th administrative case number of 2020. */
export const caseNo = (n: number) => `（2020）京0115行初${n}号`;

export async function writeLitigation(inbox: string, rows: (string | Date | null)[][]): Promise<void> {
  await writeLedgerWorkbook(join(inbox, 'justice', '应诉台账.xlsx'), [{ name: '应诉', header: LITIGATION_HEADER, rows }]);
}
