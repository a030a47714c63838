/** The words and places of 良渚街道 (余杭区) that the 2023 demo ledgers are written with. */
import type { Rng } from '../demo-kit.ts';

export const COMMUNITIES = [
  '良渚社区', '新港村', '港南村', '石桥村', '大陆村', '安溪村', '荀山社区', '玉架山社区',
  '勾庄社区', '好运社区', '七贤桥村', '东莲村', '博园社区', '沈家村', '杜城村', '瓶窑社区',
] as const;

export const SECTIONS = ['党政办', '平安办', '城建办', '社区办', '经济发展办', '综合执法队'] as const;

export const company = (rng: Rng) =>
  `杭州${rng.pick(['良', '瑞', '鼎', '恒', '盛', '博', '安', '晟'])}${rng.pick(['信', '远', '达', '和', '泽', '通'])}${rng.pick(['物业管理', '建设工程', '园林绿化', '商贸', '信息技术', '环境科技'])}有限公司`;
