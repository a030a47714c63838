/**
 * `tally` on the command line (contract §6). Exit codes: 0 the command completed (a run
 * completed, whatever it found), 1 it could not run, 2 a usage error.
 *
 * This module imports nothing heavy: `tally --help` answers from the usage lines alone, and a
 * command loads its code when it runs (commands/index.ts).
 */
import { ConfigError } from '../../kernel/config/config-error.ts';
import { UsageError, type CommandIO } from './commands/command.ts';
import { COMMANDS } from './commands/index.ts';

function usage(): string {
  return ['用法：', ...Object.values(COMMANDS).flatMap((c) => c.usage.map((l) => `  ${l}`))].join('\n');
}

export async function main(argv: readonly string[], io: CommandIO = { out: process.stdout, err: process.stderr }): Promise<number> {
  const [name, ...rest] = argv;
  try {
    if (name === '--help' || name === '-h' || name === 'help') {
      io.out.write(`${usage()}\n`);
      return 0;
    }
    const command = name === undefined ? undefined : COMMANDS[name];
    if (command === undefined) throw new UsageError(name === undefined ? '缺少命令' : `未知命令“${name}”`);
    return await (await command.load()).run(rest, io);
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err.write(`tally：${(error as Error).message}\n\n${usage()}\n`);
      return 2;
    }
    // Imported here, not at the top: open-database.ts loads DuckDB.
    const { DatabaseError } = await import('../../kernel/db/open-database.ts');
    if (error instanceof ConfigError || error instanceof DatabaseError) {
      io.err.write(`tally：无法运行：${(error as Error).message}\n`);
      return 1;
    }
    io.err.write(`tally：运行失败：${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return 1;
  }
}
