/**
 * What every demo inbox is made with: a seeded PRNG (the same inbox every time), dates and the
 * forms clerks write them in (2020.3.5, 2020/3/5, 2020年3月5日, 20200305, 3月5日), sums split
 * into parts, full-width digits, and Chinese names.
 */

/** mulberry32: a small seeded PRNG, so the demo is the same on every run. */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(items: readonly T[]): T {
    const v = items[Math.floor(this.next() * items.length)];
    if (v === undefined) throw new Error('pick from an empty list');
    return v;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

// ---------------------------------------------------------------- dates and their written forms

export const DAY = 86_400_000;
export const d = (y: number, m: number, day: number): Date => new Date(Date.UTC(y, m - 1, day));
export const addDays = (date: Date, n: number): Date => new Date(date.getTime() + n * DAY);
const ymd = (date: Date) => ({ y: date.getUTCFullYear(), m: date.getUTCMonth() + 1, d: date.getUTCDate() });
const pad = (n: number) => String(n).padStart(2, '0');
export const dotted = (date: Date) => { const t = ymd(date); return `${t.y}.${t.m}.${t.d}`; };
export const slashed = (date: Date) => { const t = ymd(date); return `${t.y}/${t.m}/${t.d}`; };
export const chinese = (date: Date) => { const t = ymd(date); return `${t.y}年${t.m}月${t.d}日`; };
export const compact = (date: Date) => { const t = ymd(date); return `${t.y}${pad(t.m)}${pad(t.d)}`; };
export const iso = (date: Date) => { const t = ymd(date); return `${t.y}-${pad(t.m)}-${pad(t.d)}`; };
export const monthDay = (date: Date) => { const t = ymd(date); return `${t.m}月${t.d}日`; };

/** A working day (Mon–Fri) between two dates inclusive. */
export function workday(rng: Rng, from: Date, to: Date): Date {
  const span = Math.round((to.getTime() - from.getTime()) / DAY);
  for (;;) {
    const date = addDays(from, rng.int(0, span));
    const wd = date.getUTCDay();
    if (wd !== 0 && wd !== 6) return date;
  }
}

/** n sorted working days in a range. */
export function workdays(rng: Rng, from: Date, to: Date, n: number): Date[] {
  return Array.from({ length: n }, () => workday(rng, from, to)).sort((a, b) => a.getTime() - b.getTime());
}

/** n integers >= min adding up to total. */
export function splitSum(rng: Rng, total: number, n: number, min: number): number[] {
  const weights = Array.from({ length: n }, () => 0.3 + rng.next());
  const w = weights.reduce((s, x) => s + x, 0);
  const spare = total - n * min;
  const parts = weights.map((x) => min + Math.floor((spare * x) / w));
  let rest = total - parts.reduce((s, x) => s + x, 0);
  for (let i = 0; rest > 0; i = (i + 1) % n, rest--) parts[i] = (parts[i] ?? 0) + 1;
  return parts;
}

/** Digits as full-width characters (１２３), as some clerks type them. */
export const FULL_WIDTH = (n: number) => String(n).replace(/\d/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** The last day of month m of a year (Date.UTC rolls month 13 over to January). */
export const monthEndOf = (year: number, m: number): Date => addDays(d(year, m + 1, 1), -1);

/** Whether a date falls in a year. */
export const inYearOf = (date: Date | null | undefined, year: number) => date != null && date.getUTCFullYear() === year;

export const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱', '胡', '郭', '何', '高', '于', '郑'] as const;
export const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '建国', '志强', '海燕', '玉兰', '春生', '宝山', '德明', '淑珍', '红梅'] as const;
export const name = (rng: Rng) => rng.pick(SURNAMES) + rng.pick(GIVEN);
export const anon = (rng: Rng) => `${rng.pick(SURNAMES)}某某`;
