/**
 * The configuration a stress case runs with: the bundled demo configuration (its report and
 * ledger catalogs wherever they live, its coordinator, sender, deadline) with a one-department
 * roster and the case's limits.
 */
import { writeFileSync } from 'node:fs';
import { demoBasedConfig } from '../demo-config.ts';

export interface Department {
  code: string;
  name: string;
  email: string;
  owes: string[];
}

export const JUSTICE: Department = { code: 'justice', name: '司法所', email: 'sifasuo@anding.example.gov.cn', owes: ['mediation'] };

/** Writes a one-department town (司法所, owing the 人民调解台账) to `path`. */
export function writeStressConfig(path: string, opts: { maxFileMegabytes?: number } = {}): void {
  writeFileSync(
    path,
    JSON.stringify(demoBasedConfig({ departments: [JUSTICE], ...(opts.maxFileMegabytes === undefined ? {} : { limits: { maxFileMegabytes: opts.maxFileMegabytes } }) }), null, 2),
  );
}
