/**
 * The ledger definitions (contract §2), read from a report pack's `ledgers.json`
 * (`packs/<pack>/ledgers.json`), validated, frozen. A mistake in the file names the file and the key.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { formatIssues, ConfigError } from '../pipeline/kernel/config/config-error.ts';

export const FIELD_TYPES = ['date', 'enum', 'text', 'key', 'number', 'integer', 'bool'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

const fieldSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/, 'field ids are lower_snake_case'),
    header: z.string().min(1),
    aliases: z.array(z.string().min(1)).default([]),
    type: z.enum(FIELD_TYPES),
    required: z.boolean().default(false),
    values: z.array(z.string().min(1)).optional(),
    valueAliases: z.record(z.string(), z.string()).default({}),
    min: z.number().optional(),
    /**
     * A text column whose values are best picked from a list without being limited to it:
     * `indicators` offers the pack's 指标名称 (a 年度统计表's 指标 column) in the template's dropdown.
     */
    suggest: z.enum(['indicators']).optional(),
  })
  .strict()
  .refine((f) => f.type !== 'enum' || (f.values !== undefined && f.values.length > 0), {
    message: 'an enum field needs values',
  })
  .refine((f) => Object.values(f.valueAliases).every((v) => f.values?.includes(v) ?? false), {
    message: 'every valueAliases target must be one of values',
  });

const ledgerSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*$/),
    name: z.string().min(1),
    key: z.string().optional(),
    period: z.array(z.string()).nullable(),
    fields: z.array(fieldSchema).min(1),
  })
  .strict()
  .superRefine((l, ctx) => {
    const ids = new Set(l.fields.map((f) => f.id));
    if (ids.size !== l.fields.length) ctx.addIssue({ code: 'custom', message: 'duplicate field id', path: ['fields'] });
    if (l.key !== undefined && !ids.has(l.key)) ctx.addIssue({ code: 'custom', message: `key "${l.key}" is not a field`, path: ['key'] });
    for (const p of l.period ?? []) {
      const f = l.fields.find((x) => x.id === p);
      if (f?.type !== 'date') ctx.addIssue({ code: 'custom', message: `period "${p}" is not a date field`, path: ['period'] });
    }
  });

export const ledgerCatalogSchema = z.object({ $comment: z.string().optional(), ledgers: z.array(ledgerSchema).min(1) }).strict();

export type FieldDef = Readonly<z.infer<typeof fieldSchema>>;
export type LedgerDef = Readonly<z.infer<typeof ledgerSchema>> & { readonly fields: readonly FieldDef[] };
export interface LedgerCatalog {
  readonly ledgers: readonly LedgerDef[];
  byId(id: string): LedgerDef | undefined;
}

/** Loads and validates a ledger catalog file. Throws ConfigError naming the file and key. */
export function loadLedgerCatalog(file: string): LedgerCatalog {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`${file}: 无法读取或不是有效的 JSON`, { cause });
  }
  const parsed = ledgerCatalogSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`${file}: ${formatIssues(parsed.error)}`);
  const duplicate = duplicateLedgerIds(parsed.data.ledgers)[0];
  if (duplicate !== undefined) throw new ConfigError(`${file}: ledgers.${duplicate.index}.id: duplicate ledger id "${duplicate.id}"`);
  return createLedgerCatalog(parsed.data.ledgers);
}

/** Ledger ids defined twice: each later definition with its index. */
export function duplicateLedgerIds(ledgers: readonly { readonly id: string }[]): { id: string; index: number }[] {
  const seen = new Set<string>();
  const out: { id: string; index: number }[] = [];
  for (const [index, l] of ledgers.entries()) {
    if (seen.has(l.id)) out.push({ id: l.id, index });
    seen.add(l.id);
  }
  return out;
}

/** A catalog over already-validated ledger definitions (e.g. handed to a worker thread). */
export function createLedgerCatalog(definitions: readonly LedgerDef[]): LedgerCatalog {
  const ledgers = deepFreeze(definitions);
  const index = new Map(ledgers.map((l) => [l.id, l]));
  return Object.freeze({ ledgers, byId: (id: string) => index.get(id) });
}

export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
