import type { RawValue } from '../raw-sheet.ts';
import { foldText } from './fold-text.ts';
import { normalizeLabel } from './normalize-label.ts';
import { fail, ok, type Parsed } from './parsed.ts';

/** Characters that negate the word after them: 成功 is not a short form of 不成功. */
const NEGATIONS = new Set(['不', '未', '非', '无', '没']);

/**
 * A cell read as one of `values`, matched with {@link normalizeLabel} on both sides.
 *
 * In order: a listed value (exact), an alias key (→ its target), then an evident short or long
 * form: the listed values that contain the input (`复议` → 行政复议, `成功` → 调解成功: a value
 * holding the input only after a negation such as 不/未 does not count) together with the listed
 * values the input contains, again not after a negation (`行政诉讼案件` → 行政诉讼; `没通过` is
 * not 通过; of 通过 and 未通过 inside `未通过考试` only the longer counts). Exactly one candidate wins; none or several fail.
 *
 * @example
 * parseEnum('复议', ['行政复议', '行政诉讼']) // { ok: true, value: '行政复议' }
 */
export function parseEnum(
  raw: RawValue,
  values: readonly string[],
  aliases: Readonly<Record<string, string>> = NO_ALIASES,
): Parsed<string> {
  // A column's cells repeat a few texts (是/否, 调解成功, 行政诉讼) all the way down: each text's
  // reading is remembered per (frozen) list, as it is the same every time.
  const remembered = typeof raw === 'string' && raw.length <= REMEMBERED_LENGTH ? readingsOf(values, aliases) : undefined;
  const known = remembered?.get(raw as string);
  if (known !== undefined) return known;
  const parsed = readEnum(raw, values, aliases);
  if (remembered !== undefined && remembered.size < REMEMBERED) remembered.set(raw as string, parsed);
  return parsed;
}

/** No aliases (frozen: its readings are remembered like a catalog's). */
const NO_ALIASES: Readonly<Record<string, string>> = Object.freeze({});
/** Texts remembered per list: a column of free text given an enum's type stops adding at this. */
const REMEMBERED = 256;
/** Only short texts are remembered (an enum's value is a few words): at most 256 × 64 characters a list. */
const REMEMBERED_LENGTH = 64;
const READINGS = new WeakMap<readonly string[], WeakMap<Readonly<Record<string, string>>, Map<string, Parsed<string>>>>();

/** The readings remembered for a list and its aliases; none when they are not frozen (they could change). */
function readingsOf(values: readonly string[], aliases: Readonly<Record<string, string>>): Map<string, Parsed<string>> | undefined {
  if (!Object.isFrozen(values) || !Object.isFrozen(aliases)) return undefined;
  let byAliases = READINGS.get(values);
  if (byAliases === undefined) READINGS.set(values, (byAliases = new WeakMap()));
  let readings = byAliases.get(aliases);
  if (readings === undefined) byAliases.set(aliases, (readings = new Map()));
  return readings;
}

function readEnum(raw: RawValue, values: readonly string[], aliases: Readonly<Record<string, string>>): Parsed<string> {
  const text = foldText(raw);
  if (text === null) return ok(null);
  const input = normalizeLabel(text);
  const listed = listedOf(values);

  const exact = listed.find((v) => v.key === input);
  if (exact) return ok(exact.value);
  const alias = aliasesOf(aliases).find(([key]) => key === input);
  if (alias) return ok(alias[1]);

  if (input !== '') {
    const longer = listed.filter((v) => containsPlainly(v.key, input));
    const inside = listed.filter((v) => v.key !== '' && containsPlainly(input, v.key));
    const maximal = inside.filter((v) => !inside.some((w) => w !== v && w.key.includes(v.key)));
    const candidates = new Set([...longer, ...maximal].map((v) => v.value));
    const [only] = candidates;
    if (candidates.size === 1 && only !== undefined) return ok(only);
  }
  return fail(`“${text}”不在可选值内（可选：${values.join('、')}）`);
}

const LISTED = new WeakMap<readonly string[], readonly { readonly value: string; readonly key: string }[]>();
const ALIASES = new WeakMap<Readonly<Record<string, string>>, readonly (readonly [key: string, value: string])[]>();

/**
 * Each listed value with its folded key, folded once per list: a column's values are the same
 * array for every cell (the ledger's), and folding them was most of the work of each cell.
 * The lists are frozen with the catalog, so a key, once folded, stays right.
 */
function listedOf(values: readonly string[]): readonly { readonly value: string; readonly key: string }[] {
  let listed = LISTED.get(values);
  if (listed === undefined || !Object.isFrozen(values)) {
    listed = values.map((value) => ({ value, key: normalizeLabel(value) }));
    if (Object.isFrozen(values)) LISTED.set(values, listed);
  }
  return listed;
}

/** The alias table's entries, keys folded, once per (frozen) table: see {@link listedOf}. */
function aliasesOf(aliases: Readonly<Record<string, string>>): readonly (readonly [key: string, value: string])[] {
  let entries = ALIASES.get(aliases);
  if (entries === undefined || !Object.isFrozen(aliases)) {
    entries = Object.entries(aliases).map(([key, value]) => [normalizeLabel(key), value] as const);
    if (Object.isFrozen(aliases)) ALIASES.set(aliases, entries);
  }
  return entries;
}

/** `whole` contains `part` at least once not right after a negation. */
function containsPlainly(whole: string, part: string): boolean {
  for (let i = whole.indexOf(part); i !== -1; i = whole.indexOf(part, i + 1)) {
    const before = whole[i - 1];
    if (before === undefined || !NEGATIONS.has(before)) return true;
  }
  return false;
}
