/**
 * `tally export --parquet DIR`: the town's figures, their rows, findings and submissions as
 * Hive-partitioned Parquet (`DIR/<table>/year=<year>/town=<town>/part-0.parquet`), read from the
 * database of the last run. What a district's `tally district` reads, and any engine that reads
 * Parquet (DuckDB, Spark SQL, Trino).
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CONFIG, loadConfig } from '../../../kernel/config/config.ts';
import { openRunDatabase } from '../../../audit/trace-figures.ts';
import { exportTown } from '../../../district/export-town.ts';
import { UsageError, type Command } from './command.ts';
import { parseYear } from './run.ts';

export const exportCommand: Command = {
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { parquet: { type: 'string' }, db: { type: 'string' }, out: { type: 'string', default: 'out' }, config: { type: 'string' }, year: { type: 'string' } },
      strict: true,
      allowPositionals: false,
    });
    if (values.parquet === undefined) throw new UsageError('请用 --parquet 目录 指定导出位置');
    const year = parseYear(values.year);
    const config = loadConfig(values.config === undefined ? DEMO_CONFIG : resolve(values.config), year === undefined ? {} : { year });
    const tdb = await openRunDatabase(resolve(values.db ?? `${values.out}/tally.duckdb`), config);
    try {
      const root = resolve(values.parquet);
      const r = await exportTown(tdb, config, root);
      const rows = Object.entries(r.tables).filter(([t]) => t.startsWith('ledger_')).reduce((n, [, v]) => n + v, 0);
      io.out.write(
        `${r.town}${r.year}年度（第 ${r.runId} 次运行）已导出到 ${relative(process.cwd(), root) || root}：` +
          `指标 ${r.tables['figures'] ?? 0} 项，溯源 ${r.tables['trace'] ?? 0} 行，问题 ${r.tables['findings'] ?? 0} 条，台账行 ${rows} 行\n`,
      );
      return 0;
    } finally {
      await tdb.close();
    }
  },
};
