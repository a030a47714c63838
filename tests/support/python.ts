/**
 * Debian's python3 (`/usr/bin/python3`, not a pyenv shim) and the independent writers and readers
 * the tests compare tally with: openpyxl and XlsxWriter (python3-openpyxl, python3-xlsxwriter).
 */
import { execFileSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/**
 * Whether {@link PYTHON} imports every one of `modules`. When it does not, `what` is skipped with
 * a warning — and in CI, which installs them (.ci/run), that is an error: a comparison with an
 * independent program must not pass there by being skipped.
 */
export function pythonWith(modules: readonly string[], what: string): boolean {
  try {
    execFileSync(PYTHON, ['-c', `import ${modules.join(', ')}`], { stdio: 'ignore' });
    return true;
  } catch {
    const packages = modules.map((m) => `python3-${m}`).join(' ');
    const message = `${what}: ${PYTHON} cannot import ${modules.join(' and ')} (apt-get install -y ${packages})`;
    if (process.env['CI']) throw new Error(message);
    console.warn(`${message}; skipped`);
    return false;
  }
}
