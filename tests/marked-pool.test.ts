/**
 * Marked-up copies of many files are made in worker threads (reports/marked/mark-up-pool.ts):
 * each copy is the one made in the main thread, the list comes back in the department's order,
 * and a file that cannot be marked up fails alone.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { finding, type Finding } from '../pipeline/kernel/findings/findings.ts';
import { MARK_FILLS } from '../reports/marked/mark-up-workbook.ts';
import { writeMarkedFiles, type MarkableFile } from '../reports/marked/write-marked-files.ts';

const dir = join(import.meta.dirname, '.tmp', `marked-pool-${randomBytes(4).toString('hex')}`);
const files: MarkableFile[] = [];
const findingsOf = new Map<string, Finding[]>();

beforeAll(async () => {
  await mkdir(join(dir, 'archive'), { recursive: true });
  for (let i = 0; i < 12; i++) {
    const department = i % 2 === 0 ? 'justice' : 'office';
    const path = `${department}/台账${String(12 - i).padStart(2, '0')}.csv`;
    const archivedPath = join(dir, 'archive', `${i}.csv`);
    // The last one is not a CSV exceljs can take: a zip that is no workbook.
    await writeFile(archivedPath, i === 11 ? Buffer.from('PK\u0003\u0004broken') : `序号,日期\n1,2020-01-0${(i % 9) + 1}\n2,不是日期\n`);
    files.push({ department, path, archivedPath, sha256: `h${i}`, size: 100 });
    findingsOf.set(path, [finding('cell.type', { department, file: path, sheet: `台账${String(12 - i).padStart(2, '0')}`, cell: 'B3' }, '日期无法识别')]);
  }
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('marked-up copies in worker threads', () => {
  it('makes every copy, lists them in order, and fails only the file that cannot be loaded', async () => {
    const result = await writeMarkedFiles({
      dir: join(dir, 'marked'),
      files,
      withFindings: new Map(files.map((f) => [f.path, { total: 1, unreadable: false }])),
      findingsOfFiles: (paths) => Promise.resolve(new Map(paths.map((p) => [p, findingsOf.get(p) ?? []]))),
      findingDigests: () => Promise.resolve(new Map(files.map((f) => [f.path, JSON.stringify(findingsOf.get(f.path) ?? [])]))),
      departments: ['justice', 'office'],
    });
    expect(result.skipped.map((s) => s.file)).toEqual([files[11]?.path]);
    const listed = result.files.map((f) => f.file);
    expect(listed).toHaveLength(11);
    for (const department of ['justice', 'office']) {
      const mine = listed.filter((f) => f.startsWith(`${department}/`));
      expect(mine).toEqual([...mine].sort((a, b) => a.localeCompare(b)));
    }
    for (const f of result.files) {
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(f.path);
      const cell = book.worksheets[0]?.getCell('B3');
      expect(cell?.fill).toMatchObject({ fgColor: { argb: MARK_FILLS[findingsOf.get(f.file)?.[0]?.level ?? '错误'] } });
    }
  });
});
