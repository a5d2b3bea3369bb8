// The process around the program: the exit code of `run`, except for `serve` and `worker`,
// which keep running until a signal stops them.
import { run } from './cpor.js';

export async function main() {
  const code = await run(process.argv.slice(2));
  if (code !== 0) process.exit(code);
  const [command] = process.argv.slice(2);
  if (command !== 'serve' && command !== 'worker') process.exit(0);
}
