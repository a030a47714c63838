/**
 * The words around a number in a cell (`约300`, `280余人`, `3件`, `3.5万元`) and what the clerk
 * must be told of them: an approximation counted as its number, a measure word that counts
 * another thing than the column, an amount in another magnitude than the column's.
 */
import { KIND_NOUN, MAGNITUDE_SOURCE, MEASURE_WORDS, MEASURE_WORD_SOURCE, magnitudeOf, type ColumnUnit, type UnitKind } from './measure-words.ts';
import { noted, type Parsed } from './parsed.ts';
import type { Bound, ValueNote } from './value-note.ts';

/**
 * Words before a number that make it an approximation. The other words parseNumber takes
 * before a number say "in all" or "in money" and leave it exact: 共, 共计, 合计, 累计, 总计, 计,
 * 达, 多达 ("as many as": the count reached), 人民币, RMB, ￥, ¥, $.
 */
export const APPROXIMATE_BEFORE: ReadonlyMap<string, Bound> = new Map<string, Bound>([
  ['约', 'about'],
  ['大约', 'about'],
  ['约计', 'about'],
  ['将近', 'less'],
  ['近', 'less'],
  ['超过', 'more'],
  ['超', 'more'],
  ['逾', 'more'],
]);

/** Words after a number, or after its magnitude or measure word, that make it an approximation. */
export const APPROXIMATE_AFTER: ReadonlyMap<string, Bound> = new Map<string, Bound>([
  ['余', 'more'],
  ['多', 'more'],
  ['+', 'more'],
  ['来', 'about'],
  ['左右', 'about'],
  ['上下', 'about'],
  ['以上', 'atLeast'],
  ['以下', 'atMost'],
  ['以内', 'atMost'],
]);

/**
 * What may follow a number: an approximation (余, 多, 来, +), a magnitude (万, 千, 亿), an
 * approximation, a measure word, an approximation (余, 多), and a bound (左右, 以上 …), each
 * optional, in that order: `280余`, `10多万元`, `3万余元`, `二十余人`, `1200余人次`, `50人左右`.
 */
const AFTER = new RegExp(
  `^(余|多|来|\\+)?(${MAGNITUDE_SOURCE})?(余|多|来)?(${MEASURE_WORD_SOURCE})?(余|多)?(左右|上下|以上|以下|以内)?`,
);

/** The words read after a number. */
export interface WordsAfter {
  /** Characters they take. */
  readonly length: number;
  /** The first word making the number an approximation. */
  readonly approximate: string | undefined;
  /** A magnitude word (万, 千, 亿 …). */
  readonly magnitude: string | undefined;
  /** A measure word (人次, 件, 元 …). */
  readonly unit: string | undefined;
  /** What the measure word counts (null: it does not say, or there is none). */
  readonly kind: UnitKind | null;
  /** The magnitude word's factor (万: 10,000); undefined without one. */
  readonly factor: number | undefined;
}

/** No words: a number with nothing after it. */
export const NO_WORDS: WordsAfter = { length: 0, approximate: undefined, magnitude: undefined, unit: undefined, kind: null, factor: undefined };

/**
 * The words at the start of `after` (what follows a number, folded: half-width, no spaces).
 * After digits the rest of a cell is free text (`15人（含村干部）`): an approximation word alone
 * that begins a longer word (`2来访`) is not one.
 */
export function wordsAfter(after: string): WordsAfter {
  if (after === '') return NO_WORDS;
  // A column repeats a few of them all the way down (人次, 人, 元): each is read once.
  let words = remembered.get(after);
  if (words === undefined) {
    words = readWordsAfter(after);
    if (after.length <= REMEMBERED_LENGTH && remembered.size < REMEMBERED) remembered.set(after, words);
  }
  return words;
}

/** Texts after a number remembered, and how long one may be: at most 1,024 × 16 characters. */
const remembered = new Map<string, WordsAfter>();
const REMEMBERED = 1024;
const REMEMBERED_LENGTH = 16;

