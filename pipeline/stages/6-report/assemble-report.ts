/**
 * Puts together what the report stage needs (ReportData) from the figures, findings and
 * submissions: 状态 of each indicator, 来源, 报送情况 and the narrative.
 */
import type { FindingCount, FindingsDigest } from '../../kernel/findings/findings-store.ts';
import type { TallyConfig } from '../../kernel/config/config.ts';
import type { Rollup } from '../5-rollup/rollup-stage.ts';
import { fillVariables, renderNarrative, templateValues, withTitle, type NarrativeFigure } from '../../../reports/narrative.ts';
import { wordFigure } from '../../../reports/wording.ts';
import type { IndicatorResult, IndicatorStatus, ReportData, SubmissionRow } from '../../../reports/report-data.ts';
import { yoyChange, type PreviousFigures } from '../5-rollup/yoy.ts';
import { deriveFigures } from '../5-rollup/derived-figures.ts';

/** A ledger as found in the current files of a department. */
export interface LedgerSubmission {
  readonly department: string;
  readonly ledger: string;
  readonly files: readonly string[];
  readonly versions: readonly number[];
  readonly receivedAt: string | null;
  readonly rows: number;
}

/**
 * 状态 of a figure: 缺报 when a ledger it needs was not sent, else the worst level among the
 * findings about its ledgers (counted in the database: every finding, not only those shown);
 * 有错误 at least when it is unknown for another reason (a sheet lacks a column it reads).
 */
export function indicatorStatus(
  value: number | null,
  ledgers: readonly string[],
  counts: readonly FindingCount[],
  missingLedgers: readonly string[] = [],
): IndicatorStatus {
  if (value === null && missingLedgers.length > 0) return '缺报';
  const mine = counts.filter((c) => c.ledger !== null && ledgers.includes(c.ledger) && c.count > 0);
  if (value === null || mine.some((c) => c.level === '错误')) return '有错误';
  if (mine.some((c) => c.level === '警告')) return '有警告';
  return '正常';
}

export function assembleReport(input: {
  config: TallyConfig;
  rollups: readonly Rollup[];
  /** The run's findings as people read them (pipeline/kernel/findings/findings-store.ts). */
  findings: FindingsDigest;
  submissions: readonly LedgerSubmission[];
  now: Date;
  /** Last year's figures (issue 4): 上年数值 and 同比 of each indicator. */
  previous?: PreviousFigures | null;
}): ReportData {
  const { config, rollups, submissions } = input;
  const { counts } = input.findings;
  const deptName = new Map(config.departments.map((d) => [d.code, d.name]));
  const ledgerName = (id: string) => config.ledgers.byId(id)?.name ?? id;
  const values = new Map(rollups.map((r) => [r.code, r.value]));
  const missingOf = new Map(rollups.map((r) => [r.code, r.missingLedgers]));
  const previous = input.previous ?? null;
  const previousOf = (code: string, value: number | null): Pick<IndicatorResult, 'previous' | 'change'> => {
    if (previous === null) return {};
    const before = previous.values.get(code) ?? null;
    return { previous: before, change: yoyChange(value, before) };
  };

  const indicators: IndicatorResult[] = config.report.indicators.map((ind, i) => {
    const value = values.get(ind.code) ?? null;
    const sources = ind.ledgers
      .flatMap((l) => {
        const by = submissions.filter((s) => s.ledger === l).map((s) => deptName.get(s.department) ?? s.department);
        const owed = config.departments.filter((d) => d.owes.includes(l)).map((d) => d.name);
        const names = [...new Set([...by, ...owed])];
        return names.map((n) => `${n}·${ledgerName(l)}`);
      })
      .join('；');
    return {
      seq: i + 1,
      code: ind.code,
      section: ind.sections.join('、'),
      name: ind.name,
      value,
      unit: ind.unit,
      written: ind.written,
      wording: wordFigure(value, ind.written, ind.unit, ind),
      sources,
      status: indicatorStatus(value, ind.ledgers, counts, missingOf.get(ind.code) ?? ind.ledgers),
      ...previousOf(ind.code, value),
    };
  });

  const counted = (dept: string, ledger: string) => counts.reduce((n, c) => (c.department === dept && c.ledger === ledger ? n + c.count : n), 0);
  const rows: SubmissionRow[] = [];
  for (const d of config.departments) {
    const ledgers = [...new Set([...d.owes, ...submissions.filter((s) => s.department === d.code).map((s) => s.ledger)])];
    for (const l of ledgers) {
      const s = submissions.find((x) => x.department === d.code && x.ledger === l);
      rows.push({
        department: d.name,
        departmentCode: d.code,
        ledger: ledgerName(l),
        ledgerId: l,
        status: s === undefined ? '缺报' : s.rows === 0 ? '空表' : '已报',
        files: s?.files ?? [],
        versions: s?.versions ?? [],
        receivedAt: s?.receivedAt ?? null,
        rows: s?.rows ?? 0,
        findings: counted(d.code, l),
      });
    }
  }

  // Rates, shares and sums the pack derives from the figures: in the table and in the text.
  const derived = deriveFigures(config.report.derived, indicators);
  const ratios = new Set(config.report.derived.filter((d) => d.form.kind === 'ratio').map((d) => d.code));
  const defs = new Map([...config.report.indicators, ...config.report.derived].map((d) => [d.code, d]));
  const figures = new Map<string, NarrativeFigure>(
    [...indicators, ...derived].map((i) => [
      i.code,
      {
        value: i.value,
        wording: i.wording,
        name: i.name,
        unknown: i.status === '缺报' ? '缺报' : '无法统计',
        ratio: ratios.has(i.code),
        zeroDenominator: i.zeroDenominator !== undefined,
        // {{code:同比}}: last year's value, written as the figure is.
        yoy: { unit: i.unit, written: i.written, over: defs.get(i.code)?.over, decimals: defs.get(i.code)?.decimals, previous: i.previous },
      },
    ]),
  );
  const vars = templateValues(config);
  const title = fillVariables(config.report.title, vars);
  // One title: pack.json's (a template's own first-line title is replaced by it).
  const narrative = withTitle(renderNarrative(config.report.template, figures, vars).text, title);
  return {
    year: config.year,
    town: config.town,
    district: config.district,
    title,
    kind: config.report.kind,
    generatedAt: input.now,
    indicators,
    findings: input.findings.shown,
    findingsOmitted: input.findings.omitted,
    findingCounts: counts,
    submissions: rows,
    narrative,
    departments: config.departments.map((d) => ({ code: d.code, name: d.name, email: d.email, owes: d.owes })),
    coordinator: config.coordinator,
    trace: rollups.flatMap((r) => r.trace ?? []),
    traceOmitted: rollups.filter((r) => (r.traceTotal ?? 0) > (r.trace?.length ?? 0)).map((r) => ({ code: r.code, omitted: (r.traceTotal ?? 0) - (r.trace?.length ?? 0) })),
    derived,
    ...(previous === null ? {} : { previousYear: { year: previous.year, source: previous.source } }),
  };
}
