/**
 * A note on a cell's value (sheets/values/value-note.ts) as a finding at that cell, in plain
 * Chinese: what was written, what was counted, what to write instead.
 */
import { finding, type CheckCode, type Finding } from '../pipeline/kernel/findings/findings.ts';
import type { FieldDef } from './ledger-catalog.ts';
import type { Bound, ValueNote } from './values/index.ts';

const CODE_OF: Readonly<Record<ValueNote['kind'], CheckCode>> = {
  approximate: 'cell.approximate',
  measure_word: 'cell.measure_word',
  unit_mismatch: 'cell.unit_mismatch',
};

/** How the true figure may lie from the number counted, and what that does to the figure. */
function around(bound: Bound, n: string): string {
  switch (bound) {
    case 'about':
      return '';
    case 'more':
      return `（多于 ${n}）`;
    case 'atLeast':
      return `（${n} 或更多）`;
    case 'less':
      return `（不到 ${n}）`;
    case 'atMost':
      return `（${n} 或更少）`;
  }
}

const EFFECT: Readonly<Record<Bound, string>> = { about: '', more: '，可能少计', atLeast: '，可能少计', less: '，可能多计', atMost: '，可能多计' };

/**
 * The finding of `note` on the cell `a1` of `field`, which held `written` and was counted as
 * `value` (null: not counted).
 *
 * @example
 * noteFinding({ kind: 'approximate', word: '余', bound: 'more' }, visits, 'D7', '280余', 280, here).message
 * // '“人次”的“280余”是约数（多于 280），已按 280 计入，可能少计；请填写确切数字。'
 */
export function noteFinding(
  note: ValueNote,
  field: FieldDef,
  a1: string,
  written: string,
  value: number | string | boolean | null,
  here: { department: string | null; file: string; sheet: string; ledger: string },
): Finding {
  const at = { ...here, cell: a1, actual: written };
  const code = CODE_OF[note.kind];
  switch (note.kind) {
    case 'approximate': {
      const n = String(value);
      return finding(
        code,
        { ...at, expected: '确切数字' },
        `“${field.header}”的“${written}”是约数${around(note.bound, n)}，已按 ${n} 计入${EFFECT[note.bound]}；请填写确切数字。`,
      );
    }
    case 'measure_word':
      return finding(
        code,
        { ...at, expected: note.column },
        `“${field.header}”一栏应填${note.column}，“${written}”写的是${note.counts}（“${note.word}”），已按 ${String(value)} 计入；` +
          `请核对是否填错了栏目或单位，改填${note.column}的数字。`,
      );
    case 'unit_mismatch': {
      const n = String(note.value);
      const column = note.column === null ? '只填数字本身' : `以${note.column}为单位`;
      return finding(
        code,
        { ...at, expected: n },
        `“${field.header}”一栏${column}，“${written}”是以${note.unit}计的数，照写计入会相差${times(note.ratio)}倍，未读取；` +
          (note.approximate ? `请按本列单位填写确切数字（约 ${n}）。` : `请改填 ${n}。`),
      );
    }
  }
}

/** How many times an amount counted as written would be off: 一万, 一千, 一亿. */
function times(ratio: number): string {
  const r = ratio >= 1 ? ratio : Math.round(1 / ratio);
  return TIMES[r] ?? ` ${r} `;
}

const TIMES: Readonly<Record<number, string>> = { 100: '一百', 1000: '一千', 1e4: '一万', 1e5: '十万', 1e6: '一百万', 1e7: '一千万', 1e8: '一亿' };
