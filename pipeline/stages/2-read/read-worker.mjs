// Entry of a read worker thread when tally runs from its TypeScript sources (tests,
// development): tsx compiles them here as in the main thread. The shipped code in dist/ starts
// read-worker.js, compiled from read-worker.ts, instead (read-pool.ts picks).
import { register } from 'tsx/esm/api';

register();
await import('./read-worker.ts');
