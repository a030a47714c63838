/**
 * A result kept beside the report (`<out>/.<name>-<year>.json`) with the key of what it was made
 * from: a run whose key is the same reads it back instead of making it again. The key must be
 * equal only when the result would be (a hash of everything it is made from); how it is made,
 * tally's code (code-version.ts), is kept beside it, so that a new tally never takes it.
 */
import { createHash } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { codeVersion } from '../../kernel/code-version.ts';

interface Kept<T> {
  readonly key: string;
  /** Which tally made it (code-version.ts): another tally never takes it. */
  readonly code: string;
  readonly value: T;
}

/** A key made of parts (texts, hashes): SHA-256 of their JSON. */
export function keyOf(...parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** `<out>/.<name>-<year>.json` */
export function keptPath(out: string, name: string, year: number): string {
  return join(out, `.${name}-${year}.json`);
}

/**
 * The value kept at `path` under `key` (and, given `valid`, still valid: files it names still
 * there as they were written), else `make()`'s (kept there when `keep`). `T` must survive JSON.
 */
export async function keptOr<T>(path: string, key: string, keep: boolean, make: () => Promise<T>, valid?: (value: T) => Promise<boolean>): Promise<T> {
  const kept = await readKept<T>(path);
  const code = codeVersion();
  if (kept !== null && kept.key === key && kept.code === code && (valid === undefined || (await valid(kept.value)))) return kept.value;
  const value = await make();
  if (keep) {
    // Renamed into place: a run killed while writing leaves the old file or the new one.
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify({ key, code, value } satisfies Kept<T>));
    await rename(temp, path);
  }
  return value;
}

async function readKept<T>(path: string): Promise<Kept<T> | null> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Kept<T>;
  } catch {
    // None kept yet, or unreadable: made again.
    return null;
  }
}
