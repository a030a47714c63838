/** `tally templates`: writes each department's template workbook (one sheet per ledger it owes). */
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CONFIG, loadConfig } from '../../../kernel/config/config.ts';
import { templateFileName, templateWorkbook } from '../../../../reports/templates/write-template-workbook.ts';
import type { Command } from './command.ts';

export const templatesCommand: Command = {
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { config: { type: 'string' }, out: { type: 'string', default: 'templates' } },
      strict: true,
      allowPositionals: false,
    });
    const config = loadConfig(values.config === undefined ? DEMO_CONFIG : resolve(values.config));
    const dir = resolve(values.out);
    await mkdir(dir, { recursive: true });
    for (const d of config.departments) {
      const path = join(dir, templateFileName(config, d));
      await writeFile(path, await templateWorkbook(config, d));
      io.out.write(`${d.name}：${relative(process.cwd(), path) || path}（${d.owes.length} 本台账）\n`);
    }
    return 0;
  },
};
