/**
 * A roster (执法人员台账: 姓名 and 执法证号, names only) with a person added under the footer's
 * signatures: the row is not read, as no row under the footer that could be the footer's is, but
 * it is said at its row (row.below_footer), or 持证执法人员 comes out one short and nobody is told.
 * The footer's own lines (a labelled name, a name alone, the unit and the day) are not. Written
 * by openpyxl, read by tally's reader.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractOnlySheet } from './support/extraction.ts';
import { PYTHON, pythonWith } from './support/python.ts';

const dir = join(import.meta.dirname, '.tmp', `roster-below-footer-${randomBytes(4).toString('hex')}`);
const hasOpenpyxl = pythonWith(['openpyxl'], 'the roster-below-footer test of a workbook written by openpyxl');

beforeAll(async () => {
  await mkdir(dir, { recursive: true });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** 执法人员名单: a title, the header, two officers, the footer, then `below`. */
const WRITE = String.raw`
import sys, json, openpyxl
wb = openpyxl.Workbook(); ws = wb.active; ws.title = '执法人员'
ws.append(['安定镇行政执法人员名单'])
ws.append(['序号', '姓名', '执法证号', '单位'])
ws.append([1, '张三', '京执1100001', '综合执法队'])
ws.append([2, '李四', '京执1100002', '综合执法队'])
ws.append(['填报人：王五', None, '审核人：赵六'])
for row in json.loads(sys.argv[2]): ws.append(row)
wb.save(sys.argv[1])
`;

async function roster(name: string, below: (string | number | null)[][]) {
  const path = join(dir, `${name}.xlsx`);
  execFileSync(PYTHON, ['-c', WRITE, path, JSON.stringify(below)]);
  const x = await extractOnlySheet(path, 'enforcement');
  return { names: x.rows.map((r) => r.values['name']), findings: x.findings.map((f) => `${f.code} ${f.cell ?? ''}`) };
}

describe.runIf(hasOpenpyxl)('a roster with a row under its footer', () => {
  it('a person added there (序号, 姓名, 单位; no 执法证号) is said at its row, not lost', async () => {
    const x = await roster('officers-person-added-under-footer', [[3, '周八', null, '综合执法队']]);
    expect(x.names).toEqual(['张三', '李四']);
    expect(x.findings).toEqual(['row.below_footer 6']);
  });

  it('the footer’s own lines are not: a labelled name, a name alone, the unit and the day', async () => {
    const x = await roster('officers-footer-lines', [['制表：', '王五'], [null, '赵六'], [null, '安定镇综合执法队', '2020年12月31日'], [null, '（盖章）']]);
    expect(x.names).toEqual(['张三', '李四']);
    expect(x.findings).toEqual([]);
  });

  it('the names signed under 填报人 | 审核人 | 单位负责人 in cells of their own are the footer’s: not a person, not said', async () => {
    // Under 序号 | 姓名 | 执法证号 the names filled 姓名 and 执法证号: 刘洋 was read as a 4th officer.
    const read = await roster('officers-names-under-footer-labels', [[null, '填报人', '审核人', '单位负责人'], [null, '刘洋', '陈静', '赵刚']]);
    expect(read).toEqual({ names: ['张三', '李四'], findings: [] });
    // From column A (姓名 only): the row was a false row.below_footer.
    const said = await roster('officers-names-under-footer-labels-from-a', [['填报人', '审核人', '单位负责人'], ['刘洋', '陈静', '赵刚']]);
    expect(said).toEqual({ names: ['张三', '李四'], findings: [] });
  });

  it('a footer line that fills 姓名 and 执法证号 is the footer’s: 联系电话 beside a name, the unit with its stamp and day', async () => {
    const x = await roster('officers-phone-and-stamp-lines', [[null, '刘洋', '联系电话', '010-80231234'], [null, '安定镇人民政府', '（盖章）', '2020年12月30日']]);
    expect(x).toEqual({ names: ['张三', '李四'], findings: [] });
  });

  it('a person under the footer with a 备注 in a cell of the row is still read, as every filled row there is', async () => {
    const x = await roster('officers-person-with-note-under-footer', [[3, '周八', '京执1100003', '备注：借调人员']]);
    expect(x).toEqual({ names: ['张三', '李四', '周八'], findings: [] });
  });

  it('a list of its own under the footer (二、协管人员名单 and its people) is neither read nor said', async () => {
    // Each of its people was a row.below_footer 错误 asking to move them above the footer.
    const x = await roster('officers-auxiliary-list-titled-under-footer', [['二、协管人员名单'], [1, '孙七', null, '综合执法队'], [2, '周八', null, '综合执法队']]);
    expect(x).toEqual({ names: ['张三', '李四'], findings: [] });
  });

  it('a list with a header of its own under the footer (序号 | 姓名 | 岗位 | 单位) is not read as officers', async () => {
    // 姓名 | 岗位 filled 姓名 and 执法证号: 姓名 and 孙七 were read as two more officers.
    const x = await roster('officers-auxiliary-list-with-header-under-footer', [['协管人员'], ['序号', '姓名', '岗位', '单位'], [1, '孙七', '协管员', '综合执法队']]);
    expect(x).toEqual({ names: ['张三', '李四'], findings: [] });
  });

  it('a person added right under the labels, beyond their columns, is still said', async () => {
    const x = await roster('officers-person-under-footer-labels', [[null, '填报人', '审核人'], [3, '周八', null, '综合执法队']]);
    expect(x.names).toEqual(['张三', '李四']);
    expect(x.findings).toEqual(['row.below_footer 7']);
  });
});
