/**
 * exceljs's Workbook class alone. `import ExcelJS from 'exceljs'` also loads its streaming
 * reader and writer (unzipper, archiver and their dependencies), which tally never uses: about
 * half of exceljs's load time (~0.2 of ~0.43 s here), paid in each thread that writes a workbook
 * (the demo's worker, a marked copy's worker, the report). It is the same class: a workbook made
 * from it is one of exceljs's.
 */
import { createRequire } from 'node:module';
import type ExcelJS from 'exceljs';

const require = createRequire(import.meta.url);

// A CommonJS module of exceljs without typings of its own: its export is the class the package's types describe.
export const Workbook = require('exceljs/lib/doc/workbook.js') as typeof ExcelJS.Workbook;
