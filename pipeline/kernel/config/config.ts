/**
 * The run configuration: roster, coordinator, year, and the report pack (`"pack"`: a folder
 * anywhere on disk holding the ledgers, indicators, checks and narrative of one report; see
 * `pipeline/kernel/pack/load-pack.ts`). Read once, validated, frozen. Every mistake names the
 * file and the key.
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod';
import { deepFreeze, type LedgerCatalog } from '../../../sheets/ledger-catalog.ts';
import type { ReportCatalog } from '../../../reports/report-catalog.ts';
import { loadPack } from '../pack/load-pack.ts';
import { ConfigError, formatIssues } from './config-error.ts';
import { checkPortal, portalConfigSchema, type PortalConfig } from './portal-config.ts';
import { checkSchedule } from './check-schedule.ts';

const departmentSchema = z
  .object({
    code: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'department codes are lower-case ASCII (they name the inbox folder)'),
    name: z.string().min(1),
    email: z.email(),
    owes: z.array(z.string().min(1)),
  })
  .strict();

/** Nightly at 02:00 (issue 5). */
export const DEFAULT_CRON = '0 2 * * *';
export const DEFAULT_TIMEZONE = 'Asia/Shanghai';

const configSchema = z
  .object({
    $comment: z.string().optional(),
    district: z.string().default(''),
    town: z.string().min(1),
    year: z.number().int().min(2000).max(2100),
    /** The report pack folder, relative to this file. */
    pack: z.string().min(1),
    coordinator: z.object({ name: z.string().min(1), email: z.email() }).strict(),
    mail: z.object({ from: z.string().min(1), replyTo: z.string().min(1).optional() }).strict(),
    // Issue 5 (scheduled runs, deadlines): optional, with defaults.
    schedule: z
      .object({ cron: z.string().min(1).default(DEFAULT_CRON), timezone: z.string().min(1).default(DEFAULT_TIMEZONE) })
      .strict()
      .default({ cron: DEFAULT_CRON, timezone: DEFAULT_TIMEZONE }),
    deadline: z.iso.date().optional(),
    reminderWorkdays: z.number().int().min(0).max(60).default(3),
    // Issue 4: a figure that moves more than this share against last year is a 警告 (0.5 = ±50%).
    yoyThreshold: z.number().positive().max(100).default(0.5),
    limits: z.object({ maxFileMegabytes: z.number().positive().max(1024).default(50) }).strict().default({ maxFileMegabytes: 50 }),
    departments: z.array(departmentSchema).min(1),
    portal: portalConfigSchema.optional(),
  })
  .strict();

export type Department = Readonly<z.infer<typeof departmentSchema>>;

export interface TallyConfig {
  readonly file: string;
  readonly district: string;
  readonly town: string;
  readonly year: number;
  readonly coordinator: { readonly name: string; readonly email: string };
  readonly mail: { readonly from: string; readonly replyTo?: string | undefined };
  /** When `tally schedule` runs: a cron expression read in `timezone`. */
  readonly schedule: { readonly cron: string; readonly timezone: string };
  /** The collection deadline (报送截止日期), `YYYY-MM-DD`; none: no reminders or overdue notices. */
  readonly deadline?: string | undefined;
  /** Working days before the deadline when departments that still owe a ledger are reminded. */
  readonly reminderWorkdays: number;
  readonly maxFileBytes: number;
  /** `indicator.yoy_change` when a figure moves more than this share against last year (default 0.5 = ±50%). */
  readonly yoyThreshold: number;
  readonly departments: readonly Department[];
  /** The report pack folder (absolute): where its ledgers, SQL and template were read from. */
  readonly packDir: string;
  /** The pack's ledgers. */
  readonly ledgers: LedgerCatalog;
  /** The pack's report: indicators, derived figures, bounds, checks, template. */
  readonly report: ReportCatalog;
  /** `tally serve`: link tokens and upload limits (issue 6); absent when not configured. */
  readonly portal?: PortalConfig | undefined;
}

export const DEMO_CONFIG = resolve(dirname(fileURLToPath(import.meta.url)), '../../../config/demo.json');

/** Loads a configuration file; `year` overrides the configured reporting year. */
export function loadConfig(file: string = DEMO_CONFIG, overrides: { year?: number } = {}): TallyConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`配置文件 ${file} 无法读取或不是有效的 JSON`, { cause });
  }
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`配置文件 ${file}: ${formatIssues(parsed.error)}`);
  const c = parsed.data;
  const base = dirname(file);
  const pack = loadPack(resolve(base, c.pack));
  const { ledgers, report } = pack;
  const known = new Set(ledgers.ledgers.map((l) => l.id));
  const codes = new Set<string>();
  for (const [i, d] of c.departments.entries()) {
    if (codes.has(d.code)) throw new ConfigError(`配置文件 ${file}: departments.${i}.code: duplicate "${d.code}"`);
    codes.add(d.code);
    for (const l of d.owes) {
      if (!known.has(l)) throw new ConfigError(`配置文件 ${file}: departments.${i}.owes: 台账“${l}”不在报告包 ${c.pack} 的台账中`);
    }
  }
  checkPortal(file, c.portal, codes);
  checkSchedule(file, c.schedule, c.deadline);
  return deepFreeze({
    file,
    district: c.district,
    town: c.town,
    year: overrides.year ?? c.year,
    coordinator: c.coordinator,
    mail: c.mail,
    schedule: c.schedule,
    deadline: c.deadline,
    reminderWorkdays: c.reminderWorkdays,
    maxFileBytes: Math.round(c.limits.maxFileMegabytes * 1024 * 1024),
    yoyThreshold: c.yoyThreshold,
    departments: c.departments,
    packDir: pack.dir,
    ledgers,
    report,
    portal: c.portal,
  });
}
