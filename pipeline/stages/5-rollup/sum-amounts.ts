/**
 * A figure's amounts added up as the cells hold them. A cell holds at most 15 significant digits
 * (Excel's precision, and what sheets/values/parse-number.ts keeps of a formula's result); adding
 * decimal amounts in binary leaves noise beyond them (1,200.1 + 2,056.2 = 3256.2999999999997),
 * which would reach 指标汇总, `tally explain` and `tally verify` as it is.
 */

/**
 * A sum rounded to 15 significant digits: the noise goes, no digit a cell could hold does.
 *
 * @example
 * toCellPrecision(1200.1 + 2056.2); // 3256.3, not 3256.2999999999997
 * toCellPrecision(283); // 283
 */
export function toCellPrecision(sum: number): number {
  // A whole sum has no noise to round (and one past 15 digits would lose its last ones).
  if (!Number.isFinite(sum) || Number.isInteger(sum)) return sum + 0;
  return Number(sum.toPrecision(15)) + 0;
}

/**
 * The amounts added up at cell precision.
 *
 * @example
 * sumAmounts([1200.1, 2056.2]); // 3256.3
 */
export function sumAmounts(amounts: Iterable<number>): number {
  let sum = 0;
  for (const a of amounts) sum += a;
  return toCellPrecision(sum);
}
