// LISTEN for one channel, with a barrier: `caughtUp()` resolves once every notification
// committed before it was called has been received (issue 14 point 2: a cache every process
// drops at once, with no stale window). On PostgreSQL a connection of its own listens, and the
// barrier is one empty query on it, sent after the call: the server sends the notifications
// of transactions committed before a query ahead of that query's answer. Callers that come
// while one is on the wire share the next one. On the embedded database there is one process
// and one connection: a commit's notifications are delivered before the commit returns, and
// the barrier is immediate. `live` is false while the connection is lost (the caller must not
// trust what it cached meanwhile); it reconnects every second.
import pg from 'pg';
import { notificationSource, type Database } from './database.js';

export interface Channel {
  /** Listening now: notifications will arrive (a cache may be trusted after `caughtUp`). */
  readonly live: boolean;
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

export async function listen(
  db: Database,
  channel: string,
  onNotify: (payload: string) => void,
): Promise<Channel | null> {
  const source = notificationSource(db);
  if (!source) return null;
  if ('pglite' in source) {
    const stop = await source.pglite.listen(channel, onNotify);
    return { live: true, caughtUp: () => Promise.resolve(), close: () => stop() };
  }
  return new ServerChannel(source.url, channel, onNotify).start();
}

class ServerChannel implements Channel {
  live = false;
  private client: pg.Client | null = null;
  private closed = false;
  private onWire: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onNotify: (payload: string) => void,
  ) {}

  async start(): Promise<this> {
    await this.connect();
    return this;
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.url });
    const lost = () => {
      if (this.client !== client) return;
      this.live = false;
      this.client = null;
      this.onNotify(''); // whatever was cached may have missed a notice
      client.end().catch(() => undefined);
      if (!this.closed) this.retry = setTimeout(() => void this.connect().catch(() => undefined), 1000);
    };
    client.on('notification', (m) => this.onNotify(m.payload ?? ''));
    client.on('error', lost);
    client.on('end', lost);
    this.client = client;
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.live = true;
    } catch {
      lost();
    }
  }

  caughtUp(): Promise<void> {
    if (this.next) return this.next;
    const ping = async () => {
      const client = this.client;
      if (!client || !this.live) throw new Error('not listening');
      await client.query('');
    };
    if (!this.onWire) {
      this.onWire = ping().finally(() => (this.onWire = null));
      return this.onWire;
    }
    // One is on the wire already: it may have left before this call; the next one did not.
    this.next = this.onWire
      .catch(() => undefined)
      .then(() => {
        this.next = null;
        this.onWire = ping().finally(() => (this.onWire = null));
        return this.onWire;
      });
    return this.next;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.live = false;
    if (this.retry) clearTimeout(this.retry);
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
