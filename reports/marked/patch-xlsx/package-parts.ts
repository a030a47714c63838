/** Relationship parts and [Content_Types].xml, read and amended as text. */
import { fallback } from './fallback.ts';
import { attrs, esc, PKG_REL_NS, rootTag } from './xml.ts';

export interface Relationship {
  readonly id: string;
  readonly type: string;
  readonly target: string;
  readonly external: boolean;
}

export function parseRels(xml: string): Relationship[] {
  if (rootTag(xml, 'Relationships', PKG_REL_NS) === undefined) fallback('unexpected relationships part');
  return [...xml.matchAll(/<Relationship\s[^>]*>/g)].map((m) => {
    const a = attrs(m[0]);
    return { id: a.get('Id') ?? '', type: a.get('Type') ?? '', target: a.get('Target') ?? '', external: a.get('TargetMode') === 'External' };
  });
}

/** An empty relationships part, for a part that had none. */
export const EMPTY_RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="${PKG_REL_NS}"></Relationships>`;

/** The part with a new relationship appended; its id is the next free `rIdN`. */
export function addRel(xml: string, type: string, target: string): { xml: string; id: string } {
  const taken = new Set(parseRels(xml).map((r) => r.id));
  let n = taken.size + 1;
  while (taken.has(`rId${n}`)) n++;
  const id = `rId${n}`;
  const rel = `<Relationship Id="${id}" Type="${esc(type)}" Target="${esc(target)}"/>`;
  return { xml: appendChild(xml, 'Relationships', rel), id };
}

export function removeRels(xml: string, type: string): string {
  return xml.replace(/<Relationship\s[^>]*>/g, (tag) => (attrs(tag).get('Type') === type ? '' : tag));
}

/** Appends `child` as the last child of the root element `local` (`<local/>` opened up). */
export function appendChild(xml: string, local: string, child: string): string {
  const close = xml.lastIndexOf(`</${local}>`);
  if (close >= 0) return xml.slice(0, close) + child + xml.slice(close);
  const empty = new RegExp(`<${local}(\\s[^>]*)?/>`).exec(xml);
  if (empty === null) fallback(`no ${local} element`);
  return `${xml.slice(0, empty.index)}<${local}${empty[1] ?? ''}>${child}</${local}>${xml.slice(empty.index + empty[0].length)}`;
}

/** A relationship's target as a part name (no leading slash), from the part `source` that holds it. */
export function resolveTarget(source: string, target: string): string {
  const base = target.startsWith('/') ? [] : source.split('/').slice(0, -1);
  for (const seg of target.replace(/^\//, '').split('/')) {
    if (seg === '..') base.pop();
    else if (seg !== '.' && seg !== '') base.push(decodeURIComponent(seg));
  }
  return base.join('/');
}

/** Where a part's relationships are: `xl/worksheets/sheet1.xml` → `xl/worksheets/_rels/sheet1.xml.rels`. */
export function relsPathOf(part: string): string {
  const slash = part.lastIndexOf('/');
  return `${part.slice(0, slash + 1)}_rels/${part.slice(slash + 1)}.rels`;
}

/** A target relative to `from`'s folder (`xl/worksheets/sheet1.xml`, `xl/comments1.xml` → `../comments1.xml`). */
export function relativeTarget(from: string, to: string): string {
  const a = from.split('/').slice(0, -1);
  const b = to.split('/');
  let i = 0;
  while (i < a.length && i < b.length - 1 && a[i] === b[i]) i++;
  return [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
}

const CT_NS = 'http://schemas.openxmlformats.org/package/2006/content-types';

export class ContentTypes {
  #xml: string;
  constructor(xml: string) {
    if (rootTag(xml, 'Types', CT_NS) === undefined) fallback('unexpected [Content_Types].xml');
    this.#xml = xml;
  }

  /** The content type of a part (`xl/workbook.xml`), by override then by extension. */
  typeOf(part: string): string | undefined {
    const name = `/${part}`.toLowerCase();
    for (const m of this.#xml.matchAll(/<Override\s[^>]*>/g)) {
      const a = attrs(m[0]);
      if ((a.get('PartName') ?? '').toLowerCase() === name) return a.get('ContentType');
    }
    const ext = name.slice(name.lastIndexOf('.') + 1);
    for (const m of this.#xml.matchAll(/<Default\s[^>]*>/g)) {
      const a = attrs(m[0]);
      if ((a.get('Extension') ?? '').toLowerCase() === ext) return a.get('ContentType');
    }
    return undefined;
  }

  override(part: string, type: string): void {
    this.#xml = appendChild(this.#xml, 'Types', `<Override PartName="/${esc(part)}" ContentType="${esc(type)}"/>`);
  }

  /** The extension's default, added unless there is one (an existing different one is kept: then an override). */
  ensureType(part: string, type: string): void {
    if (this.typeOf(part) === type) return;
    const ext = part.slice(part.lastIndexOf('.') + 1).toLowerCase();
    const hasDefault = [...this.#xml.matchAll(/<Default\s[^>]*>/g)].some((m) => (attrs(m[0]).get('Extension') ?? '').toLowerCase() === ext);
    if (hasDefault) this.override(part, type);
    else this.#xml = appendChild(this.#xml, 'Types', `<Default Extension="${esc(ext)}" ContentType="${esc(type)}"/>`);
  }

  removeOverride(part: string): void {
    const name = `/${part}`.toLowerCase();
    this.#xml = this.#xml.replace(/<Override\s[^>]*>/g, (tag) => ((attrs(tag).get('PartName') ?? '').toLowerCase() === name ? '' : tag));
  }

  get xml(): string {
    return this.#xml;
  }
}
