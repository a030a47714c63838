/**
 * The 2020 demo inbox of 安定镇, planned ledger by ledger in a fixed order from one seed (the
 * order is the seed's: the same inbox, cell for cell, every time).
 */
import { PlanContext, type DemoPlan } from '../demo-plan.ts';
import { planCounsel } from './counsel.ts';
import { planDisclosure, planEnforcementPublicity, planOfficers, planPenalty } from './enforcement.ts';
import { planHonors, planJusticePublicity, planLegalService, planLitigation, planMediationAid } from './justice.ts';
import { planNormativeDocs, planOfficePublicity, planStudy, planSummary } from './office.ts';
import { town as townOf } from './town.ts';

/** The figures of the 2020 report the demo reproduces (report-anding-2020.txt). */
export const DEMO_FIGURES = {
  'enforcement.disclosures': 283,
  'enforcement.penalty_reviews': 206,
  'enforcement.exam_passed': 1,
  'decision.normative_docs': 0,
  'decision.contract_reviews': 207,
  'decision.legal_opinions': 12,
  'litigation.total': 35,
  'litigation.reconsiderations': 5,
  'litigation.lawsuits': 30,
  'litigation.leader_appearances': 15,
  'litigation.rectifications': 0,
  'study.pre_meeting': 2,
  'study.staff_sessions': 4,
  'service.consultations': 1236,
  'service.disputes_resolved': 131,
  'service.aid_consultations': 156,
  'service.aid_cases': 14,
  'service.model_villages': 1,
  'publicity.events': 234,
  'staff.legal_professionals': 0,
} as const satisfies Record<string, number>;

/** Builds the demo inbox in memory: the files, the planted mistakes, the expected figures. */
export function planAnding2020(): DemoPlan {
  const ctx = new PlanContext(20201231);
  const town = townOf(ctx);
  // 综合执法队
  planDisclosure(ctx, town);
  planPenalty(ctx);
  planOfficers(ctx);
  planEnforcementPublicity(ctx, town);
  // 司法所
  planLitigation(ctx, town);
  planMediationAid(ctx, town);
  planLegalService(ctx);
  planHonors(ctx);
  planJusticePublicity(ctx, town);
  // 法律顾问
  planCounsel(ctx);
  // 综合保障办
  planNormativeDocs(ctx, town);
  planStudy(ctx);
  planSummary(ctx);
  planOfficePublicity(ctx, town);
  // The figures the rows add up to must be the report's: fail loudly if a change broke that.
  return ctx.finish(DEMO_FIGURES);
}
