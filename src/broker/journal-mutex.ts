import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { basename, dirname } from 'node:path';
import { ImBenchError } from '../core/errors.js';
import { describeSystemError } from './journal-errors.js';
import type { JournalFile } from './journal-file.js';

/** Another process holds the journal's mutex. */
export class MutexHeld extends Error {
  constructor() {
    super('another process holds the journal');
    this.name = 'MutexHeld';
  }
}

/**
 * The kernel's half of the journal lock: an abstract Unix socket (Linux) named after the
 * journal's folder (device and inode, so another path to the same folder names the same
 * journal) and file name. Binding it is atomic, and the kernel frees it when the process ends
 * however it ends, SIGKILL included: there is never a stale one to judge, so servers started
 * at the same moment cannot both take over a stale lock file. Undefined where there is no
 * abstract namespace; the lock file alone then decides (see journal-lock.ts).
 */
export async function claimMutex(journal: JournalFile): Promise<Server | undefined> {
  if (process.platform !== 'linux') return undefined;
  const folder = statSync(dirname(journal.path));
  const digest = createHash('sha256')
    .update(`${folder.dev}:${folder.ino}/${basename(journal.path)}`)
    .digest('hex');
  // Nothing is served on it: a connection is closed at once.
  const server = createServer((socket) => socket.destroy());
  server.listen({ path: `\0im-bench-journal-${digest}` });
  try {
    await once(server, 'listening');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new MutexHeld();
    throw new ImBenchError(
      'IMB_ERR_JOURNAL',
      `journal ${journal.path}: cannot take its lock: ${describeSystemError(error)}`,
      { cause: error },
    );
  }
  server.on('error', () => {});
  // It must not keep the process alive by itself.
  server.unref();
  return server;
}
