import { isSpaceOrZeroWidth } from './fold-text.ts';

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
  if (folded.length <= SHORT_KEY) return foldKeyChars(folded);
  // Most keys hold nothing the replaces below would change: one test instead of four passes.
  if (!KEY_CHANGES.test(folded)) return folded;
  return folded
    .replace(WHITESPACE, '')
    .replace(OPENING, '(')
    .replace(CLOSING, ')')
    .replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Keys up to this long are folded a character at a time ({@link foldKeyChars}). */
const SHORT_KEY = 64;

/** The characters of a bracket class's source (`[…]`, no ranges, `\` escaping the next). */
function classMembers(re: RegExp): Set<number> {
  const body = re.source.slice(1, -1);
  const out = new Set<number>();
  for (let i = 0; i < body.length; i++) out.add(body.charCodeAt(body.charCodeAt(i) === 0x5c ? ++i : i));
  return out;
}

const OPENING_CODES = classMembers(OPENING);
const CLOSING_CODES = classMembers(CLOSING);

/**
 * The four replaces of {@link normalizeKey} in one pass: each changes one character at a time
 * (whitespace and zero-width characters go, brackets become `(` `)`, A-Z lower case), so a
 * pass over the characters gives what they give, without a regular expression call each, and
 * without a new string when nothing changes (most keys hold a 〔〕, and nothing else to change).
 * Held to the replaces on every UTF-16 code unit (tests/extract-speed.test.ts).
 */
function foldKeyChars(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // CJK ideographs, digits and lower-case letters, most of a key, stay as they are.
    if ((c >= 0x4e00 && c <= 0x9fff) || (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x7a)) continue;
    let to: string | undefined;
    if (c >= 0x41 && c <= 0x5a) to = String.fromCharCode(c + 32);
    else if (isSpaceOrZeroWidth(c)) to = '';
    else if (OPENING_CODES.has(c)) to = c === 0x28 ? undefined : '(';
    else if (CLOSING_CODES.has(c)) to = c === 0x29 ? undefined : ')';
    if (to === undefined) continue;
    out += s.slice(from, i) + to;
    from = i + 1;
  }
  return from === 0 ? s : out + s.slice(from);
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

/** A folded label with its last bracketed parts taken off: what is left, and what was taken, last first. */
export interface PeeledLabel {
  readonly stem: string;
  /** The texts inside the brackets taken off, the last bracket first (`人次(人)(必填)` → 必填, 人). */
  readonly peeled: readonly string[];
}

/**
 * A label folded by {@link normalizeLabel} (brackets made `(` `)`), its trailing bracketed parts
 * taken off one at a time, each peel a step: units and hints clerks add to a header (人次（人）,
 * 服务日期（年月日）, 服务类别(必填), also after a line break). A bracket inside another is taken
 * with it; a label that is only a bracket, or whose brackets do not pair, gives nothing more.
 *
 * @example
 * peelTrailingBrackets('人次(人)(必填)')
 * // [{ stem: '人次(人)', peeled: ['必填'] }, { stem: '人次', peeled: ['必填', '人'] }]
 */
export function peelTrailingBrackets(label: string): PeeledLabel[] {
  const out: PeeledLabel[] = [];
  const peeled: string[] = [];
  let stem = label;
  // Most labels end in no bracket: one code unit compared.
  while (stem.charCodeAt(stem.length - 1) === 0x29) {
    let depth = 0;
    let open = -1;
    for (let i = stem.length - 1; i >= 0; i--) {
      const c = stem.charCodeAt(i);
      if (c === 0x29) depth++;
      else if (c === 0x28 && --depth === 0) {
        open = i;
        break;
      }
    }
    if (open <= 0) break;
    peeled.push(stem.slice(open + 1, -1));
    stem = stem.slice(0, open);
    out.push({ stem, peeled: [...peeled] });
  }
  return out;
}
