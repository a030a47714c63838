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
    // The inbox and last year's report as the build wrote them (demo/prebuilt-inbox.ts), copied;
    // without such a kit, written in a worker thread, which reads last year's figures back (as
    // `tally run --previous` does, with exceljs it has loaded already). Meanwhile this thread
    // prepares the database and loads the run's code.
    const job = { pack: values.pack, inboxDir: resolve(dir, 'inbox'), previous };
    const { takePrebuiltInbox } = await import('../../../../demo/prebuilt-inbox.ts');
    const written = takePrebuiltInbox(job).then(async (kit) => kit ?? (await import('../../../../demo/write-demo.ts')).writeDemoInWorker(job));
    // The database is created and the pack's SQL checked (~150 statements, ~0.4 s a run would
    // spend after the inbox is written) as soon as the configuration's and the database's code
    // is loaded: DuckDB works through them while the rest of the run's code loads.
    const dbPath = resolve(dir, 'out', 'tally.duckdb');
    const preparing = Promise.all([import('../../../kernel/config/config.ts'), import('../../../prepare-database.ts')]);
    const config = preparing.then(([{ loadConfig }]) => loadConfig(pack.config));
    const prepared = Promise.all([preparing, config]).then(([[, { prepareDatabase }], c]) => prepareDatabase(c, dbPath));
    const loaded = preparing.then(() => Promise.all([import('./run.ts'), import('../../../stages/3-load/ingest.ts'), import('../../../stages/7-notify/open-mail-channel.ts')]));
    // Waited for below, with the inbox: a failure here is not left unhandled meanwhile.
    written.catch(() => undefined);
    prepared.catch(() => undefined);
    loaded.catch(() => undefined);
    const { manifest, previous: previousFigures } = await written;
    const [[{ runAndReport }, { readPool }, { mailEnvironment }], c] = await Promise.all([loaded, config]);
    // The run's read workers, started by the demo: once the database is prepared they load their
    // code (~0.3 s) while the run opens it and takes the inbox in (started with the inbox, they
    // took the cores that the preparation's statements were waiting for).
    const pool = readPool({ catalog: c.ledgers, year: c.year, maxFileBytes: c.maxFileBytes });
    let code: number;
    try {
      await prepared;
      void pool.warm();
      io.out.write(`演示收件箱：${relative(process.cwd(), resolve(dir, 'inbox'))}（${manifest.files.length} 个文件，预埋 ${manifest.planted.length} 处问题）\n`);
      const mail = mailEnvironment(process.env);
      code = await runAndReport(
        {
          ...(previousFigures === null ? {} : { previous: previousFigures }),
          config: c,
          inbox: resolve(dir, 'inbox'),
          out: resolve(dir, 'out'),
          dbPath,
          smtpUrl: mail.smtpUrl,
          notify: 'changed',
          mail: { smtp: mail.smtp },
          readPool: pool,
        },
        io,
      );
    } finally {
      // The run closes them; not when it never started.
      await pool.close();
    }
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
