/**
 * A town's report in which each given department owes one ledger and has sent nothing (缺报):
 * every department gets a mail, the coordinator a digest. For tests of the outbox.
 */
import type { ReportData } from '../../reports/report-data.ts';

export function missingLedgersReport(departments: readonly { code: string; name: string; ledger: string }[], generatedAt: Date): ReportData {
  return {
    year: 2020,
    town: '安定镇',
    district: '大兴区',
    title: '大兴区安定镇2020年度法治政府建设年度情况报告',
    generatedAt,
    indicators: [],
    findings: [],
    submissions: departments.map(({ code, name, ledger }) => ({ department: name, departmentCode: code, ledger, ledgerId: ledger, status: '缺报' as const, files: [], versions: [], receivedAt: null, rows: 0, findings: 0 })),
    narrative: '',
    departments: departments.map(({ code, name, ledger }) => ({ code, name, email: `${code}@anding.example.org`, owes: [ledger] })),
    coordinator: { name: '安定镇司法所（法治建设办公室）', email: 'fazhi@anding.example.org' },
  };
}
