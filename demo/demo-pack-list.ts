/**
 * The bundled packs' demos by name, with what the demo command needs before the inbox is
 * written: the configuration, the year, whether there is a last year's report. Nothing heavy is
 * imported here (the plans and their writers are in demo-packs.ts): the command starts writing
 * the inbox in a worker thread first, then loads the run's code.
 */
import { fileURLToPath } from 'node:url';

export interface DemoPackInfo {
  /** The configuration the demo runs with (config/<name>.json, pointing at packs/<name>). */
  readonly config: string;
  readonly year: number;
  /** Whether the demo has last year's report workbook (上年数值 and 同比). */
  readonly previous: boolean;
}

const configFile = (name: string) => fileURLToPath(new URL(`../config/${name}.json`, import.meta.url));

export const DEMO_PACK_LIST: Readonly<Record<string, DemoPackInfo>> = {
  'anding-2020': { config: configFile('demo'), year: 2020, previous: true },
  'liangzhu-2023': { config: configFile('liangzhu-2023'), year: 2023, previous: false },
};
