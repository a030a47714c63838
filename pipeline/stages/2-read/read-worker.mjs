// Entry of a read worker thread: tsx compiles the TypeScript sources here as in the main thread.
import { register } from 'tsx/esm/api';

register();
await import('./read-worker.ts');
