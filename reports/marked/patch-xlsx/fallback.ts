/**
 * Thrown when the package patcher meets something it cannot mark safely (strict OOXML, a
 * prefixed namespace, an encrypted or zip64 package, an unexpected structure): the copy is then
 * made the old way, by an exceljs round trip, never left unmarked.
 */
export class PatchFallback extends Error {
  constructor(reason: string) {
    super(`cannot patch the package: ${reason}`);
    this.name = 'PatchFallback';
  }
}

export function fallback(reason: string): never {
  throw new PatchFallback(reason);
}
