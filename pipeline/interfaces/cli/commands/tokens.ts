/**
 * `tally tokens`: makes the portal's private links. Every department and the coordinator get a
 * random token (kept in `<config>.tokens.json`, mode 600) unless they have one; `--rotate`
 * replaces a token, so the old link answers 403 from the next start of `tally serve`.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEMO_CONFIG, loadConfig, type TallyConfig } from '../../../kernel/config/config.ts';
import { ensureTokens, tokensFileFor, type PortalTokens } from '../../portal/portal-tokens.ts';
import type { Command, CommandIO } from './command.ts';

export const tokensCommand: Command = {
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        config: { type: 'string' },
        tokens: { type: 'string' },
        rotate: { type: 'string', multiple: true },
        'base-url': { type: 'string', default: 'http://127.0.0.1:8080' },
      },
      strict: true,
      allowPositionals: false,
    });
    const config = loadConfig(values.config === undefined ? DEMO_CONFIG : resolve(values.config));
    const file = resolve(values.tokens ?? tokensFileFor(config.file));
    const ensured = await ensureTokens(config, file, { rotate: values.rotate ?? [] });
    if (ensured.created.length > 0) io.out.write(`已生成 ${ensured.created.length} 个新令牌，保存在 ${file}\n`);
    writeLinks(io, config, ensured.tokens, values['base-url']);
    return 0;
  },
};

/** The links, one a line: who, then the URL to send them. */
export function writeLinks(io: CommandIO, config: TallyConfig, tokens: PortalTokens, baseUrl: string): void {
  const base = baseUrl.replace(/\/+$/, '');
  io.out.write(`\n司法所总览（${config.coordinator.name}）：\n  ${base}/c/${tokens.coordinator}\n\n各部门上传链接（请分别私下发送，勿转发）：\n`);
  for (const d of config.departments) io.out.write(`  ${d.name}（${d.code}）：${base}/d/${tokens.departments[d.code] ?? ''}\n`);
}
