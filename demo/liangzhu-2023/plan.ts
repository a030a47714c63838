/**
 * The 2023 demo inbox of 良渚街道 (the pack packs/liangzhu-2023): three departments' ledgers,
 * messy as clerks make them, whose rows add up to the published figures, with planted mistakes.
 */
import { PlanContext, type DemoPlan } from '../demo-plan.ts';
import { planEnforcement } from './enforcement.ts';
import { planAdminCases, planDisputes, planJusticePublicity } from './justice.ts';
import { planReview } from './review.ts';

/** The figures of the 2023 report the demo reproduces (审核合同2657份 … 持证执法人员56人). */
export const LIANGZHU_2023_FIGURES = {
  'review.contracts': 2657,
  'review.normative_docs': 13,
  'review.legal_opinions': 26,
  'review.major_decisions': 4,
  'staff.enforcers': 58,
  'staff.certified': 56,
  'enforcement.cases': 1243,
  'cases.reconsiderations': 14,
  'cases.lawsuits': 9,
  'cases.leader_appearances': 9,
  'disputes.accepted': 425,
  'disputes.resolved': 412,
  'publicity.events': 86,
} as const satisfies Record<string, number>;

export function planLiangzhu2023(): DemoPlan {
  const ctx = new PlanContext(20231231);
  planReview(ctx);
  planAdminCases(ctx);
  planDisputes(ctx);
  planJusticePublicity(ctx);
  planEnforcement(ctx);
  return ctx.finish(LIANGZHU_2023_FIGURES);
}
