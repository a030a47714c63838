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
 * Non-integers are printed with at most two decimals (`12.5`, `3.14`), unless the pack says how
 * many: `"decimals": 2` prints every number the figure is written with to two, zeros kept
 * (罚没款 `123.40万元`), `"decimals": 1` rounds to one (普法受众 `3.2万人次` for 3.2156), `0` to a
 * whole number. The 余 of `approx` is never given decimals.
 */

export type Written = 'exact' | 'approx' | 'percent' | 'over';

/** How one figure is written: the form, for `over` its step, and how many decimals. */
export interface FigureWording {
  readonly written: Written;
  readonly over?: number | undefined;
  /** Decimals printed, zeros kept (`123.40`); default: at most two (one for `percent`), none kept. */
  readonly decimals?: number | undefined;
}

/** The parts of {@link FigureWording} besides the form: `over`'s step, the decimals. */
export type WordingOptions = Omit<FigureWording, 'written'>;

/**
 * Formats one figure the way the report text writes it, without the unit.
 *
 * @example
 * formatFigure(283, 'approx'); // '280余'
 * formatFigure(1200, 'approx'); // '1200'
 * formatFigure(35, 'exact'); // '35'
 * formatFigure(66.666, 'percent'); // '66.7'
 * formatFigure(96.6, 'over', { over: 95 }); // '超过95'
 * formatFigure(123.4, 'exact', { decimals: 2 }); // '123.40'
 * formatFigure(3.2156, 'exact', { decimals: 1 }); // '3.2'
 */
export function formatFigure(value: number, written: Written, options: WordingOptions = {}): string {
  if (!Number.isFinite(value)) return String(value);
  const { over, decimals } = options;
  const number = (n: number) => (decimals === undefined ? plain(n) : fixed(n, decimals));
  if (written === 'percent') return decimals === undefined ? String(Math.round(value * 10) / 10) : fixed(value, decimals);
  if (written === 'over') return over !== undefined && value > over ? `超过${number(over)}` : number(value);
  if (written === 'exact' || value < 100) return number(value);
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
 * wordFigure(96.6, 'over', '%', { over: 95 }); // '超过95%'
 * wordFigure(1234500 / 10000, 'exact', '万元', { decimals: 2 }); // '123.45万元'
 */
export function wordFigure(value: number | null, written: Written, unit: string, options: WordingOptions = {}): string | null {
  if (value === null) return null;
  return `${formatFigure(value, written, options)}${unit}`;
}

/**
 * Exactly `decimals` decimals, rounded half away from zero at the precision a cell holds
 * (123.445 → `123.45`, where toFixed alone gives `123.44` from the binary 123.44499…).
 */
function fixed(value: number, decimals: number): string {
  const scaled = Number((Math.abs(value) * 10 ** decimals).toPrecision(15));
  const rounded = Math.round(scaled) / 10 ** decimals;
  return `${value < 0 && rounded !== 0 ? '-' : ''}${rounded.toFixed(decimals)}`;
}

/** At most two decimals, no trailing zeros, never exponent notation for the sizes we meet. */
function plain(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 100) / 100);
}
