// Entry of a mark-up worker thread when tally runs from its TypeScript sources (tests,
// development): tsx compiles them here. The shipped code in dist/ starts mark-up-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./mark-up-worker.ts');
