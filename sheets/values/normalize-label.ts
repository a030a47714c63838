/**
 * Opening and closing brackets of every kind clerks use (round, square, curly, lenticular,
 * tortoise-shell, corner, white variants). Book-title marks 《》 and angle brackets 〈〉 are
 * deliberately not here: they mark titles, not parentheses.
 */
const OPENING = /[([{（［｛【〔〖〘〚「『⦅｟﹙﹛﹝]/g;
const CLOSING = /[)\]}）］｝】〕〗〙〛」』⦆｠﹚﹜﹞]/g;
const WHITESPACE = /[\s\u200b-\u200d\u2060\ufeff]+/g;
const NFKC_STABLE = /^[\u0020-\u007e\u3001-\u303f\u4e00-\u9fff]*$/;

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
  return (NFKC_STABLE.test(s) ? s : s.normalize('NFKC'))
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
  return normalizeKey(s)
    .replace(/\*/g, '')
    .replace(/\(\)/g, '')
    .replace(/:+$/, '');
}
