/**
 * What the 2020 demo's ledgers share across departments: each department's 填报单位 row, and
 * the 普法宣传 activities, unique in the whole town but for one reported by two departments.
 */
import { d, iso, workday } from '../demo-kit.ts';
import type { CellInput } from '../ledger-workbook.ts';
import type { PlanContext } from '../demo-plan.ts';
import { PREAMBLE_DATE } from './vocabulary.ts';

export interface Town {
  readonly enforcementPreamble: CellInput[][];
  readonly justicePreamble: CellInput[][];
  readonly officePreamble: CellInput[][];
  /** The activity both 综合执法队 and 司法所 report (publicity.cross_department_duplicate). */
  readonly sharedActivity: { readonly date: Date; readonly name: string };
  /** Three departments add up to 234. */
  readonly publicityCounts: { readonly enforcement: number; readonly justice: number; readonly office: number };
  /** n (date, activity) pairs, unique in the whole town, from a department's own themes. */
  activities(n: number, themes: readonly (readonly [string, string])[], placeFor: () => string): { date: Date; activity: string; theme: string }[];
}

export function town(ctx: PlanContext): Town {
  const { rng } = ctx;
  const sharedActivity = { date: d(2020, 12, 4), name: '“12·4”国家宪法日集中宣传活动' };
  const seen = new Set<string>();
  return {
    enforcementPreamble: [['填报单位：安定镇综合执法队（盖章）', null, null, PREAMBLE_DATE]],
    justicePreamble: [['填报单位：安定镇司法所', null, null, null, '填报日期：2021年1月6日']],
    officePreamble: [['填报单位：安定镇综合保障办', null, null, PREAMBLE_DATE]],
    sharedActivity,
    publicityCounts: { enforcement: 58, justice: 152, office: 24 },
    activities(n, themes, placeFor) {
      const out: { date: Date; activity: string; theme: string }[] = [];
      while (out.length < n) {
        const date = workday(rng, d(2020, 1, 6), d(2020, 12, 25));
        const [activity, theme] = rng.pick(themes);
        const full = activity.replace('{place}', placeFor());
        const key = `${iso(date)}|${full}`;
        if (seen.has(key) || key === `${iso(sharedActivity.date)}|${sharedActivity.name}`) continue;
        seen.add(key);
        out.push({ date, activity: full, theme });
      }
      return out.sort((a, b) => a.date.getTime() - b.date.getTime());
    },
  };
}
