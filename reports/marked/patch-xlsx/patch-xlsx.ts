/**
 * A marked copy of an .xlsx made by patching its package: every part is copied byte for byte
 * (compressed as it was) except the few that marking changes — the marked sheets (rewritten row
 * by row), styles.xml (the mark fills and cloned cell formats), the sheets' notes (comments and
 * their VML drawing, new or merged), and for 问题说明 a new first sheet (workbook.xml, its
 * relationships). Charts, images, pivot tables, conditional formats and anything else exceljs
 * does not model stay as they were.
 *
 * Anything it cannot handle safely throws {@link PatchFallback}: the caller then makes the copy
 * with exceljs. Marks follow exactly what the exceljs path marks (plan.ts).
 */
import { open } from 'node:fs/promises';
import type { Finding, Level } from '../../../pipeline/kernel/findings/findings.ts';
import type { MarkUpInput, MarkUpResult } from '../mark-up-workbook.ts';
import { fullNote, worst } from '../marks.ts';
import { commentsXml, commentRefs, extendVml, idBlocks, newVml, readComments, type Note } from './comments.ts';
import { fallback } from './fallback.ts';
import { notesSheetXml } from './notes-sheet.ts';
import { addRel, ContentTypes, EMPTY_RELS, parseRels, relativeTarget, relsPathOf, removeRels, resolveTarget } from './package-parts.ts';
import { addMarks, cellsOf, findingRow, MergeIndex, namesCells, type Mark } from './plan.ts';
import { rewriteSheet } from './sheet-rewrite.ts';
import { scanSheet, type SheetScan } from './sheet-xml.ts';
import { MINIMAL_STYLES, StylesPatch } from './styles.ts';
import { addFirstSheet, notesSheetName, readWorkbook } from './workbook-part.ts';
import { clean, letters, REL_TYPE } from './xml.ts';
import { entryOf, partPieces, partText, readPackage, type Package } from './zip-package.ts';
import { deflatePart, newPart, ZipOut, type NewPart } from './zip-writer.ts';

const CT = {
  workbook: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml',
  worksheet: 'application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml',
  styles: 'application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml',
  comments: 'application/vnd.openxmlformats-officedocument.spreadsheetml.comments+xml',
  vml: 'application/vnd.openxmlformats-officedocument.vmlDrawing',
  rels: 'application/vnd.openxmlformats-package.relationships+xml',
};

interface Sheet {
  readonly name: string;
  readonly part: string;
  findings: Finding[];
  rows: Set<number>;
  scan?: SheetScan;
  merges?: MergeIndex;
  readonly marks: Map<string, Mark>;
}

