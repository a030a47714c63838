/** `tally demo` (npm start): lays out the demo inbox and runs the pipeline on it. */
import { rm } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { runCommand } from './run.ts';

export const demoCommand: Command = {
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { dir: { type: 'string', default: 'demo-run' }, district: { type: 'boolean' } }, strict: true });
    // Issue 15: 大兴区's 22 towns, each run and exported, then consolidated (demo/district/).
    if (values.district === true) return (await import('../../../../demo/district/run-district-demo.ts')).runDistrictDemo(resolve(values.dir), io);
    const dir = resolve(values.dir);
    const started = Date.now();
    // The demo starts from nothing each time, so its output is always the same story.
    await rm(dir, { recursive: true, force: true });
    const { generateDemoInbox } = await import('../../../../demo/demo-inbox.ts');
    const manifest = await generateDemoInbox(resolve(dir, 'inbox'));
    io.out.write(`演示收件箱：${relative(process.cwd(), resolve(dir, 'inbox'))}（${manifest.files.length} 个文件，预埋 ${manifest.planted.length} 处问题）\n`);
    // Last year's report, as last year's run would have left it: the demo shows 上年数值 and 同比.
    const { writePreviousYearReport } = await import('../../../../demo/previous-year.ts');
    const previous = resolve(dir, 'report-2019.xlsx');
    await writePreviousYearReport(previous);
    const code = await runCommand.run(['--inbox', resolve(dir, 'inbox'), '--out', resolve(dir, 'out'), '--previous', previous], io);
    io.out.write(`用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`);
    const out = relative(process.cwd(), resolve(dir, 'out'));
    io.out.write(
      [
        '接着可以看：',
        `  npx tally explain service.disputes_resolved --out ${out}   一个数字背后的每一行`,
        `  npx tally verify 草稿.docx --out ${out}                     核对报告草稿中的数字`,
        `  ${out}/report-2020.xlsx（指标汇总、问题清单、报送情况、报告正文、溯源）、report-2020.docx、marked/、outbox/`,
      ].join('\n') + '\n',
    );
    return code;
  },
};
