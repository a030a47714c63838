/** The words and places of 安定镇 (大兴区) that the 2020 demo ledgers are written with. */
import { inYearOf, monthEndOf, type Rng } from '../demo-kit.ts';

export const VILLAGES = [
  '后安定村', '前安定村', '西芦各庄村', '东芦各庄村', '佟营村', '东白塔村', '西白塔村', '高店村',
  '马各庄村', '汤营村', '于家务村', '徐柏村', '驴房村', '杜庄村', '通州马坊村', '善台子村',
  '皋营村', '大渠村', '前野厂村', '后野厂村', '站上村', '伙达营村', '兴安营村', '洪士庄村',
] as const;

export const company = (rng: Rng) =>
  `北京${rng.pick(['鑫', '盛', '华', '泰', '恒', '润', '兴', '宏', '德', '永'])}${rng.pick(['源', '达', '通', '旺', '诚', '利', '安', '顺'])}${rng.pick(['商贸', '建材', '物流', '餐饮管理', '再生资源回收', '农业科技', '建筑工程'])}有限公司`;

export const PREAMBLE_DATE = '填报日期：2021年1月8日';

/** Last day of a month of 2020. */
export const monthEnd = (m: number): Date => monthEndOf(2020, m);
export const inYear = (date: Date | null | undefined, year = 2020) => inYearOf(date, year);

