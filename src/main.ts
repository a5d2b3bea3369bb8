// `npm start`: the API, the web UI and the scheduler in one process (src/serve.ts).
import { ConfigError, loadConfig } from './config.js';
import { stopOnSignal } from './boot.js';
import { serve } from './serve.js';

serve(loadConfig()).then(
  (running) => stopOnSignal(running.stop),
  (e: unknown) => {
    console.error(e instanceof ConfigError ? e.message : e);
    process.exit(1);
  },
);
