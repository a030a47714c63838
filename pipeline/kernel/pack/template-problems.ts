/**
 * What `tally pack check` warns of in a template's words once it knows the configuration: a year
 * written out (`2020年度`) that is not the configured one, and a first line that prints a title
 * other than pack.json's `title` (which wins: {@link withTitle}). Warnings, not errors: a year may
 * name a dated fact (`2020年8月`) or last year on purpose.
 */
import { fillVariables, templateTitle, templateValues, type TemplateValues } from '../../../reports/narrative.ts';
import type { ReportCatalog } from '../../../reports/report-catalog.ts';
import type { PackProblem } from './pack-problem.ts';
import { shown } from './load-pack.ts';

/**
 * A year written out where the report names its own, the year before or the next: `2020年度`,
 * `2020年我镇`, `2020年，我街道`, `2023年，街道将…` (next year's plans).
 */
const OWN_YEAR = /(\d{4})年(?:度|，?(?:我|本)(?:镇|乡|街道|区|县)|，(?:镇|乡|街道)(?!办))/g;

/** The configuration's words a template is rendered with; absent without `--config`. */
export interface TemplateSettings {
  readonly year: number;
  readonly town: string;
  readonly district: string;
}

/**
 * Warnings about the template's words for the configured year, town and district.
 *
 * @example
 * templateProblems(pack.report, { year: 2021, town: '安定镇', district: '大兴区' });
 * // [{ level: '警告', key: '第12行', message: '写的是“2020年度”，而配置的年度是 2021 …' }]
 */
export function templateProblems(report: Pick<ReportCatalog, 'template' | 'templateFile' | 'title'>, settings?: TemplateSettings): PackProblem[] {
  const out: PackProblem[] = [];
  const file = shown(report.templateFile);
  // Without a configuration, sample words: a first line equal to the title in form is equal in any year.
  const values: TemplateValues =
    settings === undefined ? { year: '{year}', previousYear: '{previousYear}', nextYear: '{nextYear}', town: '{town}', district: '{district}' } : templateValues(settings);
  const title = fillVariables(report.title, values);
  const first = templateTitle(report.template, values, title);
  const lines = report.template.replace(/\r\n?/g, '\n').split('\n');
  if (first !== null && first !== title) {
    const at = lines.findIndex((l) => !l.startsWith('#') && l.trim() !== '');
    out.push({
      level: '警告',
      file,
      key: `第${at + 1}行`,
      message: `正文第一行“${first}”是标题，但与 pack.json 的 title（${title}）不同。报告只印一个标题，以 pack.json 的 title 为准，这一行不会印出；请把它改成与 title 相同的写法（可用 {district}{town}{year}），以免两处不一致`,
    });
  }
  if (settings === undefined) return out;
  for (const [i, line] of lines.entries()) {
    if (line.startsWith('#')) continue;
    for (const m of line.matchAll(OWN_YEAR)) {
      const year = Number(m[1]);
      if (year === settings.year) continue;
      const as = (variable: string) => `“${m[0].replace(m[1] ?? '', `{${variable}}`)}”`;
      // A year before is most often last year's template, copied: the report's own. The year
      // after is next year's plans (2023年，街道将… in a 2022 report): {nextYear}.
      const advice =
        year === settings.year + 1
          ? `如指下一年度（下一年度的工作安排），请改写为${as('nextYear')}（{nextYear} 是配置年度的下一年）；如指本报告的年度，请改写为${as('year')}`
          : `如指本报告的年度，请改写为${as('year')}（{year} 按配置填写）`;
      out.push({ level: '警告', file, key: `第${i + 1}行`, message: `写的是“${m[0]}”，而配置的年度是 ${settings.year}：${advice}；如确指那一年，可不改` });
    }
  }
  return out;
}
