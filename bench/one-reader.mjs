// Preloaded (`node --import`) into `tally run` by bench/run.ts for its one-worker district run:
// the command line has no option for the number of read workers, and the pool sizes itself from
// os.availableParallelism(). This makes that answer 1 in this process only (DuckDB's own threads
// do not ask Node, so only the read workers change).
import os from 'node:os';
import { syncBuiltinESMExports } from 'node:module';

os.availableParallelism = () => 1;
syncBuiltinESMExports();
