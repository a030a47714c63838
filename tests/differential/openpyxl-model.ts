/** openpyxl's reading of many files, in one Python process per core (`books.py dump`). */
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { BOOKS_PY, PYTHON } from './corpus.ts';
import type { ModelBook } from './spec.ts';

const run = promisify(execFile);

export async function openpyxlModels(paths: readonly string[], scratch: string): Promise<Map<string, ModelBook>> {
  const workers = Math.max(1, Math.min(availableParallelism(), 4));
  const slices = Array.from({ length: workers }, (_, w) => paths.filter((_, i) => i % workers === w));
  const out = new Map<string, ModelBook>();
  await Promise.all(
    slices.map(async (slice, w) => {
      if (slice.length === 0) return;
      const list = `${scratch}/dump-${w}.json`;
      await writeFile(list, JSON.stringify(slice));
      const { stdout } = await run(PYTHON, [BOOKS_PY, 'dump', list], { maxBuffer: 1 << 28 });
      for (const line of stdout.split('\n')) {
        if (line === '') continue;
        const { file, ...model } = JSON.parse(line) as { file: string } & ModelBook;
        out.set(file, model);
      }
    }),
  );
  return out;
}
