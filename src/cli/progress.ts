// Progress of long work on the command line: a bar (cli-progress) when stderr is a terminal,
// plain lines otherwise (a pipe, a log file, CI), at most one per tenth of the work. Written
// to stderr, so stdout carries only the command's output (e.g. `cpor export claims > x.csv`).
import cliProgress from 'cli-progress';

export interface Progress {
  /** Starts a task of `total` steps (null: not known in advance). */
  start(total: number | null, what: string): void;
  update(done: number): void;
  stop(): void;
}

export function progressOn(stream: NodeJS.WriteStream = process.stderr): Progress {
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  let bar: cliProgress.SingleBar | null = null;
  return {
    start(total, what) {
      bar = new cliProgress.SingleBar(
        {
          stream,
          format:
            total === null
              ? `${what} {value} rows | {duration_formatted}`
              : `${what} [{bar}] {percentage}% | {value}/{total} | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: false,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(total ?? 0, 0);
    },
    update(done) {
      bar?.update(done);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}

export function lineProgress(stream: { write(s: string): unknown }): Progress {
  let total: number | null = null;
  let what = '';
  let nextAt = 0;
  let last = 0;
  let lastAt = 0;
  const step = () => (total === null ? 10_000 : Math.max(1, Math.ceil(total / 10)));
  const line = (done: number) =>
    stream.write(
      total === null
        ? `${what}: ${done}\n`
        : `${what}: ${done}/${total} (${total === 0 ? 100 : Math.floor((done / total) * 100)}%)\n`,
    );
  return {
    start(t, w) {
      total = t;
      what = w;
      nextAt = step();
      last = 0;
      lastAt = -1;
    },
    update(done) {
      last = done;
      if (done >= nextAt) {
        line(done);
        lastAt = done;
        while (nextAt <= done) nextAt += step();
      }
    },
    stop() {
      if (lastAt !== last) line(last);
    },
  };
}
