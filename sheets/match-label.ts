/**
 * Which field of a ledger a header label names: its canonical header or an alias as it stands
 * (both folded by {@link normalizeLabel}), or once the units and hints clerks put in brackets at
 * its end are taken off (人次（人）, 服务类别(必填), 服务日期（年月日）, 服务类别⏎（法律咨询/法律援助咨询）).
 * A unit taken off must agree with the field's own: 罚款金额（万元） is not 罚款金额(元) but a
 * column 10,000 times off, a {@link UnitMismatch} the clerk is told about, never a match.
 */
import type { FieldDef, LedgerCatalog, LedgerDef } from './ledger-catalog.ts';
import { qualifiedLabel, type QualifiedLabel } from './qualified-label.ts';
import { normalizeLabel, peelTrailingBrackets } from './values/index.ts';

/** A unit written in a header's brackets: its magnitude (万 = 10,000) and what it counts (元, 人次…). */
interface Unit {
  readonly text: string;
  readonly magnitude: number;
  /** 元, 人, 件 …; undefined for a bare magnitude (标的额（万）). */
  readonly base: string | undefined;
}

const MAGNITUDES: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1e3, 万: 1e4, 十万: 1e5, 百万: 1e6, 千万: 1e7, 亿: 1e8 };

/**
 * A unit as clerks write one in brackets (folded: `单位：万元` is `单位:万元`): a magnitude, a
 * counted thing, or both. Date hints (年月日) and notes (必填) are not units.
 */
const UNIT = /^(?:单位:?)?(?:人民币)?(十万|百万|千万|十|百|千|万|亿)?(元|人次|人|次|件|个|项|份|户|场|名|家)?(?:人民币)?$/;

/** What separates several things in one bracket: `(元,必填)`, `(法律咨询/法律援助咨询)`. */
const PARTS = /[,、;/]/;

/** The units written in bracketed texts (none for hints such as 必填 or 年月日). */
function unitsIn(texts: readonly string[]): Unit[] {
  const out: Unit[] = [];
  for (const text of texts) {
    for (const part of text.split(PARTS)) {
      const m = UNIT.exec(part);
      if (m === null || (m[1] === undefined && m[2] === undefined)) continue;
      out.push({ text: part.replace(/^单位:?/, ''), magnitude: m[1] === undefined ? 1 : (MAGNITUDES[m[1]] ?? 1), base: m[2] });
    }
  }
  return out;
}

/**
 * Whether a unit a clerk wrote fits the field's (`own`, undefined for a header with none: a
 * plain count or amount, magnitude 1). What is counted is compared only where both say it.
 */
function fits(unit: Unit, own: Unit | undefined): boolean {
  if (own === undefined) return unit.magnitude === 1;
  return unit.magnitude === own.magnitude && (unit.base === undefined || own.base === undefined || unit.base === own.base);
}

/** A header whose bracket names another unit than the field's own: the column is not read. */
export interface UnitMismatch {
  /** The field's unit (元), or null when its header has none (a plain number: 人次). */
  readonly expected: string | null;
  /** The unit the header names (万元). */
  readonly actual: string;
}

/** A field a label names; `unitMismatch` when it names it in another unit (then it is not read). */
export interface LabelMatch {
  readonly field: FieldDef;
  readonly unitMismatch?: UnitMismatch;
}

/** A label of the catalog (header or alias, folded) and the unit its own brackets give. */
interface Entry extends LabelMatch {
  readonly unit: Unit | undefined;
}

/** The labels of one ledger's fields, folded, as they stand and with their trailing brackets off. */
export interface LabelIndex {
  readonly exact: ReadonlyMap<string, Entry>;
  /** 罚款金额 of 罚款金额(元) → its field; null when the labels of two fields give it. */
  readonly stems: ReadonlyMap<string, Entry | null>;
  /**
   * The core of every label of `exact` and `stems` (sheets/qualified-label.ts: 负责人出庭 of
   * 负责人是否出庭, 公示日期 of 公示时间, each as it stands where it holds no qualifier) → its
   * field; null when the labels of two fields give it (then a label with that core names neither).
   */
  readonly cores: ReadonlyMap<string, Entry | null>;
}

