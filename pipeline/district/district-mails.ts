/**
 * Each town's coordinator gets its own line: every figure with the district's total and, where
 * that means something (three towns or more have it, not all equal), its rank among its peers;
 * and the district's questions about it (late or missing, figures it lacks, far from its peers,
 * big moves against last year, an export that does not add up). Written as `.eml` files in
 * `<out>/outbox/`, or sent through `SMTP_URL`, with the district's workbook attached.
 */
import { basename, join } from 'node:path';
import nodemailer from 'nodemailer';
import type { DistrictData, TownLine } from './district-data.ts';
import { openMailChannel } from '../stages/7-notify/open-mail-channel.ts';
import { cellShown, figureLabel, totalShown } from '../../reports/district/district-cells.ts';

export interface DistrictMail {
  readonly town: string;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** The .eml file written, or the SMTP answer. */
  readonly delivered: string;
}

export function townMailText(data: DistrictData, t: TownLine): { subject: string; text: string } {
  const subject = `${data.district}${data.year}年度法治政府建设指标汇总：${t.town}`;
  const lines: string[] = [`${t.coordinator ?? t.town}：`, '', `${data.district}已汇总各街镇${data.year}年度指标。贵单位报送情况：${t.status}${t.reportedAt === null ? '' : `（${t.source === 'xlsx' ? '报告工作簿' : 'tally 导出'}）`}。`, '', '一、贵单位各项指标（全区合计；排名为由多到少）：'];
  for (const f of data.figures) {
    const v = cellShown(t.cells.get(f.code));
    const total = totalShown(data.totals.get(f.code));
    const rank = data.ranks.get(f.code)?.get(t.town);
    lines.push(`  ${figureLabel(f)}：${v}；全区 ${total}${rank === undefined ? '' : `；第 ${rank.rank}/${rank.of} 位`}`);
  }
  const questions: string[] = [];
  if (t.status === '缺报') questions.push(`尚未收到贵单位${data.year}年度的报送，请尽快报送 tally 导出或报告工作簿。`);
  if (t.status === '逾期') questions.push(`贵单位的报送晚于截止日期 ${data.deadline ?? ''}。`);
  const lacking = data.figures.filter((f) => t.source !== null && t.cells.get(f.code)?.state === '缺报').map((f) => f.name);
  if (lacking.length > 0) questions.push(`以下指标缺报（台账未报齐），全区合计未计入贵单位：${lacking.join('、')}。`);
  const unread = data.figures.flatMap((f) => {
    const c = t.cells.get(f.code);
    return c?.state === '无法读取' ? [`${f.name}（“${c.text ?? ''}”）`] : [];
  });
  if (unread.length > 0) questions.push(`以下指标的数值无法读取或不是确切数字，全区合计未计入贵单位，请在报告工作簿的“数值”列填写确切的数字：${unread.join('、')}。`);
  const uncounted = data.figures.filter((f) => t.source !== null && t.cells.get(f.code)?.state === '无法统计').map((f) => f.name);
  if (uncounted.length > 0) questions.push(`以下指标无法统计（台账已报送，但缺少统计所需的列，见贵单位报告的问题清单），全区合计未计入贵单位：${uncounted.join('、')}。`);
  const absent = data.figures.filter((f) => t.source !== null && t.cells.get(f.code)?.state === '无此指标').map((f) => f.name);
  if (absent.length > 0) questions.push(`贵单位的报告中没有以下指标（指标体系不同）：${absent.join('、')}；如有相应数据，请补报。`);
  if (t.errors > 0) questions.push(`贵单位的核查结果仍有 ${t.errors} 个错误未处理，相关指标暂不可信，请督促各部门修正后重新导出。`);
  for (const a of data.anomalies.filter((x) => x.town === t.town && x.flagged)) questions.push(`${a.kind}：${a.note}`);
  lines.push('', '二、需要贵单位核实的问题：', ...(questions.length === 0 ? ['  无。'] : questions.map((q, i) => `  ${i + 1}. ${q}`)));
  lines.push('', `全区汇总见附件 district-${data.year}.xlsx（各街镇指标、报送情况、异常、溯源）。`, '', data.coordinator?.name ?? data.district);
  return { subject, text: lines.join('\n') };
}

export async function sendDistrictMails(
  data: DistrictData,
  opts: { readonly out: string; readonly workbook: string; readonly from: string; readonly replyTo?: string | undefined; readonly smtpUrl?: string | undefined; readonly now: Date },
): Promise<DistrictMail[]> {
  const channel = openMailChannel({ smtpUrl: opts.smtpUrl, outboxDir: join(opts.out, 'outbox'), from: opts.from });
  const sent: DistrictMail[] = [];
  try {
    let id = 0n;
    for (const t of data.towns) {
      if (t.email === null) continue;
      const { subject, text } = townMailText(data, t);
      const composer = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'windows' });
      const info = await composer.sendMail({
        from: opts.from,
        ...(opts.replyTo === undefined ? {} : { replyTo: opts.replyTo }),
        to: t.email,
        subject,
        text,
        date: opts.now,
        attachments: [{ filename: basename(opts.workbook), path: opts.workbook, contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }],
      });
      const raw = Buffer.isBuffer(info.message) ? info.message.toString('utf8') : '';
      const envelope = info.envelope as { to: string[] };
      id += 1n;
      const accepted = await channel.send({ id, recipient: t.town, raw, to: envelope.to });
      sent.push({ town: t.town, to: t.email, subject, text, delivered: accepted.path ?? accepted.response });
    }
  } finally {
    channel.close();
  }
  return sent;
}
