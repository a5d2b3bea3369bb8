// A small HTTP server of its own for the operator (api.md "Health"): GET /healthz and
// GET /metrics on a port apart from the API, e.g. one only Prometheus reaches
// (CPOR_METRICS_PORT for the server, CPOR_WORKER_PORT for the worker). Nothing else answers.
import { createServer, type Server } from 'node:http';
import { once } from 'node:events';

export interface OpsPages {
  metrics: () => Promise<{ type: string; body: string }>;
  /** Unset: no /healthz on this port. */
  healthz?: () => { status: string };
}

export async function serveOps(host: string, port: number, pages: OpsPages): Promise<Server> {
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      pages.metrics().then(
        (m) => res.writeHead(200, { 'content-type': m.type }).end(m.body),
        () => res.writeHead(500).end(),
      );
      return;
    }
    if (req.method === 'GET' && path === '/healthz' && pages.healthz) {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(pages.healthz()));
      return;
    }
    res.writeHead(404).end();
  });
  server.listen(port, host);
  await once(server, 'listening');
  return server;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
