import { Journal } from '../broker/journal.js';
import type { ServerOptions } from './server-options.js';

/** The journal, with the limits the server writes it under; its changes of state go to stderr for the operator. */
export function openJournal(path: string, options: ServerOptions): ReturnType<typeof Journal.open> {
  return Journal.open(path, options.ringSize, options.brokerBytes, {
    maxMessageBytes: options.maxMessageBytes,
    fsync: options.journalFsync === true,
    onWritable: (writable, reason) =>
      process.stderr.write(
        writable
          ? `im-bench serve: journal ${path} is writable again; publishes are taken\n`
          : `im-bench serve: journal ${path} cannot be written (${reason}); publishes are refused with 503 journal_unwritable until it can\n`,
      ),
  });
}
