/**
 * Finds the figures in a paragraph of a draft report: Arabic and Chinese numerals (`131`,
 * `1,200`, `１３１`, `一千二百`, `1.2万`), how exactly they are meant (`280余`, `280多`, `近300`,
 * `超过200`, `约1200`, `200以上`, `不足10`), percentages (`95%`, `百分之九十五`) and the unit after
 * them (`项`, `人次` …). Dates, times, ordinals (第一), numbers inside quotation marks and book
 * titles (“三项制度”, 《…》) are not figures.
 */

/** How a figure constrains the true value. */
export type FigureKind =
  | 'exact' // 131件
  | 'more' // 280余项, 280多项: a little more than, below the next step (281–289)
  | 'nearly' // 近300项: a little less than (290–299)
  | 'about' // 约280项, 280项左右: rounds to it (275–285)
  | 'over' // 超过280项, 逾280项, 280项以上
  | 'under' // 不足280项, 不到280项, 280项以内
  | 'percent'; // 95%, 百分之九十五

export interface DraftFigure {
  /** The figure as written, markers and unit included: `280余项`, `近300项`, `一千二百余人次`. */
  readonly text: string;
  readonly value: number;
  readonly kind: FigureKind;
  /** The unit after it (`项`, `人次`), null when none. */
  readonly unit: string | null;
  /** Offsets of `text` in the paragraph. */
  readonly start: number;
  readonly end: number;
  /** Offsets of the number itself (without markers). */
  readonly numberStart: number;
  readonly numberEnd: number;
  /**
   * The precision the number is written at: 0.1 for `3256.8`, 1 for `43`, 1000 for `1.2万`. An
   * exact figure is checked at it: `3256.8万元` is consistent with 3256.80 and with 3256.77.
   */
  readonly precision: number;
  /**
   * A figure that may just be a word (`一项重要工作`, a number without a unit): reported only when
   * the words around it name an indicator plainly.
   */
  readonly weak: boolean;
}

/** Units a figure of a report may carry, longest first so that 人次 wins over 人. */
export const UNITS: readonly string[] = ['人次', '万元', '小时', '件', '项', '人', '名', '位', '次', '场', '期', '份', '个', '起', '宗', '家', '条', '篇', '户', '所', '处', '元', '天'];

const CN_DIGITS: Readonly<Record<string, number>> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const CN_UNITS: Readonly<Record<string, number>> = { 十: 10, 百: 100, 千: 1000 };
const CN_BIG: Readonly<Record<string, number>> = { 万: 10_000, 亿: 100_000_000 };

/**
 * The value of a Chinese numeral: `一千二百` → 1200, `十五` → 15, `一百零五` → 105, `三万五千` →
 * 35000, `二〇二〇` → 2020 (digit by digit when it has no 十/百/千). null when it is not one.
 *
 * @example
 * parseChineseNumber('一千二百'); // 1200
 */
export function parseChineseNumber(text: string): number | null {
  if (text === '' || ![...text].every((c) => c in CN_DIGITS || c in CN_UNITS || c in CN_BIG)) return null;
  if (![...text].some((c) => c in CN_UNITS || c in CN_BIG)) {
    return Number([...text].map((c) => CN_DIGITS[c]).join(''));
  }
  let total = 0;
  let section = 0;
  let digit: number | null = null;
  for (const c of text) {
    const d = CN_DIGITS[c];
    const u = CN_UNITS[c];
    const b = CN_BIG[c];
    if (d !== undefined) digit = d;
    else if (u !== undefined) {
      section += (digit ?? (section === 0 && c === '十' ? 1 : 0)) * u;
      digit = null;
    } else if (b !== undefined) {
      section += digit ?? 0;
      total += (section === 0 ? 1 : section) * b;
      section = 0;
      digit = null;
    }
  }
  return total + section + (digit ?? 0);
}