function readWordsAfter(after: string): WordsAfter {
  const m = AFTER.exec(after);
  if (m === null || m[0] === '') return NO_WORDS;
  const [all, first, magnitude, second, unit, third, bound] = m;
  if (all.length < after.length && magnitude === undefined && unit === undefined && bound === undefined && isHan(after.charCodeAt(all.length))) {
    return NO_WORDS;
  }
  return {
    length: all.length,
    approximate: first ?? second ?? third ?? bound,
    magnitude,
    unit,
    kind: unit === undefined ? null : (MEASURE_WORDS.get(unit) ?? null),
    factor: magnitude === undefined ? undefined : magnitudeOf(magnitude),
  };
}

function isHan(c: number): boolean {
  return c >= 0x4e00 && c <= 0x9fff;
}

/**
 * A number read with the words around it (`prefix` before it, `after` after it), held against
 * the unit of its column when one is given: an amount in another magnitude than the column's
 * states its own (`3.5万元` is 35000 元) and is counted converted into the column's unit, with a
 * note saying so; a measure word counting another thing, and an approximation, are counted as
 * written, each with a note. 次 in a 人次 column is its shorthand: nothing is said of it.
 *
 * @example
 * withWords(280, '', wordsAfter('余'), undefined)
 * // { ok: true, value: 280, notes: [{ kind: 'approximate', word: '余', bound: 'more' }] }
 * withWords(3.5, '', wordsAfter('万元'), columnUnit('罚款金额(元)'))
 * // { ok: true, value: 35000, notes: [{ kind: 'unit_mismatch', unit: '万元', column: '元', value: 35000, ratio: 10000 }] }
 */
export function withWords(value: number, prefix: string, after: WordsAfter, column: ColumnUnit | undefined): Parsed<number> {
  const before = prefix === '' ? undefined : APPROXIMATE_BEFORE.get(prefix);
  const word = before === undefined ? after.approximate : prefix;
  const bound = before ?? (after.approximate === undefined ? undefined : APPROXIMATE_AFTER.get(after.approximate));
  let notes: ValueNote[] | undefined;
  let counted = value;
  if (column !== undefined && (after.magnitude !== undefined || after.unit !== undefined)) {
    const kind = after.kind;
    // A magnitude written is held against the column's; a unit of the column's kind written
    // without one says magnitude 1 (`35000元` in 万元). A plain number says nothing.
    const factor = after.factor ?? (kind !== null && kind === column.kind ? 1 : undefined);
    if (factor !== undefined && factor !== column.magnitude) {
      const ratio = factor / column.magnitude;
      counted = shifted(value, Math.round(Math.log10(factor)) - Math.round(Math.log10(column.magnitude)));
      const unit = `${after.magnitude ?? ''}${after.unit ?? ''}`;
      notes = [{ kind: 'unit_mismatch', unit, column: column.text, value: counted, ratio }];
    }
    if (kind !== null && column.kind !== null && kind !== column.kind && after.unit !== undefined && !(after.unit === '次' && column.text === '人次')) {
      const counts = after.unit === '人次' || after.unit === '场次' ? after.unit : KIND_NOUN[kind];
      (notes ??= []).push({ kind: 'measure_word', word: after.unit, counts, column: column.noun ?? column.text ?? '' });
    }
  }
  if (word !== undefined && bound !== undefined) (notes ??= []).unshift({ kind: 'approximate', word, bound });
  return noted(counted, notes);
}

/**
 * `value` × 10^`places`, exactly as a person moves the decimal point (3.5 万 is 35000, not
 * 35000.000000000004; 35000 元 is 3.5 万元): the decimal text is read again, shifted.
 */
function shifted(value: number, places: number): number {
  const [mantissa = '0', exponent = '0'] = String(value).split('e');
  return Number(`${mantissa}e${Number(exponent) + places}`) + 0;
}
