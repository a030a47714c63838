import type { RawValue } from '../raw-sheet.ts';

/** Zero-width characters that clerks paste in from web pages and WeChat; \s does not cover them. */
const ZERO_WIDTH = /[\u200b-\u200d\u2060\ufeff]/g;
/**
 * Any character the folding below would touch: whitespace (what `\s` and `trim` both mean) or
 * a zero-width character. Most cells hold none, and one test is cheaper than the three passes.
 */
const NEEDS_FOLDING = /[\s\u200b-\u200d\u2060\ufeff]/;
/** Characters {@link toHalfWidth} changes. */
const FULL_WIDTH = /[\uff01-\uff5e\u3000]/;

/**
 * A cell as clean text, or null when it holds nothing.
 *
 * Text is trimmed and every run of whitespace inside it (U+3000, NBSP, tabs, line breaks)
 * becomes one ASCII space. A number becomes its plain decimal string, without exponent and
 * without binary float noise (0.1 + 0.2 → `0.3`); a boolean becomes `TRUE`/`FALSE`, as Excel
 * shows it; a Date becomes `YYYY-MM-DD` from its UTC parts (exceljs hands dates as UTC).
 *
 * @example
 * foldText('  张\u3000三\n ') // '张 三'
 * foldText(20200305)        // '20200305'
 * foldText('\u3000')        // null
 */
export function foldText(raw: RawValue): string | null {
  if (raw === null) return null;
  if (typeof raw === 'boolean') return raw ? 'TRUE' : 'FALSE';
  if (typeof raw === 'number') return formatNumber(raw);
  if (raw instanceof Date) return formatUtcDate(raw);
  // Without whitespace or zero-width characters the replaces and the trim change nothing.
  if (!needsFolding(raw)) return raw === '' ? null : raw;
  const text = raw.replace(ZERO_WIDTH, '').replace(/\s+/g, ' ').trim();
  return text === '' ? null : text;
}

/**
 * {@link NEEDS_FOLDING}'s test. A short text (a ledger's cells nearly all are) is looked at a
 * character at a time: calling the regular expression cost more than the looking.
 */
function needsFolding(s: string): boolean {
  if (s.length > SHORT) return NEEDS_FOLDING.test(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Printable ASCII and the CJK blocks (U+3001 to U+FEFE: none of them a space) are nearly
    // every character of a ledger, and are passed at once.
    if ((c > 0x20 && c < 0x7f) || (c > 0x3000 && c < 0xfeff)) continue;
    if (isSpaceOrZeroWidth(c)) return true;
  }
  return false;
}

/** Texts up to this long are looked at a character at a time, longer ones by the regular expression. */
const SHORT = 64;

/**
 * `/\s/.test(s)`, the same way as {@link needsFolding}: a test of every character of a short
 * text (tests/read-fast-paths.test.ts holds these to the regular expressions, character by character).
 */
export function hasWhitespace(s: string): boolean {
  if (s.length > SHORT) return WHITESPACE.test(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c > 0x20 && c < 0x7f) || (c > 0x3000 && c < 0xfeff)) continue;
    if (isSpace(c)) return true;
  }
  return false;
}

const WHITESPACE = /\s/;

/** A character {@link NEEDS_FOLDING} matches: whitespace (`\s`) or a zero-width character. */
export function isSpaceOrZeroWidth(c: number): boolean {
  return isSpace(c) || isZeroWidth(c);
}

/** A character `\s` matches. */
function isSpace(c: number): boolean {
  return c <= 0x20 ? isAsciiSpace(c) : c >= 0xa0 && isWideSpace(c);
}

/** Tab, line feed, vertical tab, form feed, carriage return, space: what `\s` matches below U+0080. */
function isAsciiSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d);
}

/** What `\s` matches from U+00A0 up. */
function isWideSpace(c: number): boolean {
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** The zero-width characters {@link ZERO_WIDTH} removes. */
function isZeroWidth(c: number): boolean {
  return (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff;
}

/**
 * Full-width ASCII (U+FF01–U+FF5E) to ASCII and the ideographic space U+3000 to a space;
 * everything else (CJK, full-width brackets outside that range such as 【】) is left alone.
 *
 * @example
 * toHalfWidth('２０２０－０３－０５') // '2020-03-05'
 */
export function toHalfWidth(s: string): string {
  // Nothing to change is the common case: one test instead of the replace machinery.
  if (!hasFullWidth(s)) return s;
  return s.replace(/[\uff01-\uff5e\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/** `FULL_WIDTH.test(s)`, a short text a character at a time (see {@link hasWhitespace}). */
export function hasFullWidth(s: string): boolean {
  if (s.length > SHORT) return FULL_WIDTH.test(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0xff01 && c <= 0xff5e) || c === 0x3000) return true;
  }
  return false;
}

const PLAIN_DECIMAL = new Intl.NumberFormat('en-US', {
  useGrouping: false,
  // 15 significant digits is what a double holds exactly; beyond that is float noise.
  maximumSignificantDigits: 15,
});

function formatNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (Object.is(n, -0)) return '0';
  // A whole number of at most 15 digits is exact in a double: String prints it plainly (no
  // exponent below 1e21) and the 15-digit rounding has nothing to round.
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  return PLAIN_DECIMAL.format(n);
}

function formatUtcDate(d: Date): string | null {
  if (Number.isNaN(d.getTime())) return null;
  const y = String(d.getUTCFullYear()).padStart(4, '0');
  const m = String(d.getUTCMonth() + 1).padStart(2, '0');
  const day = String(d.getUTCDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}