/** Whether a folded label ends in a bracket (normalizeLabel made every kind `)`). */
function endsInBracket(label: string): boolean {
  return label.charCodeAt(label.length - 1) === 0x29;
}

/** `申请人/原告`: two names of one column, which clerks also write 申请人（原告）. */
const EITHER = /^([^/()]+)\/([^/()]+)$/;

const indexCache = new WeakMap<LedgerDef, LabelIndex>();

/** The labels of a ledger's fields, folded once per ledger. */
export function labelIndex(ledger: LedgerDef): LabelIndex {
  let idx = indexCache.get(ledger);
  if (idx !== undefined) return idx;
  const exact = new Map<string, Entry>();
  const written = new Set<string>();
  for (const field of ledger.fields) {
    for (const label of [field.header, ...field.aliases]) {
      const key = normalizeLabel(label);
      const peels = peelTrailingBrackets(key);
      exact.set(key, { field, unit: unitsIn(peels[peels.length - 1]?.peeled ?? [])[0] });
    }
  }
  // 申请人（原告） for 申请人/原告, unless a field is named so itself.
  for (const [key, entry] of [...exact]) {
    const either = EITHER.exec(key);
    const other = either === null ? undefined : `${either[1]}(${either[2]})`;
    if (other !== undefined && !exact.has(other)) {
      exact.set(other, entry);
      written.add(other);
    }
  }
  const stems = new Map<string, Entry | null>();
  for (const [key, entry] of exact) {
    // 申请人 alone is not 申请人/原告: a ledger that means it says so in an alias.
    if (written.has(key)) continue;
    for (const { stem, peeled } of peelTrailingBrackets(key)) {
      if (exact.has(stem)) continue;
      const before = stems.get(stem);
      // Two fields whose labels differ only in a bracket (金额(元), 金额(万元)): a label without it names neither.
      if (before === undefined) stems.set(stem, { field: entry.field, unit: unitsIn(peeled)[0] });
      else if (before !== null && before.field !== entry.field) stems.set(stem, null);
    }
  }
  const cores = new Map<string, Entry | null>();
  const addCore = (key: string, entry: Entry | null) => {
    // A field's own label keeps a 是否 or a 时间 its type does not allow (a text column 办理时间).
    const q = qualifiedLabel(key);
    const core = q !== undefined && (entry === null || fitsType(q, entry.field)) ? q.core : key;
    const before = cores.get(core);
    if (before === undefined) cores.set(core, entry);
    else if (before !== null && (entry === null || before.field !== entry.field)) cores.set(core, null);
  };
  for (const [key, entry] of exact) if (!written.has(key)) addCore(key, entry);
  for (const [key, entry] of stems) addCore(key, entry);
  idx = { exact, stems, cores };
  indexCache.set(ledger, idx);
  return idx;
}

/**
 * The field of `ledger` a folded header label names, or undefined. Tried in order: the label
 * as it stands, then without its last bracket, its last two, …; the first that names a field
 * decides (a label naming two fields once peeled names none). The units in the brackets taken
 * off must fit the field's own, else the match carries a {@link UnitMismatch}.
 *
 * @example
 *   matchLabel(labelIndex(legalService), normalizeLabel('人次（人）'))?.field.header // '人次'
 *   matchLabel(labelIndex(penalty), '罚款金额(万元)')?.unitMismatch // { expected: '元', actual: '万元' }
 */
