/**
 * Progress of a long run on stderr. On a terminal: a one-line bar, redrawn at most every 100 ms (runs
 * of 200 cases or more). Elsewhere (CI logs, pipes): a plain line every `intervalMs` (10 s), such as
 * "reference: 412/1200 cases, 3 failing, 00:41", printed by a timer so a case that hangs still shows.
 */
export interface Progress {
  update(done: number, notOk: number): void;
  finish(): void;
}

const WIDTH = 30;
export const PLAIN_PROGRESS_INTERVAL_MS = 10_000;

function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const hours = Math.floor(s / 3600);
  const mmss = `${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  return hours ? `${hours}:${mmss}` : mmss;
}

/** "412/1200 cases, 3 failing, 00:41" */
export function progressLine(label: string, done: number, total: number, notOk: number, elapsedMs: number): string {
  return `${label}: ${done}/${total} cases, ${notOk} failing, ${clock(elapsedMs)}`;
}

function plainLines(label: string, total: number, stream: NodeJS.WritableStream, intervalMs: number): Progress {
  const started = Date.now();
  let state = { done: 0, notOk: 0 };
  const timer = setInterval(() => stream.write(`${progressLine(label, state.done, total, state.notOk, Date.now() - started)}\n`), intervalMs);
  timer.unref();
  return {
    update: (done, notOk) => {
      state = { done, notOk };
    },
    finish: () => clearInterval(timer),
  };
}

function terminalBar(label: string, total: number, stream: NodeJS.WritableStream): Progress {
  let last = 0;
  let drawn = false;
  const draw = (done: number, notOk: number) => {
    const filled = Math.round((done / total) * WIDTH);
    stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}] ${done}/${total}${notOk ? `  ${notOk} not passing` : ''}\u001b[K`);
    drawn = true;
  };
  return {
    update(done, notOk) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, notOk);
    },
    finish() {
      if (drawn) stream.write('\r\u001b[K');
    },
  };
}

const SILENT: Progress = { update: () => undefined, finish: () => undefined };

export function progressBar(label: string, total: number, stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stderr, intervalMs = PLAIN_PROGRESS_INTERVAL_MS): Progress {
  if (!stream.isTTY) return plainLines(label, total, stream, intervalMs);
  return total < 200 ? SILENT : terminalBar(label, total, stream);
}
