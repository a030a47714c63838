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

/**
 * Whether `note` is told at its cell in a ledger with these `fields`. A 年度统计表 (a ledger
 * naming indicators, `suggest: indicators`) writes its figures as the report does (`1200余`,
 * contract §3), and indicator.self_reported_mismatch judges such a claim as one: its
 * approximations are not notes.
 */
export function isTold(note: ValueNote, fields: readonly { readonly field: FieldDef }[]): boolean {
  return note.kind !== 'approximate' || !fields.some((c) => c.field.suggest === 'indicators');
}

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
      const told =
        note.column === null
          ? `已按 ${n} 计入（本栏只填数字本身）；请核对，今后请直接填写不带“${note.unit}”的数字。`
          : `已按 ${n} ${note.column}计入（本栏以${note.column}为单位）；请核对，今后请直接填写以${note.column}计的数字。`;
      return finding(code, { ...at, expected: n }, `“${field.header}”的“${written}”${told}`);
    }
  }
}
