/** `tally demo --district [--dir DIR]`: generate 大兴区's towns, then `tally district` over them. */
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { CommandIO } from '../../pipeline/interfaces/cli/commands/command.ts';
import { districtCommand } from '../../pipeline/interfaces/cli/commands/district.ts';
import { generateDistrictDemo } from './district-demo.ts';

export async function runDistrictDemo(dir: string, io: CommandIO): Promise<number> {
  const started = Date.now();
  await rm(dir, { recursive: true, force: true });
  let n = 0;
  const demo = await generateDistrictDemo(dir, { progress: (town) => io.err.write(`  [${++n}/20] ${town}：运行 tally 并导出\n`) });
  const show = (p: string) => relative(process.cwd(), p) || p;
  io.out.write(`区级收件箱：${show(demo.inbox)}（${demo.towns.filter((t) => t.kind === 'parquet').length} 个街镇的 tally 导出，${demo.towns.filter((t) => t.kind === 'xlsx').length} 个报告工作簿，${demo.towns.filter((t) => t.kind === 'missing').length} 个缺报）\n`);
  const code = await districtCommand.run(['--config', demo.configFile, '--inbox', demo.inbox, '--out', join(dir, 'out')], io);
  io.out.write(`用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`);
  return code;
}
