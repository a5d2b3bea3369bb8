// `npm run worker`: the scheduler alone, no HTTP (src/run-worker.ts).
import { ConfigError, loadConfig } from './config.js';
import { runWorker } from './run-worker.js';
import { stopOnSignal } from './boot.js';

runWorker(loadConfig()).then(
  (running) => stopOnSignal(running.stop),
  (e: unknown) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(1);
  },
);
