/**
 * LibreOffice headless as a test writer of real `.xls` files (Debian: `libreoffice-calc-nogui`).
 * Tests that need it skip, saying why, where it is not installed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The `soffice` binary, or undefined when LibreOffice is not installed. */
export const SOFFICE: string | undefined = ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice'].find(
  (p) => spawnSync(p, ['--version'], { stdio: 'ignore', timeout: 60_000 }).status === 0,
);

export const NO_SOFFICE_REASON = 'LibreOffice not installed (apt-get install -y libreoffice-calc-nogui)';

/**
 * Converts `files` (any format LibreOffice opens) to BIFF8 `.xls` in `outDir`, one process
 * for all, each named as its source with `.xls`. A profile of its own, so that tests running
 * at the same time do not share LibreOffice's user profile (which it locks).
 */
export function convertToXls(files: readonly string[], outDir: string): void {
  convert(files, outDir, 'xls:MS Excel 97');
}

/** As {@link convertToXls}, to OpenDocument `.ods` (what LibreOffice and WPS save by default on Kylin and UOS). */
export function convertToOds(files: readonly string[], outDir: string): void {
  convert(files, outDir, 'ods');
}

function convert(files: readonly string[], outDir: string, filter: string): void {
  if (SOFFICE === undefined) throw new Error(NO_SOFFICE_REASON);
  const profile = mkdtempSync(join(tmpdir(), 'tally-lo-'));
  try {
    const result = spawnSync(
      SOFFICE,
      [`-env:UserInstallation=${pathToFileURL(profile).href}`, '--headless', '--norestore', '--convert-to', filter, '--outdir', outDir, ...files],
      { encoding: 'utf8', timeout: 180_000 },
    );
    if (result.status !== 0) throw new Error(`soffice failed (${result.status ?? result.signal}): ${result.stderr}`);
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
