/**
 * What a report is (contract §3), as a report pack's `pack.json` declares it: sections,
 * indicators (one trace SQL each), derived figures (rates, shares, sums of other figures),
 * bounds, the pack's own checks, and how each figure is written. Data, not code: the pack is
 * read by `pipeline/kernel/pack/load-pack.ts`; these are its schema and its types.
 */
import * as z from 'zod';
import { LEVELS } from '../pipeline/kernel/findings/findings.ts';
import type { FigureWording } from './wording.ts';

export type { FigureWording } from './wording.ts';

/** How the text writes a figure: `35`, `280余`, `66.7%`, `超过95%` (reports/wording.ts). */
export const WRITTEN = ['exact', 'approx', 'percent', 'over'] as const;

const FIGURE_CODE = /^[a-z][a-z0-9_]*\.[a-z0-9_]+$/;
const figureCode = z.string().regex(FIGURE_CODE, '编码应形如 板块.名称（小写英文字母、数字、下划线），例如 litigation.total');

/** How a figure is written, shared by indicators and derived figures. */
const wordingShape = {
  written: z.enum(WRITTEN).optional(),
  /** For `over`: the step the text says the figure exceeds (`"over": 95` → 超过95%). */
  over: z.number().optional(),
  /** Decimals printed, zeros kept: `2` → 123.40万元, `1` → 3.2万人次 (default: at most two, none kept). */
  decimals: z.number().int('decimals 应为 0 到 4 的整数').min(0, 'decimals 应为 0 到 4 的整数').max(4, 'decimals 应为 0 到 4 的整数').optional(),
};

const indicatorSchema = z
  .object({
    code: figureCode,
    sections: z.array(z.string().min(1)).min(1),
    name: z.string().min(1),
    unit: z.string().min(1),
    ...wordingShape,
    written: z.enum(WRITTEN),
    ledgers: z.array(z.string().min(1)).min(1),
    /** The trace query, relative to the pack (default `indicators/<code>.sql`). */
    sql: z.string().min(1).optional(),
  })
  .strict();

const derivedSchema = z
  .object({
    code: figureCode,
    name: z.string().min(1),
    /** Default: the sections of the first figure it is made of. */
    sections: z.array(z.string().min(1)).min(1).optional(),
    /** Default `%` for a rate or share, else required. */
    unit: z.string().min(1).optional(),
    ...wordingShape,
    /** A rate or share: numerator ÷ denominator, in percent with one decimal. */
    numerator: figureCode.optional(),
    denominator: figureCode.optional(),
    /** A sum of other figures. */
    sum: z.array(figureCode).min(2).optional(),
  })
  .strict()
  .refine((d) => (d.sum === undefined) === (d.numerator !== undefined && d.denominator !== undefined), {
    message: '派生指标要么写 numerator 和 denominator（比率、占比），要么写 sum（几个指标之和），二者选一',
  })
  .refine((d) => d.sum === undefined || d.unit !== undefined, { message: '求和的派生指标需要写 unit（单位）', path: ['unit'] });

const checkSchema = z
  .object({
    /** A contract §4 code (its level is the contract's) or the pack's own (`level` and `message` required). */
    code: figureCode,
    level: z.enum(LEVELS).optional(),
    /** What the finding says when the SQL returns no `message` column (or null in it). */
    message: z.string().min(1).optional(),
    /** Relative to the pack (default `checks/<code>.sql`). */
    sql: z.string().min(1).optional(),
    /** `indicators`: runs after the roll-up and may read `run_indicators` (default for codes `indicator.*`). */
    phase: z.enum(['rows', 'indicators']).optional(),
  })
  .strict();

export const packSchema = z
  .object({
    $comment: z.string().optional(),
    /** `{district}{town}{year}` are filled from the configuration. */
    title: z.string().min(1),
    /**
     * What the report is about, in the words of mails and templates (【法治政府建设年度报告】,
     * 法治政府建设台账填报模板). Default: the title without the place, the year and 年度情况报告.
     */
    kind: z.string().min(1).optional(),
    ledgers: z.string().min(1).default('ledgers.json'),
    template: z.string().min(1).default('template.txt'),
    sections: z.array(z.object({ id: z.string().min(1), name: z.string().min(1) }).strict()),
    indicators: z.array(indicatorSchema).min(1),
    derived: z.array(derivedSchema).default([]),
    /** Figures shown in 指标汇总 but not in the narrative (every other figure must be in the template). */
    tableOnly: z.array(figureCode).default([]),
    bounds: z.array(z.object({ figure: figureCode, atMost: figureCode, message: z.string().min(1) }).strict()).default([]),
    checks: z.array(checkSchema).default([]),
  })
  .strict();

export type PackJson = z.infer<typeof packSchema>;

export interface IndicatorDef extends FigureWording {
  readonly code: string;
  readonly sections: readonly string[];
  readonly name: string;
  readonly unit: string;
  readonly ledgers: readonly string[];
  /** The trace query text. */
  readonly sql: string;
  readonly sqlFile: string;
}

/** A figure computed from other figures, never from ledgers. */
export interface DerivedDef extends FigureWording {
  readonly code: string;
  readonly name: string;
  readonly sections: readonly string[] | null;
  readonly unit: string;
  readonly form: { readonly kind: 'ratio'; readonly numerator: string; readonly denominator: string } | { readonly kind: 'sum'; readonly of: readonly string[] };
}

export interface PackCheckDef {
  readonly code: string;
  readonly level: (typeof LEVELS)[number];
  readonly message: string | null;
  readonly phase: 'rows' | 'indicators';
  readonly sql: string;
  readonly file: string;
}

export interface ReportCatalog {
  readonly title: string;
  /** What the report is about: `法治政府建设` ({@link reportKind}). */
  readonly kind: string;
  readonly template: string;
  readonly templateFile: string;
  readonly sections: readonly { readonly id: string; readonly name: string }[];
  readonly indicators: readonly IndicatorDef[];
  readonly derived: readonly DerivedDef[];
  readonly tableOnly: readonly string[];
  readonly bounds: readonly { readonly figure: string; readonly atMost: string; readonly message: string }[];
  /** The pack's own checks, run after tally's (sql/checks/). */
  readonly checks: readonly PackCheckDef[];
}

/** The codes a derived figure is made of. */
export function partsOf(d: DerivedDef): readonly string[] {
  return d.form.kind === 'ratio' ? [d.form.numerator, d.form.denominator] : d.form.of;
}

/**
 * What a report is about, from its title: the place, the year and the words that say it is a
 * yearly report taken off. Mails say 【<kind>年度报告】 and templates <kind>台账填报模板.
 *
 * @example
 * reportKind('{district}{town}{year}年度法治政府建设年度情况报告'); // '法治政府建设'
 * reportKind('{town}{year}年普法依法治理工作总结'); // '普法依法治理'
 */
export function reportKind(title: string): string {
  const afterYear = title.split(/\{year\}|(?:19|20)\d{2}/).at(-1) ?? title;
  const kind = afterYear
    .replace(/\{(?:district|town|previousYear|nextYear)\}/g, '')
    .replace(/^年度?/, '')
    .replace(/(?:年度)?(?:工作)?(?:情况)?(?:报告|总结)$/, '')
    .trim();
  return kind === '' ? title : kind;
}
