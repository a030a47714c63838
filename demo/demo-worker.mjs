// Entry of the demo's worker thread when tally runs from its TypeScript sources (tests,
// development): tsx compiles them here. The shipped code in dist/ starts demo-worker.js.
import { register } from 'tsx/esm/api';

register();
await import('./demo-worker.ts');
