/**
 * The columns every indicator's trace query returns (more are allowed and ignored): read by the
 * roll-up (pipeline/stages/5-rollup/trace-rows.ts), required by `tally pack check`.
 */
export const TRACE_COLUMNS = [
  'ledger',
  'department',
  'file',
  'file_version_id',
  'file_version',
  'sheet',
  'row_no',
  'counted',
  'amount',
  'reason',
  'cells',
] as const;
