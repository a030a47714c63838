/**
 * `tally verify <草稿>`: finds every figure of the office's draft report (.docx or .txt) and checks
 * it against what the ledgers add up to (the database of the last run). Prints a table; with
 * `--out`, also writes the findings as a workbook. Exit 0 whatever it finds.
 */
import { basename, extname, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CONFIG, loadConfig } from '../../../kernel/config/config.ts';
import { figuresFromDatabase, openRunDatabase } from '../../../audit/trace-figures.ts';
import { textTable } from '../../../audit/trace-text-table.ts';
import { verifyDraft, type DraftCheck, type VerifyIndicator } from '../../../audit/verify-draft.ts';
import { DraftError, readDraft } from '../../../audit/verify-read.ts';
import { writeVerifyWorkbook } from '../../../../reports/write-verify-workbook.ts';
import { UsageError, type Command } from './command.ts';
import { derivedValues, zeroDenominators } from '../../../stages/5-rollup/derived-figures.ts';
import { partsOf } from '../../../../reports/report-catalog.ts';
import { toCellPrecision } from '../../../stages/5-rollup/sum-amounts.ts';
import { parseYear } from './run.ts';
import { previousFromDatabase } from '../../../stages/5-rollup/yoy.ts';

export const verifyCommand: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        db: { type: 'string' },
        out: { type: 'string' },
        config: { type: 'string' },
        year: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('请给出一个草稿文件（.docx 或 .txt），例如 tally verify 2020年报告草稿.docx');
    const draft = resolve(positionals[0] ?? '');
    const year = parseYear(values.year);
    const config = loadConfig(values.config === undefined ? DEMO_CONFIG : resolve(values.config), year === undefined ? {} : { year });
    let paragraphs: string[];
    try {
      paragraphs = await readDraft(draft);
    } catch (error) {
      if (error instanceof DraftError) throw new UsageError(error.message);
      throw error;
    }
    const dbPath = resolve(values.db ?? `${values.out ?? 'out'}/tally.duckdb`);
    const tdb = await openRunDatabase(dbPath, config);
    let indicators: VerifyIndicator[];
    try {
      const rollups = await figuresFromDatabase(tdb, config, config.year);
      const values = new Map(rollups.map((r) => [r.code, r.value]));
      // Last year's, as the run had them (同比增长25% in the draft): its rates worked out from its parts, as the run does.
      const previous = await previousFromDatabase(tdb.db, config.year - 1);
      const before = previous === null ? null : new Map(config.report.indicators.map((i) => [i.code, previous.values.get(i.code) ?? null]));
      const derivedBefore = before === null ? null : derivedValues(config.report.derived, before);
      const lastYear = (code: string) =>
        before === null || derivedBefore === null ? {} : { previous: before.get(code) ?? derivedBefore.get(code) ?? null, previousSource: previous?.source };
      const unknown = new Map(rollups.map((r) => [r.code, r.missingLedgers.length > 0 ? ('缺报' as const) : ('无法统计' as const)]));
      indicators = config.report.indicators.map((i) => ({ ...i, value: values.get(i.code) ?? null, unknown: unknown.get(i.code), ...lastYear(i.code) }));
      // The pack's derived figures (rates, shares, sums) are figures of the draft too.
      const derived = derivedValues(config.report.derived, values);
      // A share whose denominator is 0 has no value because nothing happened (分母为0), not 无法统计.
      const zeroBases = zeroDenominators(config.report.derived, values);
      const ledgersOf = (code: string): string[] => indicators.find((i) => i.code === code)?.ledgers.slice() ?? [];
      for (const d of config.report.derived) {
        const parts = partsOf(d).map((p) => indicators.find((i) => i.code === p));
        const unknownPart = parts.some((p) => p?.value === null && p.unknown !== '无法统计') ? '缺报' : '无法统计';
        const value = derived.get(d.code) ?? null;
        // A sum of decimal figures at cell precision, as the figures themselves are.
        indicators.push({
          ...d,
          value: value === null ? null : toCellPrecision(value),
          ledgers: partsOf(d).flatMap(ledgersOf),
          unknown: unknownPart,
          zeroDenominator: zeroBases.get(d.code),
          ratio: d.form.kind === 'ratio',
          ...lastYear(d.code),
        });
      }
    } finally {
      await tdb.close();
    }
    const result = verifyDraft({ file: basename(draft), paragraphs, indicators, template: config.report.template, tableOnly: config.report.tableOnly });
    io.out.write(report(result, basename(draft), config.year, indicators));
    if (values.out !== undefined) {
      const path = join(resolve(values.out), `verify-${basename(draft, extname(draft))}.xlsx`);
      await writeVerifyWorkbook(result, path);
      io.out.write(`问题清单工作簿：${relative(process.cwd(), path) || path}\n`);
    }
    return 0;
  },
};

function report(result: DraftCheck, file: string, year: number, indicators: readonly VerifyIndicator[]): string {
  const count = (v: string) => result.checks.filter((c) => c.verdict === v).length;
  const lines = [`核对草稿：${file}（${year}年度）`, ''];
  lines.push(
    textTable(
      ['段落', '草稿数字', '指标', '台账数值', '报告表述', '结论', '原文'],
      result.checks.map((c) => [`第${c.paragraph}段`, c.figure, c.name ?? '—', c.actual, c.expected, c.verdict, clip(c.clause, 40)]),
    ),
  );
  lines.push(`找到数字 ${result.checks.length} 处：一致 ${count('一致')}，不一致 ${count('不一致')}，无法判断 ${count('无法判断')}。`);
  if (result.unmentioned.length > 0) {
    const names = result.unmentioned.map((code) => indicators.find((i) => i.code === code)?.name ?? code);
    lines.push(`草稿中没有找到的指标：${names.join('、')}`);
  }
  const errors = result.findings.filter((f) => f.level === '错误').length;
  lines.push(`问题：错误 ${errors} 个，警告 ${result.findings.length - errors} 个`);
  for (const f of result.findings) lines.push(`  [${f.level}] ${f.code} ${f.sheet ?? ''}：${f.message}`);
  return `${lines.join('\n')}\n`;
}

function clip(text: string, max: number): string {
  return [...text].length <= max ? text : `${[...text].slice(0, max - 1).join('')}…`;
}
