/**
 * What to type in a ledger column, in plain Chinese, made from its definition: the input hint on
 * a template's header and cells, and the 填写要求 column of its 填表说明 sheet.
 */
import type { FieldDef, FieldType } from '../../sheets/ledger-catalog.ts';

export const TYPE_NAMES: Readonly<Record<FieldType, string>> = {
  date: '日期',
  enum: '选项',
  text: '文字',
  key: '编号（不重复）',
  number: '数字',
  integer: '整数',
  bool: '是/否',
};

/** The short hint shown on the header and when a cell is selected (Excel shows up to 255 characters). */
export function fieldHint(field: FieldDef, year: number): string {
  return `${field.required ? '【必填】' : '【选填】'}${what(field, year)}`;
}

/** The full 填写要求: the hint plus the accepted other names of the column. */
export function describeField(field: FieldDef, year: number): string {
  const aliases = field.aliases.length > 0 ? `（列名也可写作：${field.aliases.join('、')}）` : '';
  return `${what(field, year)}${aliases}`;
}

function what(field: FieldDef, year: number): string {
  switch (field.type) {
    case 'date':
      return `日期，例如 ${year}-03-05。`;
    case 'enum':
      return `从下拉列表中选择：${(field.values ?? []).join('、')}。`;
    case 'bool':
      return '从下拉列表中选择“是”或“否”。';
    case 'integer':
      return `整数${field.min !== undefined ? `，不小于 ${field.min}` : ''}，只填数字，不带单位。`;
    case 'number':
      return `数字${field.min !== undefined ? `，不小于 ${field.min}` : ''}，只填数字，不带单位。`;
    case 'key':
      return '编号，同一台账中不能重复（如案号、文号、姓名）。';
    case 'text':
      return '文字。';
  }
}
