import type { ValueNote } from './value-note.ts';

/**
 * Result of reading one cell as a column's type: a value (null = empty) or a reason in Chinese.
 * A value may carry notes ({@link ValueNote}: an approximation, a unit that does not fit), each
 * a finding at its cell; a plain value carries none (the property is absent, nothing is made).
 */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T | null; readonly notes?: readonly ValueNote[] }
  | { readonly ok: false; readonly reason: string };

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

/**
 * A value with what the clerk must be told of it (null: the cell is not counted, a note says
 * why); without notes, {@link ok}'s.
 *
 * @example
 * noted(280, [{ kind: 'approximate', word: '余', bound: 'more' }]) // `280余`
 */
export const noted = <T>(value: T | null, notes: readonly ValueNote[] | undefined): Parsed<T> =>
  notes === undefined || notes.length === 0 ? ok(value) : { ok: true, value, notes };
