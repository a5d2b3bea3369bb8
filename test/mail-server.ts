// A real SMTP server on 127.0.0.1 for tests: collects every message and reads it with
// mailparser. `reject` makes the next deliveries fail (to test retries).
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  to: string[];
  raw: Buffer;
  parsed: ParsedMail;
}

export interface MailServer {
  url: string;
  mails: ReceivedMail[];
  /** Refuse this many more deliveries with a 451 after reading them. */
  reject(n: number): void;
  /** Every Message-ID seen, refused deliveries included. */
  attempts: string[];
  close(): Promise<void>;
}

export async function startMailServer(): Promise<MailServer> {
  const mails: ReceivedMail[] = [];
  const attempts: string[] = [];
  let refuse = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks);
        simpleParser(raw)
          .then((parsed) => {
            attempts.push(parsed.messageId ?? '');
            if (refuse > 0) {
              refuse -= 1;
              const err = Object.assign(new Error('try again later'), { responseCode: 451 });
              callback(err);
              return;
            }
            mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, parsed });
            callback();
          })
          .catch((e: Error) => callback(e));
      });
    },
  });
  // A sender killed mid-session (the crash tests) resets its connection: that is the test's
  // point, not a failure of the run.
  server.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'ECONNRESET' && e.code !== 'EPIPE') throw e;
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    attempts,
    reject: (n) => {
      refuse = n;
    },
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}

/** The first http(s) link in a mail's text that starts with `prefix`. */
export function linkIn(mail: ReceivedMail, prefix: string): string | null {
  const text = mail.parsed.text ?? '';
  const i = text.indexOf(prefix);
  if (i < 0) return null;
  return /^\S+/.exec(text.slice(i))?.[0] ?? null;
}
