const DIGITS: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, '○': 0, 洞: 0,
  一: 1, 壹: 1, 幺: 1,
  二: 2, 贰: 2, 貳: 2, 两: 2, 兩: 2,
  三: 3, 叁: 3, 參: 3,
  四: 4, 肆: 4,
  五: 5, 伍: 5,
  六: 6, 陆: 6, 陸: 6,
  七: 7, 柒: 7,
  八: 8, 捌: 8,
  九: 9, 玖: 9,
};

/** Units inside a 万-section. */
const SMALL_UNITS: Readonly<Record<string, number>> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 };
const LARGE_UNITS: Readonly<Record<string, number>> = { 万: 1e4, 萬: 1e4, 亿: 1e8, 億: 1e8 };

/** True when `ch` is a character {@link parseChineseNumeral} understands. */
export function isChineseNumeralChar(ch: string): boolean {
  return ch in DIGITS || ch in SMALL_UNITS || ch in LARGE_UNITS;
}

/** The value of one digit character (`五` 5, `〇` 0), or undefined. */
export function chineseDigit(ch: string): number | undefined {
  return DIGITS[ch];
}

/** The largest unit written in a numeral (`三十五` 10, `一亿五千` 100,000,000; 0 without one). */
export function largestUnit(s: string): number {
  let largest = 0;
  for (const ch of s) largest = Math.max(largest, SMALL_UNITS[ch] ?? LARGE_UNITS[ch] ?? 0);
  return largest;
}

/**
 * The value of a Chinese numeral, or null when `s` is not one.
 *
 * Two forms: with units (`三十五` 35, `两百零五` 205, `一万二千` 12000, financial `叁拾伍`), and
 * digit by digit as years are written (`二〇二〇` 2020). The spoken abbreviation after a unit
 * of a hundred or more is read as people mean it: `一万二` 12000, `三百五` 350.
 *
 * @example
 * parseChineseNumeral('一千二百') // 1200
 * parseChineseNumeral('待定')     // null
 */
export function parseChineseNumeral(s: string): number | null {
  const chars = [...s.trim()];
  if (chars.length === 0 || !chars.every(isChineseNumeralChar)) return null;
  if (chars.every((ch) => ch in DIGITS)) {
    return chars.reduce((acc, ch) => acc * 10 + (DIGITS[ch] ?? 0), 0);
  }

  let total = 0; // completed 亿 part
  let wan = 0; // completed 万 part
  let section = 0; // below 万
  let digit: number | null = null; // pending digit
  let lastSmall = Infinity; // last small unit in this section, to reject 二十三百
  let prevUnit = 0; // unit right before the pending digit (0 when a 零 came between)

  for (const ch of chars) {
    const d = DIGITS[ch];
    const small = SMALL_UNITS[ch];
    const large = LARGE_UNITS[ch];
    if (d !== undefined) {
      if (digit !== null && digit !== 0 && d !== 0) return null; // 五五
      if (d === 0) prevUnit = 0;
      digit = d;
    } else if (small !== undefined) {
      if (small >= lastSmall) return null;
      if (digit === null || digit === 0) {
        if (small !== 10) return null; // 百 and 千 need their digit; 十 alone means 一十
        digit = 1;
      }
      section += digit * small;
      digit = null;
      lastSmall = small;
      prevUnit = small;
    } else if (large !== undefined) {
      const part = section + (digit ?? 0);
      if (large === 1e4) {
        if (part === 0 || wan !== 0) return null;
        wan = part * 1e4;
      } else {
        if (part === 0 && wan === 0) return null;
        total = (total + wan + part) * 1e8;
        wan = 0;
      }
      section = 0;
      digit = null;
      lastSmall = Infinity;
      prevUnit = large;
    }
  }
  let tail = digit ?? 0;
  if (digit !== null && prevUnit >= 100) tail = digit * (prevUnit / 10);
  return total + wan + section + tail;
}
