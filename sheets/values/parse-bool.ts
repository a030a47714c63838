import type { RawValue } from '../raw-sheet.ts';
import { foldText, toHalfWidth } from './fold-text.ts';
import { fail, ok, type Parsed } from './parsed.ts';

const TRUE_WORDS = new Set(['是', '√', '✓', '✔', '☑', '有', '对', 'y', 'yes', '1', 'true']);
const FALSE_WORDS = new Set(['否', '×', '✕', '✖', '✗', '✘', '无', '错', 'n', 'no', '0', 'false']);

/** The words, for tests: each must be its own lower case (see parseBool). */
export const BOOL_WORDS: readonly string[] = [...TRUE_WORDS, ...FALSE_WORDS];

/** 是/否 followed by an explanation: `是（出庭）`, `否，委托代理人出庭`. */
const EXPLAINED = /^([是否])[(（[【,，:：、;；\s]/;

/**
 * A cell read as yes/no.
 *
 * Accepts 是/否, √/×, ✓/✗, 有/无, 对/错, Y/N, yes/no (any case), 1/0 (number or text),
 * Excel TRUE/FALSE, and 是/否 followed by an explanation (`是（出庭）`). An ASCII `x` is not
 * taken: some clerks mean × by it, others a tick. Given the column's `subjects`
 * ({@link boolSubjects}), also its own words: 出庭 / 未出庭 in 负责人出庭.
 *
 * @example
 * parseBool('√')    // { ok: true, value: true }
 * parseBool('待定') // { ok: false, reason: '“待定”不是“是/否”' }
 */
export function parseBool(raw: RawValue, subjects?: readonly string[]): Parsed<boolean> {
  if (raw === null) return ok(null);
  if (typeof raw === 'boolean') return ok(raw);
  const text = foldText(raw);
  if (text === null) return ok(null);
  const half = toHalfWidth(text).trim();
  // Every word is its own lower case, so a word found before lowering is the word found after
  // it; lowering a Chinese text is the costly case, and 是/否 the common one.
  if (TRUE_WORDS.has(half)) return ok(true);
  if (FALSE_WORDS.has(half)) return ok(false);
  const s = half.toLowerCase();
  if (TRUE_WORDS.has(s)) return ok(true);
  if (FALSE_WORDS.has(s)) return ok(false);
  const explained = EXPLAINED.exec(s);
  if (explained) return ok(explained[1] === '是');
  const said = subjects === undefined ? undefined : saysSubject(s.replace(/\s+/g, ''), subjects);
  if (said !== undefined) return ok(said);
  return fail(`“${text}”不是“是/否”`);
}

/** A word that denies what follows it: 未出庭, 不出庭, 没有出庭, 非重大. */
const DENIED = /^(?:没有|未|不|没|无|非)(.{2,})$/;
/** A word that says it happened: 已出庭. */
const AFFIRMED = /^已(.{2,})$/;

/**
 * The column's own words as its answer: in 负责人出庭, `出庭` or `已出庭` is 是 and `未出庭`,
 * `不出庭`, `没有出庭` 否 (what follows the denial is the end of the column's name, two
 * characters at least). Undefined for anything else.
 */
function saysSubject(text: string, subjects: readonly string[]): boolean | undefined {
  const names = (w: string) => w.length >= 2 && subjects.some((subject) => subject.endsWith(w));
  if (names(text)) return true;
  const affirmed = AFFIRMED.exec(text)?.[1];
  if (affirmed !== undefined && names(affirmed)) return true;
  const denied = DENIED.exec(text)?.[1];
  if (denied !== undefined && names(denied)) return false;
  return undefined;
}

/**
 * What a yes/no column's names (its header and aliases) ask, without 是否 and spaces, for
 * {@link parseBool}'s `subjects`: 负责人是否出庭 asks 负责人出庭.
 */
export function boolSubjects(names: readonly string[]): string[] {
  return names.map((n) => n.replace(/是否/g, '').replace(/\s+/g, '')).filter((n) => n.length >= 2);
}
