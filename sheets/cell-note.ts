/**
 * The notes on a cell's value (sheets/values/value-note.ts) as one finding at that cell, in plain
 * Chinese: what was written, what was counted, what to write instead. A cell gets one finding
 * however many things it says (`约3.5万元`: approximate, and in 万元): the clerk reads one line
 * saying all of it, not two at one cell that each tell half.
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

type Here = { department: string | null; file: string; sheet: string; ledger: string };

/**
 * The one finding of the `notes` told ({@link isTold}) of the cell `a1` of `field`, in a ledger of
 * these `fields`; undefined when none is told. One note is {@link noteFinding}'s. Several are one
 * finding saying each (see {@link notesFinding}).
 */
export function cellNoteFinding(
  notes: readonly ValueNote[],
  fields: readonly { readonly field: FieldDef }[],
  field: FieldDef,
  a1: string,
  written: string,
  value: number | string | boolean | null,
  here: Here,
): Finding | undefined {
  let told: ValueNote | undefined;
  let count = 0;
  for (const note of notes) {
    if (!isTold(note, fields)) continue;
    told ??= note;
    count++;
  }
  if (told === undefined) return undefined;
  if (count === 1) return noteFinding(told, field, a1, written, value, here);
  return notesFinding(notes.filter((note) => isTold(note, fields)), field, a1, written, value, here);
}

/**
 * Several notes on one cell as one finding. Its code is the first of cell.approximate,
 * cell.measure_word, cell.unit_mismatch the cell has: an approximation means the figure counted
 * is not the true one, which a measure word (it may count the wrong thing) and then a conversion
 * (exact, if the magnitude written is right) mean less; a clerk or a check looking for figures
 * not exact finds it under cell.approximate. The message says each, and what was counted.
 *
 * @example
 * // `约3.5万元` in 罚款金额(元):
 * // '“罚款金额(元)”的“约3.5万元”是约数，已换算为 35000 元计入（本栏以元为单位）；请填写以元计的确切数字。'
 */
function notesFinding(
  notes: readonly ValueNote[],
  field: FieldDef,
  a1: string,
  written: string,
  value: number | string | boolean | null,
  here: Here,
): Finding {
  let approximate: Extract<ValueNote, { kind: 'approximate' }> | undefined;
  let measure: Extract<ValueNote, { kind: 'measure_word' }> | undefined;
  let unit: Extract<ValueNote, { kind: 'unit_mismatch' }> | undefined;
  for (const note of notes) {
    if (note.kind === 'approximate') approximate ??= note;
    else if (note.kind === 'measure_word') measure ??= note;
    else unit ??= note;
  }
  const n = unit === undefined ? String(value) : String(unit.value);
  const said: string[] = [];
  if (approximate !== undefined) said.push(`是约数${around(approximate.bound, n)}`);
  if (measure !== undefined) said.push(`写的是${measure.counts}（“${measure.word}”），本栏应填${measure.column}`);
  const counted =
    unit === undefined
      ? `已按 ${n} 计入`
      : unit.column === null
        ? `已换算为 ${n} 计入（本栏只填数字本身）`
        : `已换算为 ${n} ${unit.column}计入（本栏以${unit.column}为单位）`;
  const effect = approximate === undefined ? '' : EFFECT[approximate.bound];
  const exact = approximate === undefined ? '' : '确切';
  const ask =
    measure !== undefined
      ? `请核对是否填错了栏目或单位，改填${measure.column}的${exact}数字`
      : unit !== undefined && unit.column !== null
        ? `请填写以${unit.column}计的${exact}数字`
        : `请填写不带“${unit?.unit ?? ''}”的${exact}数字`;
  const at = { ...here, cell: a1, actual: written };
  const message = `“${field.header}”的“${written}”${said.join('，')}，${counted}${effect}；${ask}。`;
  if (approximate !== undefined) return finding('cell.approximate', { ...at, expected: '确切数字' }, message);
  if (measure !== undefined) return finding('cell.measure_word', { ...at, expected: measure.column }, message);
  return finding('cell.unit_mismatch', { ...at, expected: n }, message);
}

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
  here: Here,
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
