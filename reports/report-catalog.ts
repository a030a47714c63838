/**
 * The report definition (contract §3): sections, indicators, bounds. Data, not code: adding an
 * indicator is one entry here plus `sql/indicators/<code>.sql`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import * as z from 'zod';
import { ConfigError, formatIssues } from '../pipeline/kernel/config/config-error.ts';
import { deepFreeze } from '../sheets/ledger-catalog.ts';

const indicatorSchema = z
  .object({
    code: z.string().regex(/^[a-z_]+\.[a-z_]+$/, 'codes look like section.name'),
    sections: z.array(z.string().min(1)).min(1),
    name: z.string().min(1),
    unit: z.string().min(1),
    written: z.enum(['exact', 'approx']),
    ledgers: z.array(z.string().min(1)).min(1),
  })
  .strict();

const reportSchema = z
  .object({
    $comment: z.string().optional(),
    title: z.string().min(1),
    template: z.string().min(1),
    sections: z.array(z.object({ id: z.string(), name: z.string() }).strict()),
    indicators: z.array(indicatorSchema).min(1),
    bounds: z.array(z.object({ figure: z.string(), atMost: z.string(), message: z.string() }).strict()).default([]),
  })
  .strict();

export type IndicatorDef = Readonly<z.infer<typeof indicatorSchema>> & {
  /** The rollup SQL text, read from sql/indicators/<code>.sql. */
  readonly sql: string;
  readonly sqlFile: string;
};
export interface ReportCatalog {
  readonly title: string;
  readonly template: string;
  readonly indicators: readonly IndicatorDef[];
  readonly bounds: readonly { readonly figure: string; readonly atMost: string; readonly message: string }[];
}

/**
 * Loads a report definition and the SQL of each of its indicators.
 * `sqlDir` defaults to `<repo>/sql/indicators`.
 */
export function loadReportCatalog(file: string, knownLedgers: ReadonlySet<string>, sqlDir?: string): ReportCatalog {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`${file}: 无法读取或不是有效的 JSON`, { cause });
  }
  const parsed = reportSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${file}: ${formatIssues(parsed.error)}`);
  const def = parsed.data;
  const dir = sqlDir ?? resolve(dirname(new URL(import.meta.url).pathname), '../sql/indicators');
  const codes = new Set<string>();
  const indicators = def.indicators.map((ind, i) => {
    if (codes.has(ind.code)) throw new ConfigError(`${file}: indicators.${i}.code: duplicate "${ind.code}"`);
    codes.add(ind.code);
    for (const l of ind.ledgers) {
      if (!knownLedgers.has(l)) throw new ConfigError(`${file}: indicators.${i}.ledgers: unknown ledger "${l}"`);
    }
    const sqlFile = join(dir, `${ind.code}.sql`);
    if (!existsSync(sqlFile)) throw new ConfigError(`${file}: indicators.${i}: missing SQL file ${sqlFile}`);
    return { ...ind, sql: readFileSync(sqlFile, 'utf8'), sqlFile };
  });
  for (const [i, b] of def.bounds.entries()) {
    for (const c of [b.figure, b.atMost]) {
      if (!codes.has(c)) throw new ConfigError(`${file}: bounds.${i}: unknown indicator "${c}"`);
    }
  }
  const templateFile = resolve(dirname(file), def.template);
  if (!existsSync(templateFile)) throw new ConfigError(`${file}: template: file not found ${templateFile}`);
  return deepFreeze({
    title: def.title,
    template: readFileSync(templateFile, 'utf8'),
    indicators,
    bounds: def.bounds,
  });
}
