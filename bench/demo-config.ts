/**
 * The bundled configuration (config/demo.json) as the bench's configurations start from it: the
 * catalogs it points at (today a report pack, `"pack": "../packs/…"`; before, `report` and
 * `ledgers`) wherever it says they are, made absolute — every top-level field whose value is a
 * relative path (`./…`, `../…`). A configuration the bench writes elsewhere so follows the
 * catalogs when they move or change shape.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const DEMO_CONFIG = join(import.meta.dirname, '..', 'config', 'demo.json');

function demo(): Record<string, unknown> {
  return JSON.parse(readFileSync(DEMO_CONFIG, 'utf8')) as Record<string, unknown>;
}

/** The fields of config/demo.json that are relative paths, made absolute (e.g. `{ pack: '/…/packs/anding-2020' }`). */
export function catalogPaths(): Record<string, string> {
  const paths: Record<string, string> = {};
  for (const [key, value] of Object.entries(demo())) {
    if (typeof value === 'string' && /^\.\.?\//.test(value)) paths[key] = resolve(dirname(DEMO_CONFIG), value);
  }
  if (Object.keys(paths).length === 0) throw new Error('config/demo.json names no catalog path (no field with a relative path)');
  return paths;
}

/** config/demo.json with its paths absolute and the fields given here replacing its own. */
export function demoBasedConfig(fields: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { $comment: _comment, ...rest } = demo();
  return { ...rest, ...catalogPaths(), ...fields };
}
