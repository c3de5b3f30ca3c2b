/**
 * A one-line progress bar on stderr for long runs, redrawn at most every 100 ms. Silent when stderr
 * is not a terminal (CI logs, pipes), so reports and logs stay clean.
 */
export interface Progress {
  update(done: number, notOk: number): void;
  finish(): void;
}

const SILENT: Progress = { update: () => undefined, finish: () => undefined };
const WIDTH = 30;

export function progressBar(label: string, total: number, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY || total < 200) return SILENT;
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
