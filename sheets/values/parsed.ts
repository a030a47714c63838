/** Result of reading one cell as a column's type: a value (null = empty) or a reason in Chinese. */
export type Parsed<T> = { readonly ok: true; readonly value: T | null } | { readonly ok: false; readonly reason: string };

/**
 * The results every reading of an empty cell or a yes/no gives, made once: a result is never
 * changed, and a new one for each of them was garbage made for most cells of a sheet.
 */
const OK_NULL: Parsed<never> = { ok: true, value: null };
const OK_TRUE: Parsed<boolean> = { ok: true, value: true };
const OK_FALSE: Parsed<boolean> = { ok: true, value: false };

export const ok = <T>(value: T | null): Parsed<T> =>
  value === null ? OK_NULL : value === true ? (OK_TRUE as Parsed<T>) : value === false ? (OK_FALSE as Parsed<T>) : { ok: true, value };
export const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });
