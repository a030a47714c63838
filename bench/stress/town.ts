/**
 * The configuration a stress case runs with: the bundled demo configuration (config/demo.json:
 * its report and ledger catalogs wherever they live, its coordinator and sender) with the roster
 * and limits of the case. Paths in it are made absolute, so it can be written anywhere.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const DEMO_CONFIG = join(import.meta.dirname, '..', '..', 'config', 'demo.json');

export interface Department {
  code: string;
  name: string;
  email: string;
  owes: string[];
}

/** The demo configuration with its catalog paths absolute and the fields given here replacing its own. */
export function demoBasedConfig(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const demo = JSON.parse(readFileSync(DEMO_CONFIG, 'utf8')) as Record<string, unknown>;
  const base = dirname(DEMO_CONFIG);
  const abs = (key: string) => (typeof demo[key] === 'string' ? { [key]: resolve(base, demo[key]) } : {});
  const { $comment: _comment, ...rest } = demo;
  return { ...rest, ...abs('report'), ...abs('ledgers'), ...fields };
}

export const JUSTICE: Department = { code: 'justice', name: '司法所', email: 'sifasuo@anding.example.gov.cn', owes: ['mediation'] };

/** Writes a one-department town (司法所, owing the 人民调解台账) to `path`. */
export function writeStressConfig(path: string, opts: { maxFileMegabytes?: number } = {}): void {
  writeFileSync(
    path,
    JSON.stringify(demoBasedConfig({ departments: [JUSTICE], ...(opts.maxFileMegabytes === undefined ? {} : { limits: { maxFileMegabytes: opts.maxFileMegabytes } }) }), null, 2),
  );
}
