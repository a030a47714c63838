/**
 * One district consolidation: read the towns (consolidate.ts), then write what people read —
 * `district-<year>.xlsx`, `district-<year>.docx` (with the charts), the dashboard
 * `district-<year>.html` (with its stylesheet beside it in `assets/`) — and mail each town
 * coordinator its own line. The I/O roots and the clock come from the caller.
 */
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consolidate, type ConsolidateOptions } from './consolidate.ts';
import type { DistrictData } from './district-data.ts';
import { sendDistrictMails, type DistrictMail } from './district-mails.ts';
import { districtCharts } from '../../reports/district/district-charts.ts';
import { writeDistrictWorkbook } from '../../reports/district/write-district-workbook.ts';
import { writeDistrictDocx } from '../../reports/district/write-district-docx.ts';
import { districtPage } from '../interfaces/portal/pages/district-page.ts';

export interface DistrictRunOptions extends ConsolidateOptions {
  readonly out: string;
  readonly smtpUrl?: string | undefined;
  /** Write the .docx (rasterizing every chart takes a few seconds at city scale). Default true. */
  readonly docx?: boolean;
  /** Mail the towns (needs a district configuration's `mail.from`). Default true. */
  readonly mail?: boolean;
}

export interface DistrictRunResult {
  readonly data: DistrictData;
  readonly workbook: string;
  readonly docx: string | null;
  readonly page: string;
  readonly mails: readonly DistrictMail[];
}

export async function runDistrict(opts: DistrictRunOptions): Promise<DistrictRunResult> {
  const now = opts.now ?? new Date();
  const data = await consolidate({ ...opts, now });
  await mkdir(opts.out, { recursive: true });
  const workbook = join(opts.out, `district-${data.year}.xlsx`);
  await writeDistrictWorkbook(data, workbook);
  const charts = districtCharts(data);
  const docx = opts.docx === false ? null : join(opts.out, `district-${data.year}.docx`);
  if (docx !== null) await writeDistrictDocx(data, charts, docx);
  // The page as the portal would serve it; its stylesheet next to it, so it opens from the disk too.
  const page = join(opts.out, `district-${data.year}.html`);
  await writeFile(page, districtPage(data, charts).replace('href="/assets/portal.css"', 'href="assets/portal.css"').replace('<script src="/assets/portal.js"></script>\n', ''));
  await mkdir(join(opts.out, 'assets'), { recursive: true });
  await copyFile(fileURLToPath(new URL('../interfaces/portal/assets/portal.css', import.meta.url)), join(opts.out, 'assets', 'portal.css'));
  const from = opts.config?.mail.from;
  const mails = opts.mail === false || from === undefined
    ? []
    : await sendDistrictMails(data, { out: opts.out, workbook, from, replyTo: opts.config?.mail.replyTo, smtpUrl: opts.smtpUrl, now });
  return { data, workbook, docx, page, mails };
}
