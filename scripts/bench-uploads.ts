// Benchmark: PoE uploads over real HTTP on 127.0.0.1 (figures, not assertions): throughput
// of 20 MiB uploads of each checked kind, and the server's memory while they stream. Usage:
//   npx tsx scripts/bench-uploads.ts [--mib 20] [--rounds 3]
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PDFDocument } from 'pdf-lib';
import { client, m365Claim, seedWorld, testApp } from '../test/harness.js';
import { makeOoxml } from '../test/poe-fixtures.js';

const arg = (name: string, def: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : def;
};
const mib = arg('mib', 20);
const rounds = arg('rounds', 3);

async function bigPdf(bytes: number): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.addPage([200, 200]);
  pdf.context.register(pdf.context.flateStream(randomBytes(bytes)));
  return Buffer.from(await pdf.save());
}

function post(port: number, path: string, token: string, name: string, body: Buffer) {
  const boundary = 'benchBoundary';
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
        },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n\r\n`);
    // 1 MiB writes, as a client streaming from disk would.
    for (let i = 0; i < body.length; i += 1024 * 1024) req.write(body.subarray(i, i + 1024 * 1024));
    req.end(`\r\n--${boundary}--\r\n`);
  });
}

async function main() {
  const size = mib * 1024 * 1024;
  const t = await testApp('pglite', {
    env: { CPOR_MAX_UPLOAD_BYTES: String(size + 1024 * 1024), CPOR_MAX_DOCUMENTS_PER_CLAIM: '1000' },
  });
  const w = await seedWorld(t);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.server.address() as AddressInfo;
  const partner = client(t.app, w.tokens.partnerA);
  const id = (await partner.post('/api/v1/claims', m365Claim())).json<{ id: string }>().id;
  const kinds: [string, (round: number) => Promise<Buffer>][] = [
    [
      'text',
      async (round) =>
        Buffer.from(`${round} ${'Signed statement of work. '.repeat(Math.ceil(size / 26))}`.slice(0, size)),
    ],
    ['pdf', () => bigPdf(size - 2048)],
    [
      'docx',
      async () => makeOoxml([{ name: 'word/media/image1.bin', data: randomBytes(size - 4096), store: true }]),
    ],
  ];
  const rssBefore = process.memoryUsage().rss;
  let peakRss = rssBefore;
  const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20);
  console.log(`uploads of ${mib} MiB, ${rounds} rounds each, PGlite + local storage, one process`);
  for (const [kind, make] of kinds) {
    const times: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const body = await make(r);
      const started = process.hrtime.bigint();
      const { status, body: answer } = await post(
        port,
        `/api/v1/claims/${id}/documents`,
        w.tokens.partnerA,
        `f${r}.${kind}`,
        body,
      );
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (status !== 201) throw new Error(`${kind}: ${status} ${answer}`);
      times.push(ms);
    }
    const best = Math.min(...times);
    console.log(
      `${kind.padEnd(5)} best ${best.toFixed(0)} ms = ${((mib / best) * 1000).toFixed(0)} MiB/s, median ${times.sort((a, b) => a - b)[Math.floor(times.length / 2)]?.toFixed(0)} ms`,
    );
  }
  clearInterval(timer);
  console.log(
    `process RSS: ${(rssBefore / 2 ** 20).toFixed(0)} MiB before, peak ${(peakRss / 2 ** 20).toFixed(0)} MiB (client buffers included: each file is made in memory by this script)`,
  );
  await t.close();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
