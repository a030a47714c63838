/**
 * The bundled packs' demos: for each, its configuration and how to write its inbox.
 * `tally demo --pack <name>` lays out one and runs it (the names, configurations and years are
 * in demo-pack-list.ts).
 */
import { writeDemoPlan, type DemoManifest, type DemoPlan } from './demo-plan.ts';
import { planAnding2020 } from './anding-2020/plan.ts';
import { planLiangzhu2023 } from './liangzhu-2023/plan.ts';
import { writePreviousYearReport } from './previous-year.ts';
import { DEMO_PACK_LIST } from './demo-pack-list.ts';

export interface DemoPack {
  /** The configuration the demo runs with (config/<name>.json, pointing at packs/<name>). */
  readonly config: string;
  readonly year: number;
  plan(): DemoPlan;
  /** Last year's report workbook, when the demo has one (上年数值 and 同比). */
  writePrevious?(path: string): Promise<void>;
}

const listed = (name: string) => {
  const info = DEMO_PACK_LIST[name];
  if (info === undefined) throw new Error(`demo pack ${name} is not in demo-pack-list.ts`);
  return { config: info.config, year: info.year };
};

export const DEMO_PACKS: Readonly<Record<string, DemoPack>> = {
  'anding-2020': { ...listed('anding-2020'), plan: planAnding2020, writePrevious: writePreviousYearReport },
  'liangzhu-2023': { ...listed('liangzhu-2023'), plan: planLiangzhu2023 },
};

/** Writes a pack's demo inbox. */
export async function generatePackInbox(pack: DemoPack, inboxDir: string): Promise<DemoManifest> {
  return writeDemoPlan(pack.plan(), inboxDir);
}