/** Marks `input.source` (an .xlsx, whose bytes are `bytes`) into `input.target`. */
export async function patchXlsx(input: MarkUpInput, bytes: Buffer): Promise<MarkUpResult> {
  const pkg = await readPackage(bytes, input.source);
  const parts = new Parts(pkg);
  const types = new ContentTypes(parts.text('[Content_Types].xml') ?? fallback('no [Content_Types].xml'));
  const office = parseRels(parts.text('_rels/.rels') ?? fallback('no package relationships')).find((r) => r.type === REL_TYPE.officeDocument && !r.external);
  if (office === undefined) fallback('no office document');
  const wbPath = resolveTarget('', office.target);
  if (types.typeOf(wbPath) !== CT.workbook) fallback(`workbook of type ${types.typeOf(wbPath)} (macro-enabled or template)`);
  const book = readWorkbook(parts.text(wbPath) ?? fallback('no workbook part'));
  const wbRelsPath = relsPathOf(wbPath);
  let wbRels = parts.text(wbRelsPath) ?? fallback('no workbook relationships');
  const rels = parseRels(wbRels);

  const sheets = new Map<string, Sheet>();
  for (const s of book.sheets) {
    const rel = rels.find((r) => r.id === s.rid);
    if (rel === undefined) fallback(`sheet ${s.name} without its relationship`);
    if (rel.type !== REL_TYPE.worksheet || rel.external) continue;
    const part = resolveTarget(wbPath, rel.target);
    if (entryOf(pkg, part) === undefined) fallback(`no part ${part}`);
    sheets.set(s.name, { name: s.name, part, findings: [], rows: new Set(), marks: new Map() });
  }
  const stylesRel = rels.find((r) => r.type === REL_TYPE.styles && !r.external);
  const stylesPath = stylesRel === undefined ? undefined : resolveTarget(wbPath, stylesRel.target);
  const styles = new StylesPatch(stylesPath === undefined ? MINIMAL_STYLES : (parts.text(stylesPath) ?? fallback('styles part missing')));

  // The first pass over each sheet a finding points into: merges, column styles, used cells of named rows.
  for (const f of input.findings) {
    const sheet = f.sheet === null ? undefined : sheets.get(f.sheet);
    if (sheet === undefined || !namesCells(f.cell)) continue;
    sheet.findings.push(f);
    const row = findingRow(f.cell);
    if (row !== undefined) sheet.rows.add(row);
  }
  for (const sheet of sheets.values()) {
    if (sheet.findings.length === 0) continue;
    sheet.scan = await scanSheet(parts.pieces(sheet.part)(), sheet.rows);
    sheet.merges = new MergeIndex(sheet.scan.merges);
  }
  const unplaced: Finding[] = [];
  for (const f of input.findings) {
    const sheet = f.sheet === null ? undefined : sheets.get(f.sheet);
    const cells = sheet?.scan === undefined || sheet.merges === undefined ? [] : cellsOf(f.cell, sheet.scan, sheet.merges);
    if (sheet?.merges === undefined || cells.length === 0) unplaced.push(f);
    else addMarks(sheet.marks, f, cells, sheet.merges);
  }

  let vmlBlock = 0;
  const nextVmlBlock = () => {
    if (vmlBlock === 0) for (const e of pkg.entries) if (/\.vml$/i.test(e.name)) vmlBlock = Math.max(vmlBlock, ...idBlocks(partText(pkg, e)));
    return ++vmlBlock;
  };
  let cells = 0;
  for (const sheet of sheets.values()) {
    if (sheet.marks.size === 0 || sheet.scan === undefined) continue;
    cells += sheet.marks.size;
    const legacyDrawing = await writeNotes(sheet, sheet.scan, parts, types, nextVmlBlock);
    const byRow = new Map<number, Map<number, Level>>();
    for (const m of sheet.marks.values()) byRow.set(m.row, (byRow.get(m.row) ?? new Map<number, Level>()).set(m.col, worst(m.findings)));
    const rewritten = rewriteSheet(parts.pieces(sheet.part)(), { marks: byRow, cols: sheet.scan.cols, styleOf: (s, level) => styles.markXf(s, level), legacyDrawing });
    parts.replace(sheet.part, await deflatePart(sheet.part, rewritten));
  }

  const omitted = input.omitted ?? 0;
  if (unplaced.length > 0 || omitted > 0) {
    const part = parts.free((n) => `xl/worksheets/sheet${n}.xml`);
    parts.add(await newPart(part, notesSheetXml(unplaced, omitted, input.findings.length, styles)));
    const added = addRel(wbRels, REL_TYPE.worksheet, relativeTarget(wbPath, part));
    wbRels = added.xml;
    types.override(part, CT.worksheet);
    parts.replace(wbPath, await newPart(wbPath, addFirstSheet(book, notesSheetName(book), added.id)));
    // The calculation chain is optional and rebuilt by Excel: dropped rather than trusted across a new sheet.
    for (const chain of rels.filter((r) => r.type === REL_TYPE.calcChain && !r.external)) {
      const path = resolveTarget(wbPath, chain.target);
      parts.remove(path);
      types.removeOverride(path);
      wbRels = removeRels(wbRels, REL_TYPE.calcChain);
    }
  }
  if (styles.changed) {
    if (stylesPath !== undefined) parts.replace(stylesPath, await newPart(stylesPath, styles.toXml()));
    else {
      const path = 'xl/styles.xml';
      if (entryOf(pkg, path) !== undefined) fallback('a styles.xml the workbook does not use');
      parts.add(await newPart(path, styles.toXml()));
      wbRels = addRel(wbRels, REL_TYPE.styles, relativeTarget(wbPath, path)).xml;
      types.override(path, CT.styles);
    }
  }
  if (wbRels !== parts.text(wbRelsPath)) parts.replace(wbRelsPath, await newPart(wbRelsPath, wbRels));
  parts.replace('[Content_Types].xml', await newPart('[Content_Types].xml', types.xml));
  await parts.write(input.target);
  return { cells, listed: unplaced.length };
}

/**
 * The notes of a sheet's marked cells, into its comments part and VML drawing (its own,
 * amended, or new ones). Returns the relationship id of a new `<legacyDrawing>` for the sheet.
 */
