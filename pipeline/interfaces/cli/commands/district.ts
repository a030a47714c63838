/**
 * `tally district`: the towns of one district and year, from their exports (Parquet, anywhere
 * under the inbox) or report workbooks (`<inbox>/<街镇>/report-<year>.xlsx`), consolidated into
 * `district-<year>.xlsx`, `.docx` and `.html`, with a mail to each town's coordinator.
 */
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadDistrictConfig } from '../../../district/district-config.ts';
import { runDistrict } from '../../../district/run-district.ts';
import { mailEnvironment } from '../../../stages/7-notify/open-mail-channel.ts';
import { UsageError, type Command } from './command.ts';
import { parseYear } from './run.ts';

export const districtCommand: Command = {
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { config: { type: 'string' }, inbox: { type: 'string', default: 'inbox' }, out: { type: 'string', default: 'out' }, year: { type: 'string' }, 'no-docx': { type: 'boolean' } },
      strict: true,
      allowPositionals: false,
    });
    const year = parseYear(values.year);
    const config = values.config === undefined ? undefined : loadDistrictConfig(resolve(values.config), year === undefined ? {} : { year });
    const y = config?.year ?? year;
    if (y === undefined) throw new UsageError('没有区级配置时请用 --year 指定年度');
    const started = Date.now();
    const r = await runDistrict({ config, inbox: resolve(values.inbox), out: resolve(values.out), year: y, smtpUrl: mailEnvironment(process.env).smtpUrl, docx: values['no-docx'] !== true });
    const d = r.data;
    const count = (s: string) => d.towns.filter((t) => t.status === s).length;
    const show = (p: string) => relative(process.cwd(), p) || p;
    io.out.write(
      [
        `${d.district}${d.year}年度区级汇总：应报 ${d.towns.length} 个街镇，已报 ${count('已报')}，逾期 ${count('逾期')}，缺报 ${count('缺报')}`,
        `  指标 ${d.figures.length} 项；需核实 ${d.anomalies.filter((a) => a.flagged).length} 条（同级偏离、同比变动、导出不一致）`,
        `  汇总工作簿：${show(r.workbook)}`,
        ...(r.docx === null ? [] : [`  文档（含图表）：${show(r.docx)}`]),
        `  总览页面：${show(r.page)}`,
        `  邮件：${r.mails.length} 封${r.mails.length > 0 ? `（${show(r.mails[0]?.delivered ?? '')} 等）` : ''}`,
        `  用时 ${((Date.now() - started) / 1000).toFixed(1)} 秒（其中读取各街镇数据 ${(d.sqlMs / 1000).toFixed(1)} 秒）`,
      ].join('\n') + '\n',
    );
    return 0;
  },
};