const NUMBER = /([0-9]+(?:,[0-9]{3})*(?:\.[0-9]+)?[万亿]?)|([零〇一二两三四五六七八九十百千万亿]+)/g;
const PREFIX: readonly [RegExp, FigureKind][] = [
  [/(大约|约)$/, 'about'],
  [/(将近|接近|近)$/, 'nearly'],
  [/(超过|逾|多于|高于|超)$/, 'over'],
  [/(不足|不到|少于|低于)$/, 'under'],
];
/** What follows a number that makes it a date, a time or an age, not a figure. */
const NOT_A_FIGURE_AFTER = /^(年|月|日|号|时|点|分|秒|岁|届|季度|周年|[:：][0-9]|[-/.][0-9])/;
const NOT_A_FIGURE_BEFORE = /(第|[A-Za-z0-9.\-/:])$/;
/** Spans that hold names, not figures: quotations, book titles, document numbers, dates, times. */
const MASKS = [
  /“[^”]{0,30}”/g,
  /"[^"]{0,30}"/g,
  /《[^》]{0,40}》/g,
  /〔[^〕]{0,10}〕/g,
  // Dates have a year of this era: 3256.8 (万元) is an amount, not a month of the year 3256.
  /(?:19|20)[0-9]{2}\s*[-/年]\s*[0-9]{1,2}(?:\s*[-/.月]\s*[0-9]{1,2}\s*[日号]?)?/g,
  /(?:19|20)[0-9]{2}\.[0-9]{1,2}\.[0-9]{1,2}/g,
  // 2020.3 is a month; 2020.5万元 and 2021.5件 are amounts.
  /(?:19|20)[0-9]{2}\.(?:1[0-2]|0?[1-9])(?![0-9.%％万亿]|\s*(?:元|人|件|项|次|份|个|名|位|场|期|起|宗|家|条|篇|户|所|处|天|小时))/g,
  /[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*[日号]/g,
  /[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?/g,
];

/** Full-width digits, commas and percent signs to ASCII, one UTF-16 unit for one, so offsets hold. */
export function normalizeDigits(text: string): string {
  return text.replace(/[０-９％，．]/g, (c) => {
    if (c === '％') return '%';
    if (c === '，') return '，';
    if (c === '．') return '.';
    return String.fromCharCode(c.charCodeAt(0) - 0xff10 + 0x30);
  });
}

/**
 * The units a draft's figures may carry: {@link UNITS} and a pack's own (`万人次`, `亿元`,
 * `平方米`), longest first so that 万人次 wins over 人次 and a 万 before it stays the unit's.
 *
 * @example
 * unitsWith(['万人次', '件', '%']).indexOf('万人次') < unitsWith(['万人次']).indexOf('人次'); // true
 */
export function unitsWith(packUnits: readonly string[]): readonly string[] {
  const own = packUnits.filter((u) => u !== '%' && u.trim() !== '' && !/[0-9]/.test(u));
  return [...new Set([...UNITS, ...own])].sort((a, b) => b.length - a.length);
}

/**
 * Every figure of one paragraph, in order. `units` are the units known (default {@link UNITS};
 * a pack's with {@link unitsWith}).
 *
 * @example
 * findFigures('全年公示执法信息280余项，审核行政处罚案件二百余件')
 *   .map((f) => [f.text, f.value, f.kind]); // [['280余项', 280, 'more'], ['二百余件', 200, 'more']]
 * findFigures('普法受众3.2万人次', unitsWith(['万人次']))[0]?.value; // 3.2 (万人次), not 32000 (人次)
 */
export function findFigures(paragraph: string, units: readonly string[] = UNITS): DraftFigure[] {
  const text = normalizeDigits(paragraph);
  const masked = new Uint8Array(text.length);
  for (const re of MASKS) for (const m of text.matchAll(re)) masked.fill(1, m.index, m.index + m[0].length);

  const out: DraftFigure[] = [];
  for (const m of text.matchAll(NUMBER)) {
    const numberStart = m.index;
    let numberEnd = numberStart + m[0].length;
    let arabic = m[1];
    // 3256.8万元: 万 is part of the unit 万元 (a figure counted in 万元), not ×10000 of 元; the
    // same for a pack's 万人次 or 亿元.
    if (arabic !== undefined && /[0-9][万亿]$/.test(arabic) && units.some((u) => /^[万亿]/.test(u) && text.startsWith(u, numberEnd - 1))) {
      arabic = arabic.slice(0, -1);
      numberEnd -= 1;
    }
    if (masked[numberStart] === 1) continue;
    const before = text.slice(0, numberStart);
    if (NOT_A_FIGURE_BEFORE.test(before)) continue;

    let value: number | null;
    let chinese = false;
    let precision = 1;
    if (arabic !== undefined) {
      const big = /[万亿]$/.exec(arabic)?.[0];
      const scale = big === '万' ? 10_000 : big === '亿' ? 100_000_000 : 1;
      const decimals = /\.([0-9]+)/.exec(arabic)?.[1]?.length ?? 0;
      // 1.2万 is 12000 and 3256.8 is 3256.8, without the binary noise of the multiplication.
      value = Number((Number(arabic.replace(/[,万亿]/g, '')) * scale).toPrecision(15));
      precision = Number((scale / 10 ** decimals).toPrecision(15));
    } else {
      chinese = true;
      // A run such as 一是 or 十四五 without a unit is a word; 万/千 alone (千万) is no numeral.
      const token = m[2] ?? '';
      if (!/[零〇一二两三四五六七八九]/.test(token) && !token.startsWith('十')) continue;
      value = parseChineseNumber(token);
    }
    if (value === null || !Number.isFinite(value)) continue;

    let rest = text.slice(numberEnd);
    if (NOT_A_FIGURE_AFTER.test(rest)) continue;

    let kind: FigureKind = 'exact';
    let start = numberStart;
    const percentBefore = /百分之$/.exec(before);
    if (percentBefore) {
      kind = 'percent';
      start -= percentBefore[0].length;
    } else {
      for (const [re, k] of PREFIX) {
        const p = re.exec(before);
        if (p) {
          kind = k;
          start -= p[0].length;
          break;
        }
      }
    }
    let end = numberEnd;
    if (/^[%]/.test(rest)) {
      kind = 'percent';
      end += 1;
    }
    if (kind !== 'percent') {
      const more = /^(余|多)/.exec(rest);
      if (more) {
        if (kind === 'exact') kind = 'more';
        end += more[0].length;
        rest = text.slice(end);
      }
    }
    let unit: string | null = null;
    if (kind !== 'percent') {
      unit = units.find((u) => rest.startsWith(u)) ?? null;
      if (unit !== null) end += unit.length;
      const after = /^(以上|左右|以内|以下)/.exec(text.slice(end));
      if (after) {
        if (kind === 'exact') kind = after[1] === '左右' ? 'about' : after[1] === '以上' ? 'over' : 'under';
        end += after[0].length;
      }
    }
    // Chinese numerals without a unit are words (一是, 十四五, 两级), never figures.
    if (chinese && unit === null && kind !== 'percent') continue;
    const weak = kind !== 'percent' && (unit === null || (chinese && /^[一两]$/.test(m[2] ?? '')));
    out.push({ text: paragraph.slice(start, end), value, kind, unit, start, end, numberStart, numberEnd, precision, weak });
  }
  return out;
}

/** The step a figure is rounded to as the report writes it: 10 for 280, 100 for 1200, 1 under 10. */
export function roundingStep(n: number): number {
  const whole = Math.floor(Math.abs(n));
  if (whole >= 100) return 10 ** (String(whole).length - 2);
  if (whole >= 10) return whole % 10 === 0 ? 10 : 1;
  return 1;
}

/**
 * Whether the true value fits what the draft says (contract §3's wording rule):
 * `280余` fits 281–289 (and `200余` fits 201–209, as the report would write 250 as `250`);
 * an exact `280` fits 280 only, an exact `3256.8` anything that rounds to it; `近300` fits 290–299; `约280` fits 275–285; `超过280` anything above.
 *
 * @example
 * consistentWith({ value: 280, kind: 'more' }, 283); // true
 * consistentWith({ value: 280, kind: 'more' }, 280); // false: the report writes 280 as 280
 */
export function consistentWith(figure: Pick<DraftFigure, 'value' | 'kind'> & Partial<Pick<DraftFigure, 'precision'>>, actual: number): boolean {
  const n = figure.value;
  const step = roundingStep(n);
  switch (figure.kind) {
    case 'exact': {
      // At the precision written: 3256.8 for 3256.80 (or 3256.77) is right, 3290.5 is not; a
      // whole number written for a whole count is that count.
      const precision = figure.precision ?? 1;
      return Math.abs(actual - n) <= precision / 2 + 1e-9 * Math.max(1, Math.abs(n));
    }
    case 'more':
      return actual > n && actual < n + (n < 100 && n % 10 !== 0 ? 10 - (n % 10) : step);
    case 'nearly':
      return actual < n && actual >= n - step;
    case 'about':
      return Math.abs(actual - n) <= step / 2;
    case 'over':
      return actual > n;
    case 'under':
      return actual < n;
    case 'percent':
      return false;
  }
}