async function writeNotes(sheet: Sheet, scan: SheetScan, parts: Parts, types: ContentTypes, vmlBlock: () => number): Promise<string | undefined> {
  const noted = [...sheet.marks.values()].filter((m) => m.notes.length > 0);
  if (noted.length === 0) return undefined;
  const relsPath = relsPathOf(sheet.part);
  const relsXml = parts.text(relsPath);
  const rels = relsXml === undefined ? [] : parseRels(relsXml);
  const commentsRel = rels.find((r) => r.type === REL_TYPE.comments && !r.external);
  const vmlRel = scan.legacyDrawing === undefined ? undefined : rels.find((r) => r.id === scan.legacyDrawing);
  const notes = (before: ReadonlyMap<string, string>): Note[] =>
    noted.map((m) => ({ row: m.row, col: m.col, text: clean(fullNote(m.notes, before.get(`${letters(m.col)}${m.row}`) || null)) }));

  if (commentsRel !== undefined && vmlRel !== undefined && vmlRel.type === REL_TYPE.vmlDrawing && !vmlRel.external) {
    const commentsPath = resolveTarget(sheet.part, commentsRel.target);
    const vmlPath = resolveTarget(sheet.part, vmlRel.target);
    const old = parts.text(commentsPath) ?? fallback('comments part missing');
    const vml = parts.text(vmlPath) ?? fallback('VML drawing missing');
    const written = notes(readComments(old));
    const drawn = commentRefs(old);
    parts.replace(commentsPath, await newPart(commentsPath, commentsXml(old, written)));
    parts.replace(vmlPath, await newPart(vmlPath, extendVml(vml, written.filter((n) => !drawn.has(`${letters(n.col)}${n.row}`)))));
    return undefined;
  }
  if (commentsRel !== undefined || scan.legacyDrawing !== undefined) fallback('a sheet whose notes or VML drawing the patcher does not merge');
  const written = notes(new Map());
  const commentsPath = parts.free((n) => `xl/comments${n}.xml`);
  const vmlPath = parts.free((n) => `xl/drawings/vmlDrawing${n}.vml`);
  parts.add(await newPart(commentsPath, commentsXml(undefined, written)));
  parts.add(await newPart(vmlPath, newVml(written, vmlBlock())));
  types.override(commentsPath, CT.comments);
  types.ensureType(vmlPath, CT.vml);
  types.ensureType(relsPath, CT.rels);
  const withComments = addRel(relsXml ?? EMPTY_RELS, REL_TYPE.comments, relativeTarget(sheet.part, commentsPath));
  const withVml = addRel(withComments.xml, REL_TYPE.vmlDrawing, relativeTarget(sheet.part, vmlPath));
  const rewritten = await newPart(relsPath, withVml.xml);
  if (relsXml === undefined) parts.add(rewritten);
  else parts.replace(relsPath, rewritten);
  return withVml.id;
}

/** The parts of the copy: the original's, some replaced or removed, some added. */
class Parts {
  readonly #replaced = new Map<string, NewPart>();
  readonly #removed = new Set<string>();
  readonly #added: NewPart[] = [];
  readonly #pieces = new Map<string, () => AsyncIterable<string>>();
  constructor(readonly pkg: Package) {}

  /** An original part's text, or undefined when the package has no such part. */
  text(name: string): string | undefined {
    const entry = entryOf(this.pkg, name);
    return entry === undefined ? undefined : partText(this.pkg, entry);
  }

  pieces(name: string): () => AsyncIterable<string> {
    const entry = entryOf(this.pkg, name) ?? fallback(`no part ${name}`);
    const known = this.#pieces.get(name) ?? partPieces(this.pkg, entry);
    this.#pieces.set(name, known);
    return known;
  }

  replace(name: string, part: NewPart): void {
    this.#replaced.set(name.toLowerCase(), part);
  }

  remove(name: string): void {
    this.#removed.add(name.toLowerCase());
  }

  add(part: NewPart): void {
    this.#added.push(part);
  }

  /** The first name `pattern(n)` free in the package and among the added parts. */
  free(pattern: (n: number) => string): string {
    for (let n = 1; ; n++) {
      const name = pattern(n);
      if (entryOf(this.pkg, name) === undefined && !this.#added.some((p) => p.name.toLowerCase() === name.toLowerCase())) return name;
    }
  }

  async write(target: string): Promise<void> {
    const file = await open(target, 'w');
    try {
      const out = new ZipOut(file);
      for (const entry of this.pkg.entries) {
        const key = entry.name.toLowerCase();
        if (this.#removed.has(key)) continue;
        const part = this.#replaced.get(key);
        if (part === undefined) await out.copy(this.pkg, entry);
        else await out.add({ ...part, name: entry.name }, entry);
      }
      for (const part of this.#added) await out.add(part);
      await out.finish();
    } finally {
      await file.close();
    }
  }
}
