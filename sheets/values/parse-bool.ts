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
 * taken: some clerks mean × by it, others a tick.
 *
 * @example
 * parseBool('√')    // { ok: true, value: true }
 * parseBool('待定') // { ok: false, reason: '“待定”不是“是/否”' }
 */
export function parseBool(raw: RawValue): Parsed<boolean> {
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
  return fail(`“${text}”不是“是/否”`);
}
