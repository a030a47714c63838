/**
 * The demo inbox: the ledgers of 安定镇's four departments for 2020, written the way clerks
 * write them (merged titles, two-level headers, 合计 and 注 rows, dates in every form, a GBK
 * CSV, a ledger split over quarter sheets, two ledgers in one workbook), whose rows add up to
 * the figures of the 2020 report, with a few deliberate mistakes so the findings list is not
 * empty. Everything is generated from a fixed seed: the same inbox every time. The ledgers are
 * planned one by one in `demo/anding-2020/`; another pack's demo lives beside it
 * (`demo/demo-packs.ts` lists them).
 *
 * @example
 * const manifest = await generateDemoInbox('demo-run/inbox');
 * manifest.expected['enforcement.disclosures']; // 283
 * manifest.planted.find((p) => p.code === 'cell.enum')?.cell; // e.g. 'C17'
 */
import { writeDemoPlan, type DemoManifest, type DemoPlan } from './demo-plan.ts';
import { planAnding2020 } from './anding-2020/plan.ts';

export type { DemoFile, DemoManifest, DemoPlan, PlantedMistake } from './demo-plan.ts';
export { DEMO_FIGURES } from './anding-2020/plan.ts';

/** Builds the 2020 demo inbox in memory: the files, the planted mistakes, the expected figures. */
export function planDemoInbox(): DemoPlan {
  return planAnding2020();
}

/**
 * Writes the demo inbox: `inboxDir/<department>/<file>` for every ledger of the demo roster.
 * Returns what was written, the planted mistakes and the figures the ledgers produce.
 */
export async function generateDemoInbox(inboxDir: string): Promise<DemoManifest> {
  return writeDemoPlan(planDemoInbox(), inboxDir);
}
