/**
 * How the report writes a figure (contract §3, "How a figure is written").
 *
 * - `exact` prints the number.
 * - `approx` floors the number to its two leading digits and adds 余: 283 → `280余`,
 *   1234 → `1200余`. A value already round to two leading digits is printed exactly (280 → `280`),
 *   and values under 100 are always exact. So a draft saying `280余项` fits any value from 281 to 289.
 * - `percent` prints a share in percent with at most one decimal: 66.666 → `66.7` (unit `%`).
 * - `over` prints the step the figure exceeds (`"over": 95` in the pack): 96.6 → `超过95`
 *   (with its unit, `超过95%`); a figure not above the step is printed exactly.
 *
 * Non-integers are printed with at most two decimals (`12.5`, `3.14`).
 */

export type Written = 'exact' | 'approx' | 'percent' | 'over';

/**
 * Formats one figure the way the report text writes it, without the unit.
 *
 * @example
 * formatFigure(283, 'approx'); // '280余'
 * formatFigure(1200, 'approx'); // '1200'
 * formatFigure(35, 'exact'); // '35'
 * formatFigure(66.666, 'percent'); // '66.7'
 * formatFigure(96.6, 'over', 95); // '超过95'
 */
export function formatFigure(value: number, written: Written, over?: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (written === 'percent') return String(Math.round(value * 10) / 10);
  if (written === 'over') return over !== undefined && value > over ? `超过${plain(over)}` : plain(value);
  if (written === 'exact' || value < 100) return plain(value);
  const whole = Math.floor(value);
  const magnitude = 10 ** (String(whole).length - 2);
  const floored = Math.floor(value / magnitude) * magnitude;
  return floored === value ? plain(value) : `${floored}余`;
}

/**
 * The figure with its unit, as the text writes it (`280余项`, `15次`); null when the value is
 * unknown (a missing ledger), so the caller can never print a silent blank or zero.
 *
 * @example
 * wordFigure(283, 'approx', '项'); // '280余项'
 * wordFigure(null, 'exact', '件'); // null
 * wordFigure(96.6, 'over', '%', 95); // '超过95%'
 */
export function wordFigure(value: number | null, written: Written, unit: string, over?: number): string | null {
  if (value === null) return null;
  return `${formatFigure(value, written, over)}${unit}`;
}

/** At most two decimals, no trailing zeros, never exponent notation for the sizes we meet. */
function plain(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 100) / 100);
}