export function matchLabel(index: LabelIndex, label: string): LabelMatch | undefined {
  if (label === '') return undefined;
  const exact = index.exact.get(label) ?? index.stems.get(label);
  if (exact !== undefined) return exact ?? undefined;
  // Most labels that name nothing (titles, data) end in no bracket: nothing to peel.
  if (!endsInBracket(label)) return undefined;
  for (const { stem, peeled } of peelTrailingBrackets(label)) {
    const entry = index.exact.get(stem) ?? index.stems.get(stem);
    if (entry === undefined) continue;
    if (entry === null) return undefined;
    const other = unitsIn(peeled).find((u) => !fits(u, entry.unit));
    return other === undefined ? entry : { field: entry.field, unitMismatch: { expected: entry.unit?.text ?? null, actual: other.text } };
  }
  return undefined;
}

/**
 * A unit a sheet states for its figures above its header, as statistical tables do: `单位：万元`,
 * `金额单位：万元`, `（单位：人次）`, in a title or 填报单位 line (`填报单位：安定镇司法所　金额单位：万元`).
 * Undefined for a text that states none (`填报单位：元宝村委会` names a unit of government, not one
 * of measure: the unit must end where the text or a separator does).
 *
 * @example
 *   statedUnit('填报单位：安定镇综合执法队  金额单位：万元') // { text: '万元', magnitude: 10000, base: '元', money: true }
 */
export function statedUnit(text: string): StatedUnit | undefined {
  const m = STATED.exec(text);
  if (m === null || (m[2] === undefined && m[3] === undefined)) return undefined;
  return { text: `${m[2] ?? ''}${m[3] ?? ''}`, magnitude: m[2] === undefined ? 1 : (MAGNITUDES[m[2]] ?? 1), base: m[3], money: m[1] !== undefined };
}

const STATED = /(金额)?单位[ \t]*[:：][ \t]*(十万|百万|千万|十|百|千|万|亿)?(元|人次|人|次|件|个|项|份|户|场|名|家)?(?=$|[\s)）,，;；、。])/u;

/** A unit stated above a header ({@link statedUnit}); `money`: said of amounts (金额单位). */
export interface StatedUnit extends Unit {
  readonly money: boolean;
}

/**
 * Whether a unit stated above the header puts a number column in another unit than its field's
 * own: the {@link UnitMismatch} to report, else undefined. It speaks for the columns whose header
 * states no unit of its own (a header's bracket wins), and only of what it counts: 元 (or 金额单位)
 * of the amounts in 元 or 万元, 人次 of a 人次 column, a bare magnitude (单位：万) of every number.
 *
 * @example
 *   statedUnitMismatch(penalty, fine, '罚款金额', statedUnit('金额单位：万元')!) // { expected: '元', actual: '万元' }
 */
export function statedUnitMismatch(ledger: LedgerDef, field: FieldDef, label: string, stated: StatedUnit): UnitMismatch | undefined {
  if (field.type !== 'number' && field.type !== 'integer') return undefined;
  // The column's own header names a unit: that one holds (matchLabel has judged it).
  if (endsInBracket(label) && peelTrailingBrackets(label).some(({ peeled }) => unitsIn(peeled).length > 0)) return undefined;
  const own = labelIndex(ledger).exact.get(normalizeLabel(field.header))?.unit;
  const money = own?.base === '元';
  const speaksOf = stated.money || stated.base === '元' ? money : stated.base === undefined ? true : own?.base === stated.base || field.header.includes(stated.base);
  if (!speaksOf || fits(stated, own)) return undefined;
  return { expected: own?.text ?? null, actual: stated.text };
}

/**
 * The field of `ledger` a folded header label names once the qualifiers clerks put around a
 * column's name are taken off (sheets/qualified-label.ts): 行政机关负责人是否出庭应诉 names
 * 负责人出庭, 法制审核时间 法制审核日期, also with a bracket at its end (法制审核时间（年月日）).
 * The core must be the core of one field's label only, and a core reached by taking off `是否`
 * names a bool field only, one whose last 时间 was read as 日期 a date field only. A looser
 * reading than {@link matchLabel}, tried only where it finds nothing: a header in which the
 * field has a column named as the ledger names it keeps that column (sheets/detect-header.ts).
 *
 * @example
 *   matchQualified(labelIndex(litigation), '行政机关负责人是否出庭应诉')?.field.header // '负责人出庭'
 *   matchQualified(labelIndex(litigation), '是否结案日期') // undefined: 结案日期 is no yes/no column
 */
