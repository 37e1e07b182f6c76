// Writing a file the user will read: write-then-rename in the same directory, so the file is the old
// one or the complete new one, never a part, even if the process dies or is interrupted midway.
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';

/** The temporary name carries the host and pid, so writers sharing a directory never collide. */
export function writeAtomically(file: string, text: string): void {
  writeAtomicallyWith(file, (write) => write(text));
}

/** The same, for output made in pieces (a table too large for one string): `fill` hands each to `write`. */
export function writeAtomicallyWith(file: string, fill: (write: (chunk: string) => void) => void): void {
  const tmp = `${file}.${hostname()}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'w');
    try {
      let pending: string[] = [];
      let size = 0;
      const flush = (): void => {
        if (pending.length) writeSync(fd, pending.join(''));
        pending = [];
        size = 0;
      };
      fill((chunk) => {
        pending.push(chunk);
        size += chunk.length;
        if (size >= 1 << 20) flush();
      });
      flush();
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
