// Writes the OpenAPI document the server serves at /api/v1/openapi.json (openapi-document.ts).
// Usage: npx tsx scripts/openapi.ts [out.json]   (stdout without a file)
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { servedDocument } from './openapi-document.js';

const json = `${JSON.stringify(await servedDocument(), null, 2)}\n`;
const out = process.argv[2];
if (out) {
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, json);
} else process.stdout.write(json);
