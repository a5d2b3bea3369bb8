// A webhook receiver on 127.0.0.1 for the tests: records every request (path, headers, raw
// body) and answers as the test says: a status per request, a redirect, never, or an
// endless body.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The parsed body. */
  event: {
    id: string;
    type: string;
    occurredAt: string;
    data: Record<string, unknown> & { claimId: string };
  };
  status: number;
}

export type Answer = number | 'redirect' | 'hang' | 'endless';

export interface Receiver {
  url: (path: string) => string;
  received: Received[];
  /** How to answer a request; default 204. */
  answer: (r: Omit<Received, 'status'>) => Answer;
  /** Milliseconds to wait before answering (requests overlap). */
  delayMs: number;
  close(): Promise<void>;
}

function endless(res: ServerResponse) {
  res.writeHead(200, { 'Content-Type': 'text/plain' });
  const chunk = Buffer.alloc(16 * 1024, 'x');
  const write = () => {
    while (!res.destroyed && res.write(chunk));
    if (!res.destroyed) res.once('drain', write);
  };
  write();
}

export async function startReceiver(): Promise<Receiver> {
  const hanging: ServerResponse[] = [];
  const receiver: Receiver = {
    url: () => '',
    received: [],
    answer: () => 204,
    delayMs: 0,
    close: () => Promise.resolve(),
  };
  const server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      const body = Buffer.concat(parts).toString('utf8');
      const r = {
        path: req.url ?? '',
        headers: req.headers,
        body,
        event: JSON.parse(body) as Received['event'],
      };
      const a = receiver.answer(r);
      receiver.received.push({ ...r, status: typeof a === 'number' ? a : a === 'redirect' ? 302 : 0 });
      const respond = () => {
        if (a === 'hang') hanging.push(res);
        else if (a === 'endless') endless(res);
        else if (a === 'redirect') res.writeHead(302, { Location: `${receiver.url('/redirected')}` }).end();
        else res.writeHead(a).end();
      };
      if (receiver.delayMs > 0) setTimeout(respond, receiver.delayMs);
      else respond();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = (path) => `http://127.0.0.1:${port}${path}`;
  receiver.close = async () => {
    for (const res of hanging) res.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return receiver;
}
