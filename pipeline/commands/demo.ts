/** `tally demo` (npm start): lays out the demo inbox and runs the pipeline on it. */
import { rm } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Command } from './command.ts';
import { runCommand } from './run.ts';

export const demoCommand: Command = {
  usage: ['tally demo [--dir 目录]     生成演示收件箱（安定镇 2020）并运行一次（npm start）'],
  async run(args, io) {
    const { values } = parseArgs({ args: [...args], options: { dir: { type: 'string', default: 'demo-run' } }, strict: true });
    const dir = resolve(values.dir);
    const started = Date.now();
    // The demo starts from nothing each time, so its output is always the same story.
    await rm(dir, { recursive: true, force: true });
    const { generateDemoInbox } = await import('../../demo/demo-inbox.ts');
    const manifest = await generateDemoInbox(resolve(dir, 'inbox'));
    io.out.write(`演示收件箱：${relative(process.cwd(), resolve(dir, 'inbox'))}（${manifest.files.length} 个文件，预埋 ${manifest.planted.length} 处问题）\n`);
    const code = await runCommand.run(['--inbox', resolve(dir, 'inbox'), '--out', resolve(dir, 'out')], io);
    io.out.write(`用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒\n`);
    return code;
  },
};
