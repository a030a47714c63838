/**
 * The order derived figures are computed in (each after the figures it is made of), or the
 * cycle that makes an order impossible (`a.rate` ← `a.sum` ← `a.rate`).
 */
import { partsOf, type DerivedDef } from '../../../reports/report-catalog.ts';

export type DerivedOrder = { readonly order: readonly DerivedDef[]; readonly cycle: null } | { readonly order: null; readonly cycle: readonly string[] };

/**
 * @example
 * derivedOrder([rateOfSum, sum]).order?.map((d) => d.code); // ['x.sum', 'x.rate']
 */
export function derivedOrder(defs: readonly DerivedDef[]): DerivedOrder {
  const byCode = new Map(defs.map((d) => [d.code, d]));
  const order: DerivedDef[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (d: DerivedDef): readonly string[] | null => {
    const s = state.get(d.code);
    if (s === 'done') return null;
    if (s === 'visiting') return [...path.slice(path.indexOf(d.code)), d.code];
    state.set(d.code, 'visiting');
    path.push(d.code);
    for (const part of partsOf(d)) {
      const next = byCode.get(part);
      if (next === undefined) continue;
      const cycle = visit(next);
      if (cycle !== null) return cycle;
    }
    path.pop();
    state.set(d.code, 'done');
    order.push(d);
    return null;
  };
  for (const d of defs) {
    const cycle = visit(d);
    if (cycle !== null) return { order: null, cycle };
  }
  return { order, cycle: null };
}
