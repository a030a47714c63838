/**
 * Opening and closing brackets of every kind clerks use (round, square, curly, lenticular,
 * tortoise-shell, corner, white variants). Book-title marks 《》 and angle brackets 〈〉 are
 * deliberately not here: they mark titles, not parentheses.
 */
const OPENING = /[([{（［｛【〔〖〘〚「『⦅｟﹙﹛﹝]/g;
const CLOSING = /[)\]}）］｝】〕〗〙〛」』⦆｠﹚﹜﹞]/g;
const WHITESPACE = /[\s\u200b-\u200d\u2060\ufeff]+/g;
const NFKC_STABLE = /^[\u0020-\u007e\u3001-\u303f\u4e00-\u9fff]*$/;
/** A character one of normalizeKey's replaces changes: whitespace, a bracket, an ASCII capital. */
const KEY_CHANGES = new RegExp(`${WHITESPACE.source.replace(/\+$/, '')}|${OPENING.source}|${CLOSING.source}|[A-Z]`);
/** Something normalizeLabel's replaces remove: a `*`, an emptied `()`, a trailing colon. */
const LABEL_CHANGES = /\*|\(\)|:$/;

/**
 * A text folded for comparing identifiers: NFKC (full-width → half-width), all whitespace
 * removed, every kind of bracket made `(` `)`, ASCII letters lower-cased. Used to detect
 * duplicate 案号/文号/姓名.
 *
 * @example
 * normalizeKey('安执罚字〔2020〕第 1 号') === normalizeKey('安执罚字(2020)第1号') // true
 */
export function normalizeKey(s: string): string {
  // NFKC is the costly step and leaves printable ASCII, CJK ideographs and CJK punctuation
  // (but the ideographic space) as they are: most keys skip it.
  const folded = NFKC_STABLE.test(s) ? s : s.normalize('NFKC');
  // Most keys hold nothing the replaces below would change: one test instead of four passes.
  if (!KEY_CHANGES.test(folded)) return folded;
  return folded
    .replace(WHITESPACE, '')
    .replace(OPENING, '(')
    .replace(CLOSING, ')')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/**
 * A header label or enum value folded for matching: {@link normalizeKey}, then the markers
 * clerks add are dropped: `*` anywhere (required-column marks, including an emptied `(*)`)
 * and trailing colons.
 *
 * @example
 * normalizeLabel('*罚款金额\n（元）：') // '罚款金额(元)'
 */
export function normalizeLabel(s: string): string {
  const key = normalizeKey(s);
  // No `*`, no `()` and no trailing colon: the replaces below would change nothing.
  if (!LABEL_CHANGES.test(key)) return key;
  return key
    .replace(/\*/g, '')
    .replace(/\(\)/g, '')
    .replace(/:+$/, '');
}
