/** Result of reading one cell as a column's type: a value (null = empty) or a reason in Chinese. */
export type Parsed<T> = { readonly ok: true; readonly value: T | null } | { readonly ok: false; readonly reason: string };

export const ok = <T>(value: T | null): Parsed<T> => ({ ok: true, value });
export const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });
