/**
 * A demo inbox planned in memory before it is written: its files, the mistakes planted in them
 * (each with the check code it should raise and the cell it is at), and the figures its rows add
 * up to. Each pack's demo (demo/<pack>/) fills a {@link PlanContext}, ledger by ledger.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { a1, layoutOf, writeCsv, writeLedgerWorkbook } from './ledger-workbook.ts';
import type { CellInput, SheetSpec } from './ledger-workbook.ts';
import { Rng } from './demo-kit.ts';

export interface PlantedMistake {
  /** The check code (contract §4, or the pack's own) the mistake should raise. */
  code: string;
  department: string;
  /** File name inside the department folder. */
  file: string;
  /** Sheet name; for a CSV the file name without its extension. */
  sheet: string;
  /** A1 address, or a row number as a string, or null for a file/sheet/figure-level finding. */
  cell: string | null;
  note: string;
}

export interface DemoManifest {
  /** `<department>/<file>` of every file written, relative to the inbox. */
  files: string[];
  planted: PlantedMistake[];
  /** Indicator code → the value the demo ledgers produce under the pack's rules. */
  expected: Record<string, number>;
}

/** One file of the demo, before it is written. */
export type DemoFile =
  | { department: string; file: string; kind: 'xlsx'; sheets: SheetSpec[] }
  | { department: string; file: string; kind: 'csv'; rows: (string | number)[][]; encoding: 'utf-8' | 'utf-8-bom' | 'gb18030' };

export interface DemoPlan extends DemoManifest {
  demoFiles: DemoFile[];
}

/** What a ledger's planner adds to: the files, the planted mistakes, the figures counted so far. */
export class PlanContext {
  readonly rng: Rng;
  readonly demoFiles: DemoFile[] = [];
  readonly planted: PlantedMistake[] = [];
  readonly counted: Record<string, number> = {};

  constructor(seed: number) {
    this.rng = new Rng(seed);
  }

  /** Adds n to a figure the rows make. */
  readonly count = (code: string, n = 1): number => (this.counted[code] = (this.counted[code] ?? 0) + n);

  readonly plant = (p: PlantedMistake): number => this.planted.push(p);

  /** A1 address of column `header` on data row `row` (the row object itself) of a sheet. */
  readonly cellOf = (spec: SheetSpec, row: CellInput[], header: string): string => {
    const i = spec.rows.indexOf(row);
    if (i < 0) throw new Error(`row not in sheet ${spec.name}`);
    const layout = layoutOf(spec);
    return a1(layout.columnOf(header), layout.rowOfData(i));
  };

  /** The plan, once every ledger is planned: fails loudly when the rows do not make the figures. */
  finish(figures: Readonly<Record<string, number>>): DemoPlan {
    const expected: Record<string, number> = {};
    for (const [code, target] of Object.entries(figures)) {
      const actual = this.counted[code] ?? 0;
      if (actual !== target) throw new Error(`demo: ${code} adds up to ${actual}, the report says ${target}`);
      expected[code] = actual;
    }
    return { demoFiles: this.demoFiles, files: this.demoFiles.map((f) => `${f.department}/${f.file}`), planted: this.planted, expected };
  }
}

/** Writes a planned inbox: `inboxDir/<department>/<file>`. */
export async function writeDemoPlan(plan: DemoPlan, inboxDir: string): Promise<DemoManifest> {
  for (const f of plan.demoFiles) {
    const dir = join(inboxDir, f.department);
    await mkdir(dir, { recursive: true });
    const path = join(dir, f.file);
    if (f.kind === 'xlsx') await writeLedgerWorkbook(path, f.sheets);
    else await writeCsv(path, f.rows, { encoding: f.encoding });
  }
  return { files: plan.files, planted: plan.planted, expected: plan.expected };
}
