/**
 * The Parquet layout a town's export writes and a district reads (issue 15): one folder per
 * table, Hive-partitioned by year and town, one file per partition:
 *
 * ```
 * <DIR>/figures/year=2020/town=安定镇/part-0.parquet       the town's figures (指标汇总), with their parts
 * <DIR>/trace/year=2020/town=安定镇/part-0.parquet         every candidate row of every figure, counted or not and why
 * <DIR>/findings/year=2020/town=安定镇/part-0.parquet      the findings of the run (问题清单), all of them
 * <DIR>/submissions/year=2020/town=安定镇/part-0.parquet   what each department owed and sent (报送情况)
 * <DIR>/towns/year=2020/town=安定镇/part-0.parquet         one row: district, town, run, exported_at
 * <DIR>/ledger_<id>/year=2020/town=安定镇/part-0.parquet   the normalized rows of one ledger, with provenance
 * ```
 *
 * Table first, then partitions: each folder is one table with one schema, which is what a
 * metastore (Hive, Glue) or an engine reading a prefix of object storage (Spark SQL, Trino)
 * expects: `s3://bucket/tally/figures/` partitioned by `(year, town)`.
 */
import { join } from 'node:path';

export const EXPORT_TABLES = ['figures', 'trace', 'findings', 'submissions', 'towns'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

/** The folder of one ledger's rows (`ledger_mediation`). */
export function ledgerTable(ledger: string): string {
  return `ledger_${ledger}`;
}

/** Where one town-year of a table lives. */
export function partitionDir(root: string, table: string, year: number, town: string): string {
  return join(root, table, `year=${year}`, `town=${town}`);
}

export const PART_FILE = 'part-0.parquet';

/**
 * A town's name as a partition value: it names a folder, so no separator, no `..`, no control
 * characters, and no `=` (which would confuse Hive's `key=value` parsing).
 */
export function checkTownName(town: string): string | null {
  if (town.trim() === '') return '街镇名称为空';
  if (/[/\\=\u0000-\u001f]/.test(town) || town === '.' || town === '..') return `街镇名称“${town}”含有不能用作目录名的字符（/ \\ = 或控制字符）`;
  return null;
}

/** A string as a SQL literal (paths in COPY and read_parquet cannot be parameters). */
export function sqlString(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/**
 * `read_parquet` over every town and year of one table found anywhere under `root` (a district's
 * inbox holds one tree, or one tree per town). Partition columns are typed, not guessed: a town
 * called 123 stays text.
 */
export function readTableSql(root: string, table: string): string {
  const glob = join(root, '**', table, 'year=*', 'town=*', '*.parquet');
  return `read_parquet(${sqlString(glob)}, hive_partitioning = true, union_by_name = true, hive_types = {'year': INTEGER, 'town': VARCHAR})`;
}
