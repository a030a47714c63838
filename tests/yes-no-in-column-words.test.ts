/**
 * A yes/no column answered in its own words: in 负责人出庭 clerks write 出庭 or 未出庭 as often as
 * 是 or 否. Read as 是 and 否 (litigation.leader_appearances counts them), not refused as
 * cell.type. Written by exceljs (demo/ledger-workbook.ts), read by tally's reader.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeLedgerWorkbook } from '../demo/ledger-workbook.ts';
import { extractOnlySheet } from './support/extraction.ts';

const dir = join(import.meta.dirname, '.tmp', `yes-no-in-column-words-${randomBytes(4).toString('hex')}`);

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('负责人出庭 answered in its own words', () => {
  it('reads 出庭, 已出庭 as 是 and 未出庭, 不出庭, 没有出庭 as 否; a word it cannot read is still said', async () => {
    const path = join(dir, 'litigation-leader-appeared-in-words.xlsx');
    const answers = ['出庭', '已出庭', '未出庭', '不出庭', '没有出庭', '是', '视频出庭'];
    await writeLedgerWorkbook(path, [
      {
        name: '应诉台账',
        header: ['案号', '案件类别', '收案日期', '申请人/原告', '负责人是否出庭', '出庭负责人', '结果'],
        rows: answers.map((a, i) => [`安复〔2020〕${i + 1}号`, '行政诉讼', new Date(Date.UTC(2020, 2, i + 1)), `原告${i + 1}`, a, null, '维持']),
      },
    ]);
    const x = await extractOnlySheet(path);
    expect(x.rows.map((r) => r.values['leader_appeared'] ?? null)).toEqual([true, true, false, false, false, true, null]);
    // 视频出庭 is no word of the column's: said, not guessed.
    expect(x.findings.map((f) => `${f.code} ${f.cell ?? ''}`)).toEqual(['cell.type E8']);
  });
});
