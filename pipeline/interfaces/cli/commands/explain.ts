/**
 * `tally explain <指标编码>`: the rows behind one figure, from the database of the last run.
 * Every counted row (department, file, version, sheet, row, the deciding cells and their
 * addresses) and every left-out row with its reason; the counted amounts add up to the figure.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CONFIG, loadConfig } from '../../../kernel/config/config.ts';
import { figuresFromDatabase, openRunDatabase } from '../../../audit/trace-figures.ts';
import { describeCells, reasonCounts, type TraceRow } from '../../../stages/5-rollup/trace-rows.ts';
import { sumAmounts } from '../../../stages/5-rollup/sum-amounts.ts';
import { explainDerived, type KnownFigure } from '../../../audit/explain-derived.ts';
import { textTable } from '../../../audit/trace-text-table.ts';
import { wordFigure } from '../../../../reports/wording.ts';
import { UsageError, type Command } from './command.ts';
import { parseYear } from './run.ts';
import { previousFromDatabase } from '../../../stages/5-rollup/yoy.ts';
import { derivedValues } from '../../../stages/5-rollup/derived-figures.ts';
import { previousLines } from '../../../audit/explain-previous.ts';

export const explainCommand: Command = {
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args: [...args],
      options: {
        db: { type: 'string' },
        out: { type: 'string', default: 'out' },
        config: { type: 'string' },
        year: { type: 'string' },
      },
      strict: true,
      allowPositionals: true,
    });
    if (positionals.length !== 1) throw new UsageError('请给出一个指标编码或指标名称，例如 tally explain 公示执法信息（可用的编码见报告包的 pack.json）');
    const wanted = positionals[0] ?? '';
    const year = parseYear(values.year);
    const config = loadConfig(values.config === undefined ? DEMO_CONFIG : resolve(values.config), year === undefined ? {} : { year });
    const ind = config.report.indicators.find((i) => i.code === wanted || i.name === wanted);
    const derived = config.report.derived.find((d) => d.code === wanted || d.name === wanted);
    if (ind === undefined && derived === undefined) {
      const all = [...config.report.indicators, ...config.report.derived.map((d) => ({ ...d, name: `${d.name}（派生指标）` }))];
      throw new UsageError(`没有指标“${wanted}”。可用的指标：\n${all.map((i) => `  ${i.code}  ${i.name}`).join('\n')}`);
    }
    const tdb = await openRunDatabase(resolve(values.db ?? `${values.out}/tally.duckdb`), config);
    try {
      const rollups = await figuresFromDatabase(tdb, config, config.year);
      // Last year's, as the run compares with them (上年数值, {{code:同比}}): a derived figure's from its parts.
      const previous = await previousFromDatabase(tdb.db, config.year - 1);
      const before = new Map(config.report.indicators.map((i) => [i.code, previous?.values.get(i.code) ?? null]));
      if (ind === undefined) {
        // A derived figure has no rows of its own: its formula and its parts, each explained in turn.
        const figures = new Map<string, KnownFigure>(
          rollups.map((r) => [r.code, { value: r.value, unknown: r.value !== null ? undefined : r.missingLedgers.length > 0 ? '缺报' : '无法统计' }]),
        );
        const def = derived as NonNullable<typeof derived>;
        const value = derivedValues(config.report.derived, new Map(rollups.map((r) => [r.code, r.value]))).get(def.code) ?? null;
        const lastYear = previousLines({ ...def, value, derived: true }, previous, derivedValues(config.report.derived, before).get(def.code), config.year);
        // After its value and formula; the sum worked out stays last.
        const lines = explainDerived(def, config.report, figures, config.year, sameOptions(values));
        lines.splice(2, 0, ...lastYear);
        io.out.write(`${lines.join('\n')}\n`);
        return 0;
      }
      const rollup = rollups.find((r) => r.code === ind.code);
      const rows = rollup?.trace ?? [];
      const names = new Map(config.departments.map((d) => [d.code, d.name]));
      const ledgerNames = ind.ledgers.map((l) => config.ledgers.byId(l)?.name ?? l).join('、');
      const counted = rows.filter((r) => r.counted);
      // Added up as the figure is: decimal amounts at cell precision (3256.8, not 3256.7999999999993).
      const total = sumAmounts(counted.map((r) => r.amount));
      const value = rollup?.value ?? null;
      const missing = rollup?.missingLedgers ?? [];
      const out: string[] = [];
      out.push(
        `${ind.code} ${ind.name}（${config.year}年度）：${value === null ? missing.length > 0 ? '缺报' : '无法统计' : `${value}${ind.unit}，报告写作“${wordFigure(value, ind.written, ind.unit, ind)}”`}`,
      );
      out.push(`台账：${ledgerNames}`);
      // bounded: at most two lines (last year's value and source, then the change).
      out.push(...previousLines({ ...ind, value }, previous, before.get(ind.code), config.year));
      if (value === null && missing.length > 0) out.push(`缺报：${missing.map((l) => config.ledgers.byId(l)?.name ?? l).join('、')} 有部门未报送，指标不填数（下列为已报送的行）。`);
      for (const a of value === null ? (rollup?.absentColumns ?? []) : []) {
        out.push(`无法统计：${names.get(a.department) ?? a.department} ${a.file} 工作表“${a.sheet}”缺少必填列“${a.fields.join('”“')}”，其中的行无法判断是否计入，指标不填数。`);
      }
      out.push(`计入 ${counted.length} 行，数量合计 ${total}；未计入 ${rows.length - counted.length} 行。`);
      out.push('');
      out.push(`计入（${counted.length} 行）：`);
      out.push(counted.length === 0 ? '  （无）\n' : rowsTable(counted, names, true));
      const left = rows.filter((r) => !r.counted);
      out.push(`未计入（${left.length} 行）：`);
      if (left.length === 0) out.push('  （无）\n');
      for (const { reason, rows: n } of reasonCounts(left)) {
        out.push(`  ${reason}（${n} 行）`);
        out.push(rowsTable(left.filter((r) => (r.reason ?? '（未说明）') === reason), names, false, '    '));
      }
      if (value !== null) out.push(`核对：计入各行数量相加 ${total} ${total === value ? '=' : '≠'} 指标数值 ${value}`);
      io.out.write(`${out.join('\n')}\n`);
      return 0;
    } finally {
      await tdb.close();
    }
  },
};

/** The options the user gave, for the explain commands of a derived figure's parts. */
function sameOptions(values: { readonly db?: string | undefined; readonly out?: string | undefined; readonly config?: string | undefined; readonly year?: string | undefined }): string {
  const given: string[] = [];
  if (values.config !== undefined) given.push('--config', values.config);
  if (values.db !== undefined) given.push('--db', values.db);
  else if (values.out !== undefined && values.out !== 'out') given.push('--out', values.out);
  if (values.year !== undefined) given.push('--year', values.year);
  return given.map((a) => (/[\s"'$`\\]/.test(a) ? JSON.stringify(a) : a)).join(' ');
}

function rowsTable(rows: readonly TraceRow[], names: ReadonlyMap<string, string>, withAmount: boolean, indent = '  '): string {
  const headers = ['部门', '文件', '版本', '工作表', '行', ...(withAmount ? ['数量'] : []), '判定依据'];
  return textTable(
    headers,
    rows.map((r) => [
      names.get(r.department) ?? r.department,
      r.file,
      `v${r.fileVersion}`,
      r.sheet,
      r.rowNo,
      ...(withAmount ? [r.amount] : []),
      describeCells(r.cells),
    ]),
    indent,
  );
}
