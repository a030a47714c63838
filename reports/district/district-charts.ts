/** The district's charts from its consolidated data: one place for the dashboard page and the .docx. */
import type { DistrictData } from '../../pipeline/district/district-data.ts';
import { completenessChart, rankingChart, yoyChart } from '../charts/charts.ts';

export interface NamedChart {
  readonly id: string;
  readonly title: string;
  readonly svg: string;
}

/** `YYYY-MM-DD` in Beijing time. */
const day = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

export function districtCharts(data: DistrictData): NamedChart[] {
  const reported = data.towns.filter((t) => t.reportedAt !== null).map((t) => day(t.reportedAt as Date)).sort();
  const points = [...new Set(reported)].map((date) => ({ date, done: reported.filter((d) => d <= date).length }));
  const charts: NamedChart[] = [
    { id: 'chart-completeness', title: '报送进度', svg: completenessChart(`${data.district}各街镇报送进度`, points, data.towns.length, data.deadline, '个街镇') },
    {
      id: 'chart-yoy',
      title: '全区指标同比',
      svg: yoyChart(`${data.district}指标同比`, data.year, data.figures.map((f) => ({ label: f.name, current: data.totals.get(f.code)?.value ?? null, previous: data.totals.get(f.code)?.previous ?? null }))),
    },
  ];
  const outliers = new Set(data.anomalies.filter((a) => a.kind === '同级偏离').map((a) => `${a.town}\u0000${a.code}`));
  for (const f of data.figures) {
    const bars = data.towns.flatMap((t) => {
      const c = t.cells.get(f.code);
      return c?.state === 'value' && c.value !== null ? [{ label: t.town, value: c.value, highlight: outliers.has(`${t.town}\u0000${f.code}`) }] : [];
    });
    if (bars.length === 0) continue;
    charts.push({ id: `chart-rank-${f.code.replace(/[^a-z0-9]+/g, '-')}`, title: `${f.name}（各街镇排名）`, svg: rankingChart(`${f.name}：各街镇排名`, f.unit, bars) });
  }
  return charts;
}
