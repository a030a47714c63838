/**
 * The bundled packs' demos: for each, its configuration and how to write its inbox.
 * `tally demo --pack <name>` lays out one and runs it.
 */
import { fileURLToPath } from 'node:url';
import { writeDemoPlan, type DemoManifest, type DemoPlan } from './demo-plan.ts';
import { planAnding2020 } from './anding-2020/plan.ts';
import { planLiangzhu2023 } from './liangzhu-2023/plan.ts';
import { writePreviousYearReport } from './previous-year.ts';

export interface DemoPack {
  /** The configuration the demo runs with (config/<name>.json, pointing at packs/<name>). */
  readonly config: string;
  readonly year: number;
  plan(): DemoPlan;
  /** Last year's report workbook, when the demo has one (上年数值 and 同比). */
  writePrevious?(path: string): Promise<void>;
}

const configFile = (name: string) => fileURLToPath(new URL(`../config/${name}.json`, import.meta.url));

export const DEMO_PACKS: Readonly<Record<string, DemoPack>> = {
  'anding-2020': { config: configFile('demo'), year: 2020, plan: planAnding2020, writePrevious: writePreviousYearReport },
  'liangzhu-2023': { config: configFile('liangzhu-2023'), year: 2023, plan: planLiangzhu2023 },
};

/** Writes a pack's demo inbox. */
export async function generatePackInbox(pack: DemoPack, inboxDir: string): Promise<DemoManifest> {
  return writeDemoPlan(pack.plan(), inboxDir);
}
