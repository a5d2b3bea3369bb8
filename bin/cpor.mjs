#!/usr/bin/env node
// `npx cpor`: the command line (src/cli/cpor.ts), run through tsx as `npm start` runs the server.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main();
