/**
 * The configuration file tests write for a town: 安定镇 2020, the bundled report pack
 * (packs/anding-2020), its coordinator and sender, plus what each test sets (departments, limits,
 * schedule …; a field given here replaces the default).
 */
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

export function townConfig(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return {
    town: '安定镇',
    year: 2020,
    pack: join(ROOT, 'packs', 'anding-2020'),
    coordinator: { name: '安定镇司法所', email: 'fazhi@anding.example.gov.cn' },
    mail: { from: 'tally <tally@anding.example.gov.cn>' },
    ...fields,
  };
}

/** Writes {@link townConfig} to `path` as JSON. */
export async function writeTownConfig(path: string, fields: Readonly<Record<string, unknown>>): Promise<void> {
  await writeFile(path, JSON.stringify(townConfig(fields)));
}
