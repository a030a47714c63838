/**
 * The "since the last notice" part of a department's mail (issue 4, point 5): per file, the
 * cells changed (old → new), rows added and removed, then the findings fixed and the new ones.
 * Pure: the mail composer renders the blocks as text lines and as HTML tables.
 */
import type { DepartmentChanges, FileChange } from './changes.ts';
import type { Finding } from '../../kernel/findings/findings.ts';
import { placeCell } from './mail-wording.ts';

export interface ChangeBlock {
  readonly title: string;
  readonly headers: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** The plain-text line of each row, same order. */
  readonly lines: readonly string[];
  /** `另有 12 处改动未列出。` when the lists were capped. */
  readonly more: string | null;
}

const EMPTY = '（空）';

export function changesHeading(when: string): string {
  return `自上次通知（${when}）以来的变化：`;
}

export function changeBlocks(c: DepartmentChanges): ChangeBlock[] {
  const blocks: ChangeBlock[] = c.files.map(fileBlock);
  const { fixed, appeared } = c.findingTotals;
  if (fixed > 0) blocks.push(findingBlock(`已改正的问题（${fixed}个）`, '✓', c.fixed, fixed));
  if (appeared > 0) blocks.push(findingBlock(`新出现的问题（${appeared}个）`, '✗', c.appeared, appeared));
  return blocks;
}

function fileBlock(f: FileChange): ChangeBlock {
  const headers = ['工作表', '单元格', '栏目', '原值', '新值'];
  if (f.kind === 'new') return { title: `新报送文件 ${f.file}（第${f.toVersion ?? 1}版）`, headers, rows: [], lines: [], more: null };
  if (f.kind === 'withdrawn') return { title: `已撤回文件 ${f.file}（原第${f.fromVersion ?? 1}版）`, headers, rows: [], lines: [], more: null };
  if (f.uncompared !== undefined) {
    const { before, after } = f.uncompared;
    const title = `文件 ${f.file}：第${f.fromVersion}版（${before.toLocaleString('en-US')} 行）→ 第${f.toVersion}版（${after.toLocaleString('en-US')} 行），行数较多，未逐行比较`;
    return { title, headers, rows: [], lines: [], more: null };
  }
  const { totals } = f;
  const counts = [
    totals.cells > 0 ? `修改${totals.cells}处` : '',
    totals.added > 0 ? `新增${totals.added}行` : '',
    totals.removed > 0 ? `删除${totals.removed}行` : '',
  ].filter((s) => s !== '');
  const title = `文件 ${f.file}：第${f.fromVersion}版 → 第${f.toVersion}版（${counts.length === 0 ? '台账数据无变化' : counts.join('，')}）`;
  const rows: string[][] = [
    ...f.cells.map((x) => [x.sheet, x.cell, x.field, x.before ?? EMPTY, x.after ?? EMPTY]),
    ...f.added.map((x) => [x.sheet, `第${x.row}行`, '新增行', '', x.text]),
    ...f.removed.map((x) => [x.sheet, `原第${x.row}行`, '删除行', x.text, '']),
  ];
  const lines = [
    ...f.cells.map((x) => `${x.sheet}!${x.cell} ${x.field}：${x.before ?? EMPTY} → ${x.after ?? EMPTY}`),
    ...f.added.map((x) => `${x.sheet} 第${x.row}行 新增：${x.text}`),
    ...f.removed.map((x) => `${x.sheet} 原第${x.row}行 删除：${x.text}`),
  ];
  const rest = totals.cells - f.cells.length + (totals.added - f.added.length) + (totals.removed - f.removed.length);
  return { title, headers, rows, lines, more: rest > 0 ? `另有 ${rest} 处改动未列出。` : null };
}

function findingBlock(title: string, mark: string, findings: readonly Finding[], total: number): ChangeBlock {
  return {
    title,
    headers: ['级别', '文件', '工作表', '位置', '说明'],
    rows: findings.map((f) => [f.level, f.file ?? '—', f.sheet ?? '—', placeCell(f.cell) || '—', f.message]),
    // Not the 【级别】文件：… form of the findings list, so the two are never mistaken for each other.
    lines: findings.map((f) => `${mark} ${f.level} ${[f.file, f.sheet, f.cell === null ? null : placeCell(f.cell)].filter((x) => x !== null).join(' ') || '—'}：${f.message}`),
    more: total > findings.length ? `另有 ${(total - findings.length).toLocaleString('en-US')} 个未列出，见完整问题清单。` : null,
  };
}
