export { DuckDBAdapter, DuckDBDialect } from './duckdb-dialect.ts';
export type { DuckDBDialectConfig } from './duckdb-dialect.ts';
export { DuckDBDriver } from './duckdb-driver.ts';
export type { DuckDBDriverConfig } from './duckdb-driver.ts';
export { DuckDBIntrospector } from './duckdb-introspector.ts';
