// Where a webhook may point, and the one POST to it (issue 12 point 1). A hook's URL is
// chosen by whoever holds a partner's token, and the server calls it: nothing may reach the
// server's own network through it. So: https (plain http only to loopback outside
// production), credentials refused in the URL, and every address the name resolves to must
// be public unicast (ipaddr.js ranges: no private, loopback, link-local, carrier-grade NAT,
// unique-local, mapped or translated loopback, nor a metadata address, which are all
// link-local or private). The check runs when the hook is saved and again at each delivery,
// and the connection goes to the very address that was checked (no second DNS answer can
// slip in). No redirect is followed; short timeouts; at most a few KiB of the answer is read.
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';

/** A receiver the rules refuse; the message says why, for the field error and the log. */
export class ReceiverRefused extends Error {}

export interface ReceiverPolicy {
  /** Unless NODE_ENV is test or development: only https to public addresses. */
  production: boolean;
}

/** How much of a receiver's answer is read: the rest is never read. */
export const maxAnswerBytes = 4096;

/** The URL's own rules (before DNS): scheme, no credentials, a host. */
export function parseReceiverUrl(raw: string, policy: ReceiverPolicy): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ReceiverRefused('is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ReceiverRefused('must be an https URL');
  if (url.protocol === 'http:' && policy.production)
    throw new ReceiverRefused('must be an https URL (plain http only to loopback, outside production)');
  if (url.username || url.password) throw new ReceiverRefused('must not hold a user name or password');
  if (url.hash) throw new ReceiverRefused('must not hold a fragment');
  return url;
}

/** Why an address is refused, or null when a receiver may be there. */
export function refusedAddress(address: string, policy: ReceiverPolicy, protocol: string): string | null {
  if (!ipaddr.isValid(address)) return `${address} is not an address`;
  let ip = ipaddr.parse(address);
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress())
    ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (range === 'unicast') return protocol === 'https:' ? null : `${address}: plain http only to loopback`;
  if (range === 'loopback' && !policy.production) return null;
  return `${address} is a ${range} address`;
}

const hostOf = (url: URL) => url.hostname.replace(/^\[|\]$/g, '');

/** Every address the URL's host resolves to, each allowed, or ReceiverRefused. */
export async function resolveReceiver(
  url: URL,
  policy: ReceiverPolicy,
): Promise<{ address: string; family: number }[]> {
  const host = hostOf(url);
  let addresses: { address: string; family: number }[];
  if (ipaddr.isValid(host)) addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }];
  else {
    try {
      addresses = await lookup(host, { all: true, verbatim: true });
    } catch (e) {
      throw new ReceiverRefused(`${host} does not resolve (${(e as { code?: string }).code ?? String(e)})`);
    }
  }
  if (addresses.length === 0) throw new ReceiverRefused(`${host} does not resolve`);
  // Every answer must be allowed: the connection may go to any of them.
  for (const a of addresses) {
    const why = refusedAddress(a.address, policy, url.protocol);
    if (why) throw new ReceiverRefused(`${host} resolves to a refused address: ${why}`);
  }
  return addresses;
}

export interface PostResult {
  status: number;
}

/**
 * POSTs `body` to the receiver at the checked `address`, with `headers`; resolves with the
 * answer's status once at most `maxAnswerBytes` of it were read, or rejects (timeout,
 * connection refused). Redirects are answers like any other: never followed.
 */
export function postToReceiver(
  url: URL,
  address: { address: string; family: number },
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
): Promise<PostResult> {
  // The connection goes to the address checked above, whatever DNS says now.
  const pinned: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [address]);
    else callback(null, address.address, address.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      f();
    };
    const req = client.request(
      url,
      {
        method: 'POST',
        agent: false,
        lookup: pinned,
        headers: {
          ...headers,
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(body)),
          'User-Agent': 'cpor-webhooks/1',
        },
        timeout: timeoutMs,
      },
      (res) => {
        let read = 0;
        const done = () => {
          finish(() => resolve({ status: res.statusCode ?? 0 }));
          res.destroy();
        };
        res.on('data', (chunk: Buffer) => {
          read += chunk.length;
          if (read >= maxAnswerBytes) done();
        });
        res.on('end', done);
        res.on('error', done);
      },
    );
    // The whole exchange, not only an idle socket, ends at the timeout.
    const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (e) => finish(() => reject(e)));
    req.end(body);
  });
}
