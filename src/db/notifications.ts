// LISTEN for one channel, with a barrier: `caughtUp()` resolves once every notification
// committed before it was called has been received (issue 14 point 2: a cache every process
// drops at once, with no stale window). On PostgreSQL one connection of its own per database
// handle listens on every channel listened through that handle (the credentials, the
// reference data, the test clock), and the barrier is one empty query on it, sent after the
// call: the server sends the notifications of transactions committed before a query ahead of
// that query's answer. Callers that come while one is on the wire share the next one, whatever
// their channel. On the embedded database there is one process
// and one connection: a commit's notifications are delivered before the commit returns, and
// the barrier is immediate. `live` is false while the connection is lost (the caller must not
// trust what it cached meanwhile); it reconnects every second.
import pg from 'pg';
import { notificationSource, type Database } from './database.js';

/** The application_name of the listening connection (pg_stat_activity shows it). */
export const listenerName = 'cpor-listener';

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
  let hub = hubs.get(db);
  if (!hub) {
    const made = new ServerHub(source.url, () => hubs.delete(db));
    hubs.set(db, made);
    hub = made;
  }
  return hub.subscribe(channel, onNotify);
}

/** The one listening connection of a database handle, shared by every channel listened on it. */
const hubs = new WeakMap<Database, ServerHub>();

interface Subscription {
  channel: string;
  onNotify: (payload: string) => void;
}

class ServerHub {
  private live = false;
  private client: pg.Client | null = null;
  private connecting: Promise<void> | null = null;
  private readonly subscriptions = new Set<Subscription>();
  /** The channels LISTENed on the current connection. */
  private readonly listening = new Set<string>();
  private onWire: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;

  constructor(
    private readonly url: string,
    private readonly onClosed: () => void,
  ) {}

  async subscribe(channel: string, onNotify: (payload: string) => void): Promise<Channel> {
    const subscription = { channel, onNotify };
    this.subscriptions.add(subscription);
    if (!this.client && !this.retry)
      await (this.connecting ??= this.connect().finally(() => (this.connecting = null)));
    else await this.connecting;
    await this.listenOn(channel);
    const live = () => this.live && this.listening.has(channel);
    return {
      get live() {
        return live();
      },
      caughtUp: () => this.caughtUp(),
      close: () => this.unsubscribe(subscription),
    };
  }

  private async listenOn(channel: string): Promise<void> {
    const client = this.client;
    if (!client || !this.live || this.listening.has(channel)) return;
    try {
      await client.query(`LISTEN ${channel}`);
      if (this.client === client) this.listening.add(channel);
    } catch {
      // The connection is lost: `lost` reconnects and listens again.
    }
  }

  private async connect(): Promise<void> {
    this.retry = null;
    const client = new pg.Client({ connectionString: this.url, application_name: listenerName });
    const lost = () => {
      if (this.client !== client) return;
      this.live = false;
      this.client = null;
      this.listening.clear();
      // Whatever was cached may have missed a notice.
      for (const s of this.subscriptions) s.onNotify('');
      client.end().catch(() => undefined);
      if (this.subscriptions.size > 0)
        this.retry = setTimeout(() => void this.connect().catch(() => undefined), 1000);
    };
    client.on('notification', (m) => {
      for (const s of this.subscriptions) if (s.channel === m.channel) s.onNotify(m.payload ?? '');
    });
    client.on('error', lost);
    client.on('end', lost);
    this.client = client;
    try {
      await client.connect();
      this.live = true;
      for (const channel of new Set([...this.subscriptions].map((s) => s.channel)))
        await this.listenOn(channel);
    } catch {
      lost();
    }
  }

  private caughtUp(): Promise<void> {
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

  private async unsubscribe(subscription: Subscription): Promise<void> {
    if (!this.subscriptions.delete(subscription) || this.subscriptions.size > 0) return;
    this.onClosed();
    this.live = false;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const client = this.client;
    this.client = null;
    this.listening.clear();
    await client?.end().catch(() => undefined);
  }
}

/**
 * What a cache of a notified table needs (the credentials, the reference data): a generation
 * that every notice on `channel` moves on, and whether what it holds may be trusted now.
 */
export class Notices {
  private generation = 0;
  private channel: Channel | null = null;

  private constructor(private readonly onNotice: () => void) {}

  /** Listens on `channel` of `db`; `onNotice` drops what the cache holds. */
  static async open(db: Database, channel: string, onNotice: () => void): Promise<Notices> {
    const notices = new Notices(onNotice);
    notices.channel = await listen(db, channel, () => {
      notices.generation += 1;
      notices.onNotice();
    });
    return notices;
  }

  /** Listening now: what is held after `trusted()` may be used (without it nothing is kept). */
  get live(): boolean {
    return this.channel?.live ?? false;
  }

  /** The generation now: a value read in it is kept only if it is still the current one. */
  get current(): number {
    return this.generation;
  }

  /** True once every notice committed before this call was heard; false when not listening. */
  async trusted(): Promise<boolean> {
    if (!this.channel?.live) return false;
    try {
      await this.channel.caughtUp();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.channel?.close();
    this.channel = null;
  }
}
