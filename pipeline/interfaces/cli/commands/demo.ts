/**
 * `tally demo [--pack NAME] [--dir DIR]` (npm start): lays out a bundled pack's demo inbox and
 * runs the pipeline on it with that pack's configuration (default: anding-2020).
 */
import { rm } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { UsageError, type Command } from './command.ts';

export const demoCommand: Command = {
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { dir: { type: 'string', default: 'demo-run' }, pack: { type: 'string', default: 'anding-2020' }, district: { type: 'boolean' } },
      strict: true,
    });
    // Issue 15: 大兴区's 22 towns, each run and exported, then consolidated (demo/district/).
    if (values.district === true) return (await import('../../../../demo/district/run-district-demo.ts')).runDistrictDemo(resolve(values.dir), io);
    const { DEMO_PACK_LIST } = await import('../../../../demo/demo-pack-list.ts');
    const pack = DEMO_PACK_LIST[values.pack];
    if (pack === undefined) throw new UsageError(`没有演示报告包“${values.pack}”。可用：${Object.keys(DEMO_PACK_LIST).join('、')}`);
    const dir = resolve(values.dir);
    const started = Date.now();
    // The demo starts from nothing each time, so its output is always the same story.
    await rm(dir, { recursive: true, force: true });
    // Last year's report, as last year's run would have left it: the demo shows 上年数值 and 同比.
    const previous = pack.previous ? resolve(dir, `report-${pack.year - 1}.xlsx`) : null;
    // The inbox (and last year's report) are written in a worker thread while this one loads the
    // run's code, and exceljs, which the run reads last year's report with.
    const { writeDemoInWorker } = await import('../../../../demo/write-demo.ts');
    const written = writeDemoInWorker({ pack: values.pack, inboxDir: resolve(dir, 'inbox'), previous });
    // Waited for below, with the inbox: a failure here is not left unhandled meanwhile.
    const loaded = Promise.all([import('./run.ts'), previous === null ? undefined : import('exceljs')]);
    loaded.catch(() => undefined);
    // Meanwhile the database is created and the pack's SQL checked (~0.45 s a run would spend
    // after the inbox is written).
    const dbPath = resolve(dir, 'out', 'tally.duckdb');
    const prepared = loaded.then(async () => {
      const [{ loadConfig }, { prepareDatabase }] = await Promise.all([import('../../../kernel/config/config.ts'), import('../../../run.ts')]);
      await prepareDatabase(loadConfig(pack.config), dbPath);
    });
    prepared.catch(() => undefined);
    const manifest = await written;
    const [{ runCommand }] = await loaded;
    await prepared;
    io.out.write(`演示收件箱：${relative(process.cwd(), resolve(dir, 'inbox'))}（${manifest.files.length} 个文件，预埋 ${manifest.planted.length} 处问题）\n`);
    const runArgs = ['--config', pack.config, '--inbox', resolve(dir, 'inbox'), '--out', resolve(dir, 'out'), '--db', dbPath];
    if (previous !== null) runArgs.push('--previous', previous);
    const code = await runCommand.run(runArgs, io);
    io.out.write(`用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`);
    const out = relative(process.cwd(), resolve(dir, 'out'));
    const first = Object.keys(manifest.expected)[0] ?? '指标编码';
    io.out.write(
      [
        '接着可以看：',
        `  npx tally explain ${first} --config ${relative(process.cwd(), pack.config)} --out ${out}   一个数字背后的每一行`,
        `  npx tally verify 草稿.docx --config ${relative(process.cwd(), pack.config)} --out ${out}   核对报告草稿中的数字`,
        `  ${out}/report-${pack.year}.xlsx（指标汇总、问题清单、报送情况、报告正文、溯源）、report-${pack.year}.docx、marked/、outbox/`,
      ].join('\n') + '\n',
    );
    return code;
  },
};
