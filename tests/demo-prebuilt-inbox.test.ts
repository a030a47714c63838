/**
 * The demo's inbox as the build writes it once (demo/prebuilt-inbox.ts) and `tally demo` copies:
 * the copied inbox holds what writing the inbox afresh writes, cell for cell (read back with
 * exceljs, not with tally's reader), last year's figures are those read from a report written
 * afresh, and a kit that another tally built, or that a build left half-written, is not taken.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPrebuiltInbox, takePrebuiltInbox } from '../demo/prebuilt-inbox.ts';
import { DEMO_PACKS, generatePackInbox } from '../demo/demo-packs.ts';
import { writeDemoInWorker, type DemoWritten } from '../demo/write-demo.ts';
import type { DemoManifest } from '../demo/demo-plan.ts';

const root = join(import.meta.dirname, '.tmp', `demo-kit-${randomUUID().slice(0, 8)}`);
const kits = join(root, 'kits');
const PACK = 'anding-2020';
const pack = DEMO_PACKS[PACK];
if (pack === undefined) throw new Error(`no demo pack ${PACK}`);

let taken: DemoWritten | undefined;
let fresh: DemoManifest;
let written: DemoWritten;

beforeAll(async () => {
  await mkdir(root, { recursive: true });
  await buildPrebuiltInbox(PACK, kits);
  taken = await takePrebuiltInbox({ pack: PACK, inboxDir: join(root, 'taken', 'inbox'), previous: join(root, 'taken', 'report-2019.xlsx') }, kits);
  fresh = await generatePackInbox(pack, join(root, 'fresh', 'inbox'));
  // What the demo does without a kit: the inbox and last year's report written in a worker thread.
  written = await writeDemoInWorker({ pack: PACK, inboxDir: join(root, 'worker', 'inbox'), previous: join(root, 'worker', 'report-2019.xlsx') });
}, 60_000);
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();
}

/** Every sheet's cells as `sheet!A1 = value` lines, read with exceljs. */
async function cellsOf(path: string): Promise<string[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const lines: string[] = [];
  wb.eachSheet((ws) => {
    ws.eachRow({ includeEmpty: false }, (row) => {
      row.eachCell({ includeEmpty: false }, (cell) => {
        lines.push(`${ws.name}!${cell.address} = ${JSON.stringify(cell.value)}`);
      });
    });
    lines.push(`${ws.name} merges ${JSON.stringify(Object.keys((ws as unknown as { _merges: Record<string, unknown> })._merges).sort())}`);
  });
  return lines;
}

describe('the demo kit', () => {
  it('is taken by this tally, with the manifest of an inbox written afresh', () => {
    expect(taken).toBeDefined();
    expect(taken?.manifest).toEqual(fresh);
    expect(taken?.manifest).toEqual(written.manifest);
    expect(fresh.files.length).toBeGreaterThan(10);
  });

  it('copies every file an inbox written afresh has, cell for cell', async () => {
    const files = await filesUnder(join(root, 'taken', 'inbox'));
    expect(files).toEqual(await filesUnder(join(root, 'fresh', 'inbox')));
    expect(files.sort()).toEqual([...fresh.files].sort());
    for (const file of files) {
      const a = join(root, 'taken', 'inbox', file);
      const b = join(root, 'fresh', 'inbox', file);
      if (file.endsWith('.xlsx')) expect(await cellsOf(a), file).toEqual(await cellsOf(b));
      else expect((await readFile(a)).equals(await readFile(b)), file).toBe(true);
    }
  });

  it("gives last year's figures as read from a report written afresh, named after the file the run is given", async () => {
    expect(written.previous).not.toBeNull();
    expect(taken?.previous?.year).toBe(2019);
    expect(taken?.previous?.source).toBe('report-2019.xlsx');
    expect([...(taken?.previous?.values ?? [])]).toEqual([...(written.previous?.values ?? [])]);
    expect(await cellsOf(join(root, 'taken', 'report-2019.xlsx'))).toEqual(await cellsOf(join(root, 'worker', 'report-2019.xlsx')));
  });

  it('is not taken when another tally built it, or when its record is missing', async () => {
    const record = join(kits, PACK, 'kit.json');
    const text = await readFile(record, 'utf8');
    const other = { ...(JSON.parse(text) as object), codeVersion: 'another tally' };
    await writeFile(record, JSON.stringify(other));
    expect(await takePrebuiltInbox({ pack: PACK, inboxDir: join(root, 'other', 'inbox'), previous: null }, kits)).toBeUndefined();
    await rm(record);
    expect(await takePrebuiltInbox({ pack: PACK, inboxDir: join(root, 'half', 'inbox'), previous: null }, kits)).toBeUndefined();
    expect(await takePrebuiltInbox({ pack: 'no-such-pack', inboxDir: join(root, 'none', 'inbox'), previous: null }, kits)).toBeUndefined();
    // Neither copied anything.
    await expect(readdir(join(root, 'other', 'inbox'))).rejects.toThrow();
    await writeFile(record, text);
  });
});
