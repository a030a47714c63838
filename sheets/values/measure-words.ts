/**
 * The measure words clerks write after a figure (`15人次`, `3件`, `3.5万元`), what each counts,
 * and the unit a ledger's column is kept in, read from its header (`罚款金额(元)`, `人次`,
 * `参与人数`): what a unit written in a cell is held against.
 */
import { normalizeLabel, peelTrailingBrackets } from './normalize-label.ts';

/** What a measure word counts, where tally is sure of it. */
export type UnitKind = 'person' | 'household' | 'case' | 'event' | 'time' | 'money';

/** What a clerk is told a kind counts (“写的是件数”). */
export const KIND_NOUN: Readonly<Record<UnitKind, string>> = {
  person: '人数',
  household: '户数',
  case: '件数',
  event: '次数',
  time: '时长',
  money: '金额',
};

/**
 * Measure words, and what each counts. A word that fits many things (个, 项, 份, 条, 家, 批 …)
 * counts null: it is read and never held against a column. 人 and 人次 count the same (a
 * 参与人数 column may be kept in 人次); 次 and 场 count occasions, not people.
 */
export const MEASURE_WORDS: ReadonlyMap<string, UnitKind | null> = new Map<string, UnitKind | null>([
  ['人次', 'person'], ['人', 'person'], ['名', 'person'], ['位', 'person'],
  ['户次', 'household'], ['户', 'household'],
  ['件次', 'case'], ['件', 'case'], ['起', 'case'], ['宗', 'case'], ['例', 'case'],
  ['场次', 'event'], ['次', 'event'], ['场', 'event'], ['期', 'event'], ['轮', 'event'],
  ['课时', 'time'], ['学时', 'time'], ['小时', 'time'], ['天', 'time'], ['日', 'time'],
  ['元', 'money'],
  ['个', null], ['项', null], ['份', null], ['篇', null], ['条', null], ['家', null], ['册', null], ['本', null],
  ['张', null], ['套', null], ['处', null], ['所', null], ['批', null], ['组', null], ['部', null], ['类', null],
  ['幅', null], ['块', null],
]);

/** The measure words as a regular expression's alternatives, longest first (人次 before 人). */
export const MEASURE_WORD_SOURCE = [...MEASURE_WORDS.keys()].sort((a, b) => b.length - a.length).join('|');

/** Magnitude words after a figure (`3.5万`, `2千`, `1.2亿`, `3百万`). */
export const MAGNITUDE_SOURCE = '[百千]?[万萬亿億]|[百千]';

const MAGNITUDE_OF: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1e3, 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

/** The factor of a magnitude word: 万 10,000, 百万 1,000,000. */
export function magnitudeOf(word: string): number {
  let factor = 1;
  for (const ch of word) factor *= MAGNITUDE_OF[ch] ?? 1;
  return factor;
}

/** The unit a ledger's column is kept in. */
export interface ColumnUnit {
  /** The unit as the column names it (元, 万元, 人次, 人); null for a column of plain numbers (数值). */
  readonly text: string | null;
  /** What the column counts; null when its header does not say (数值). */
  readonly kind: UnitKind | null;
  /** What a clerk is told the column holds (人次, 人数, 金额); null with `kind`. */
  readonly noun: string | null;
  /** 1, or 10,000 for a column in 万元. */
  readonly magnitude: number;
}

/** A column whose header names no unit: plain numbers, of magnitude 1 (as header.unit_mismatch holds). */
const PLAIN: ColumnUnit = { text: null, kind: null, noun: null, magnitude: 1 };

/** Header names that say what their column counts, without a bracket (`人次`, `参与人数`, `案件数`). */
const NAME_UNITS: readonly (readonly [RegExp, ColumnUnit])[] = [
  [/人次$/, { text: '人次', kind: 'person', noun: '人次', magnitude: 1 }],
  [/人数$/, { text: '人', kind: 'person', noun: '人数', magnitude: 1 }],
  [/户数$/, { text: '户', kind: 'household', noun: '户数', magnitude: 1 }],
  [/(?:件数|案数)$/, { text: '件', kind: 'case', noun: '件数', magnitude: 1 }],
  [/场次$/, { text: '场次', kind: 'event', noun: '场次', magnitude: 1 }],
  [/(?:次数|场数|期数)$/, { text: '次', kind: 'event', noun: '次数', magnitude: 1 }],
  [/(?:金额|标的额|罚款|罚没款)$/, { text: '元', kind: 'money', noun: '金额', magnitude: 1 }],
];

/** A unit in a header's bracket (folded: `单位：万元` is `单位:万元`). */
const BRACKET_UNIT = new RegExp(`^(?:单位:?)?(?:人民币)?(${MAGNITUDE_SOURCE})?(${MEASURE_WORD_SOURCE})?(?:人民币)?$`);

const cache = new Map<string, ColumnUnit>();

/**
 * The unit of a column, from its header: a unit in its last brackets (`罚款金额(元)` 元,
 * `标的额(万元)` 万元, `标的额(万)` 万元), else its name (`人次`, `参与人数` 人, `案件数` 件);
 * a header that says neither (`数值`) holds plain numbers.
 *
 * @example
 * columnUnit('标的额(万元)') // { text: '万元', kind: 'money', noun: '金额', magnitude: 10000 }
 * columnUnit('参与人数')     // { text: '人', kind: 'person', noun: '人数', magnitude: 1 }
 */
export function columnUnit(header: string): ColumnUnit {
  let unit = cache.get(header);
  if (unit === undefined) {
    unit = readColumnUnit(normalizeLabel(header));
    cache.set(header, unit);
  }
  return unit;
}

function readColumnUnit(label: string): ColumnUnit {
  const peels = peelTrailingBrackets(label);
  const last = peels[peels.length - 1];
  const stem = last?.stem ?? label;
  const named = NAME_UNITS.find(([name]) => name.test(stem))?.[1];
  for (const part of (last?.peeled ?? []).flatMap((text) => text.split(/[,、;/]/))) {
    const m = BRACKET_UNIT.exec(part);
    if (m === null || (m[1] === undefined && m[2] === undefined)) continue;
    const magnitude = m[1] === undefined ? 1 : magnitudeOf(m[1]);
    const word = m[2];
    const kind = word === undefined ? (named?.kind ?? null) : (MEASURE_WORDS.get(word) ?? null);
    const base = word ?? (named?.text ?? '');
    const noun = word === '人次' ? '人次' : kind === null ? null : (named !== undefined && named.kind === kind ? named.noun : KIND_NOUN[kind]);
    return { text: `${m[1] ?? ''}${base}` || null, kind, noun, magnitude };
  }
  return named ?? PLAIN;
}
