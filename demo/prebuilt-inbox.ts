/**
 * A pack's demo inbox and last year's report, written once by the build (bin/copy-assets.mjs,
 * `npm ci`'s `prepare`) into `dist/demo-kit/<pack>/` and copied by `tally demo` at each start.
 *
 * The inbox is the same every time (demo-kit.ts: a seeded PRNG), so writing it again at every
 * start only made people wait: starting a worker thread, loading exceljs and writing 14
 * workbooks and last year's report took ~1.0 s of the demo's first second, the longest thing
 * before the run could start (profiled: the run's own code and database were ready at ~0.6 s).
 * Copying the kit takes a few milliseconds. A kit another build of tally made (its code version
 * differs) is not taken: the demo then writes its inbox as before (write-demo.ts).
 *
 * Nothing heavy is imported here: {@link takePrebuiltInbox} is on the demo's critical path. The
 * writing side, {@link buildPrebuiltInbox}, loads the packs' writers when the build calls it.
 */
import { cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { codeVersion } from '../pipeline/kernel/code-version.ts';
import type { DemoWritten } from './write-demo.ts';

/** Where the build puts the kits: `dist/demo-kit/`, beside dist/demo/ (undefined when run from the sources). */
export const DEFAULT_KIT_ROOT = import.meta.url.endsWith('.ts') ? undefined : fileURLToPath(new URL('../demo-kit/', import.meta.url));

const KIT_FILE = 'kit.json';
const INBOX = 'inbox';
const PREVIOUS = 'previous.xlsx';

/** kit.json: what the demo would otherwise learn from writing the inbox (write-demo.ts's reply). */
interface KitRecord {
  readonly codeVersion: string;
  readonly manifest: DemoWritten['manifest'];
  /** Last year's figures as read back from the kit's report, values as entries (JSON has no Map). */
  readonly previous: { readonly year: number; readonly values: [string, number | null][] } | null;
}

/**
 * Writes a pack's kit under `root`: its inbox, last year's report when it has one, and what was
 * written (the manifest, last year's figures read back as `tally run --previous` reads them).
 */
export async function buildPrebuiltInbox(pack: string, root: string): Promise<void> {
  const [{ DEMO_PACKS, generatePackInbox }, { readPreviousWorkbook }] = await Promise.all([import('./demo-packs.ts'), import('../pipeline/stages/5-rollup/yoy.ts')]);
  const demo = DEMO_PACKS[pack];
  if (demo === undefined) throw new Error(`no demo pack ${pack}`);
  const dir = join(root, pack);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const manifest = await generatePackInbox(demo, join(dir, INBOX));
  let previous: KitRecord['previous'] = null;
  if (demo.writePrevious !== undefined) {
    const path = join(dir, PREVIOUS);
    await demo.writePrevious(path);
    const figures = await readPreviousWorkbook(path, demo.year - 1);
    previous = { year: figures.year, values: [...figures.values] };
  }
  // Written last: a kit without it (a build stopped half-way) is never taken.
  await writeFile(join(dir, KIT_FILE), JSON.stringify({ codeVersion: codeVersion(), manifest, previous } satisfies KitRecord));
}

/**
 * Copies a pack's kit into `inboxDir` (and last year's report to `previousPath`, when asked),
 * or returns undefined when there is no kit for this tally: none was built, or another build of
 * tally made it.
 */
export async function takePrebuiltInbox(
  job: { readonly pack: string; readonly inboxDir: string; readonly previous: string | null },
  root: string | undefined = DEFAULT_KIT_ROOT,
): Promise<DemoWritten | undefined> {
  if (root === undefined) return undefined;
  const dir = join(root, job.pack);
  const text = await readFile(join(dir, KIT_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const kit = JSON.parse(text) as KitRecord;
  if (kit.codeVersion !== codeVersion()) return undefined;
  if (job.previous !== null && kit.previous === null) return undefined;
  await cp(join(dir, INBOX), job.inboxDir, { recursive: true });
  if (job.previous === null || kit.previous === null) return { manifest: kit.manifest, previous: null };
  await mkdir(dirname(job.previous), { recursive: true });
  await cp(join(dir, PREVIOUS), job.previous);
  // Named after the file the run is given, as readPreviousWorkbook names it.
  return { manifest: kit.manifest, previous: { year: kit.previous.year, source: basename(job.previous), values: new Map(kit.previous.values) } };
}
