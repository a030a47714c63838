/**
 * The demo's previous year: a 2019 report workbook as last year's tally would have written it
 * (its 指标汇总: 指标编码 and 数值), so that the demo run shows 上年数值, 同比 and the
 * indicator.yoy_change warnings. The 2019 figures are invented but plausible.
 */
import { Workbook } from '../reports/exceljs-workbook.ts';
import { writeXlsxFile } from '../reports/xlsx-file.ts';

export const DEMO_2019: Readonly<Record<string, number>> = {
  'enforcement.disclosures': 231,
  'enforcement.penalty_reviews': 187,
  'enforcement.exam_passed': 2,
  'decision.normative_docs': 1,
  'decision.contract_reviews': 176,
  'decision.legal_opinions': 10,
  'litigation.total': 28,
  'litigation.reconsiderations': 6,
  'litigation.lawsuits': 22,
  'litigation.leader_appearances': 9,
  'litigation.rectifications': 1,
  'study.pre_meeting': 2,
  'study.staff_sessions': 3,
  'service.consultations': 1105,
  'service.disputes_resolved': 124,
  'service.aid_consultations': 142,
  'service.aid_cases': 12,
  'service.model_villages': 0,
  'publicity.events': 201,
  'staff.legal_professionals': 0,
};

export async function writePreviousYearReport(path: string): Promise<void> {
  const workbook = new Workbook();
  const sheet = workbook.addWorksheet('指标汇总');
  sheet.addRow(['序号', '指标编码', '数值']);
  Object.entries(DEMO_2019).forEach(([code, value], i) => sheet.addRow([i + 1, code, value]));
  await writeXlsxFile(workbook, path);
}
