// Writing a file the user will read: write-then-rename in the same directory, so the file is the old
// one or the complete new one, never a part, even if the process dies or is interrupted midway.
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';

/** The temporary name carries the host and pid, so writers sharing a directory never collide. */
export function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${hostname()}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
}
