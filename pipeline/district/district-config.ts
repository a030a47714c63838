/**
 * A district's configuration: which towns it expects, by when, who the district office is, and
 * the rules of its 异常 sheet. Optional: without one, the towns are those found in the inbox and
 * each town's coordinator address is the one its export carries.
 *
 * @example
 * {
 *   "district": "大兴区", "year": 2020, "deadline": "2021-01-20",
 *   "coordinator": { "name": "大兴区依法治区办", "email": "yfzq@daxing.example.gov.cn" },
 *   "mail": { "from": "tally 区级汇总 <tally@daxing.example.gov.cn>" },
 *   "towns": [{ "name": "安定镇", "email": "fazhi@anding.example.gov.cn" }]
 * }
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { ConfigError, formatIssues } from '../kernel/config/config-error.ts';
import { checkTownName } from './parquet-layout.ts';

const schema = z
  .object({
    $comment: z.string().optional(),
    district: z.string().min(1),
    year: z.number().int().min(2000).max(2100),
    /** 报送截止日期 for the towns, `YYYY-MM-DD` (Beijing time). */
    deadline: z.iso.date().optional(),
    coordinator: z.object({ name: z.string().min(1), email: z.email() }).strict(),
    mail: z.object({ from: z.string().min(1), replyTo: z.string().min(1).optional() }).strict(),
    /** A town's figure moving more than this share against last year is listed as a question (0.5 = ±50%). */
    yoyThreshold: z.number().positive().max(100).default(0.5),
    /** A town is far from its peers when its modified z-score exceeds this (Iglewicz–Hoaglin: 3.5). */
    outlierScore: z.number().positive().default(3.5),
    towns: z.array(z.object({ name: z.string().min(1), email: z.email().optional(), coordinator: z.string().optional() }).strict()).default([]),
  })
  .strict();

export type DistrictConfig = Readonly<z.infer<typeof schema>> & { readonly file: string | null };

export const DEFAULT_DISTRICT_RULES = { yoyThreshold: 0.5, outlierScore: 3.5 } as const;

export function loadDistrictConfig(file: string, overrides: { year?: number } = {}): DistrictConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ConfigError(`区级配置文件 ${file} 无法读取或不是有效的 JSON`, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ConfigError(`区级配置文件 ${file}: ${formatIssues(parsed.error)}`);
  const names = new Set<string>();
  for (const [i, t] of parsed.data.towns.entries()) {
    const bad = checkTownName(t.name);
    if (bad !== null) throw new ConfigError(`区级配置文件 ${file}: towns.${i}.name: ${bad}`);
    if (names.has(t.name)) throw new ConfigError(`区级配置文件 ${file}: towns.${i}.name: duplicate "${t.name}"`);
    names.add(t.name);
  }
  return Object.freeze({ ...parsed.data, year: overrides.year ?? parsed.data.year, file });
}