export function matchQualified(index: LabelIndex, label: string): LabelMatch | undefined {
  if (label === '') return undefined;
  const found = coreMatch(index, label, []);
  if (found !== undefined || !endsInBracket(label)) return found ?? undefined;
  for (const { stem, peeled } of peelTrailingBrackets(label)) {
    const entry = coreMatch(index, stem, peeled);
    if (entry !== undefined) return entry ?? undefined;
  }
  return undefined;
}

/** {@link matchQualified} of one text, its brackets already off (`peeled`); null: it names no field, say no more. */
function coreMatch(index: LabelIndex, text: string, peeled: readonly string[]): LabelMatch | null | undefined {
  const q = qualifiedLabel(text);
  const entry = index.cores.get(q?.core ?? text);
  if (entry === undefined) return undefined;
  if (entry === null) return null;
  const { field } = entry;
  if (q !== undefined && !fitsType(q, field)) return null;
  const other = unitsIn(peeled).find((u) => !fits(u, entry.unit));
  return other === undefined ? { field } : { field, unitMismatch: { expected: entry.unit?.text ?? null, actual: other.text } };
}

/** Whether a field may be named by a label whose core took off a 是否 (a bool field) or read a 时间 as 日期 (a date field). */
function fitsType(q: QualifiedLabel, field: FieldDef): boolean {
  return (!q.question || field.type === 'bool') && (!q.time || field.type === 'date');
}

/** The labels of every ledger of a catalog (as they stand and without their brackets), and their beginnings. */
export interface KnownLabels {
  readonly all: ReadonlySet<string>;
  /** The cores of the labels of every ledger ({@link LabelIndex} `cores`), for {@link matchQualified}. */
  readonly cores: ReadonlySet<string>;
  /** Every beginning of a label of `all` or `cores` (for a two-level header's upper + lower). */
  readonly beginnings: ReadonlySet<string>;
}

const knownCache = new WeakMap<LedgerCatalog, KnownLabels>();

export function knownLabels(catalog: LedgerCatalog): KnownLabels {
  let known = knownCache.get(catalog);
  if (known === undefined) {
    const all = new Set<string>();
    const cores = new Set<string>();
    for (const ledger of catalog.ledgers) {
      const idx = labelIndex(ledger);
      for (const key of idx.exact.keys()) all.add(key);
      for (const [key, entry] of idx.stems) if (entry !== null) all.add(key);
      for (const [key, entry] of idx.cores) if (entry !== null) cores.add(key);
    }
    const beginnings = new Set<string>();
    for (const label of [...all, ...cores]) for (let n = 1; n < label.length; n++) beginnings.add(label.slice(0, n));
    known = { all, cores, beginnings };
    knownCache.set(catalog, known);
  }
  return known;
}

/**
 * Whether `label` may name a field of some ledger of the catalog: true wherever
 * {@link matchLabel} or {@link matchQualified} finds one (and perhaps elsewhere), a quick test
 * of the rows searched for a header.
 */
export function isKnownLabel(known: KnownLabels, label: string): boolean {
  if (label === '') return false;
  if (known.all.has(label) || isKnownCore(known, label)) return true;
  if (!endsInBracket(label)) return false;
  for (const { stem } of peelTrailingBrackets(label)) if (known.all.has(stem) || isKnownCore(known, stem)) return true;
  return false;
}

function isKnownCore(known: KnownLabels, text: string): boolean {
  return known.cores.has(qualifiedLabel(text)?.core ?? text);
}
