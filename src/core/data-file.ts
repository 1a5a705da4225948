import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { ImBenchError } from './errors.js';
import { fileKind } from './file-kind.js';

/** A scenario or a profile is a few dozen lines; anything near this is not one, and is refused before it is read. */
export const MAX_DATA_FILE_BYTES = 1024 * 1024;

/** What kind of file is read, for messages, and the error each failure becomes (exit 2, naming the file). */
export interface DataFileKind {
  /** `scenario file`, `profile file`. */
  readonly what: string;
  readonly error: (message: string, cause?: unknown) => ImBenchError;
  /** Appended to "no such file", such as the built-in names. */
  readonly whenMissing: () => Promise<string>;
}

/**
 * Reads and parses a small data file (JSON by its extension, else YAML). Every way it can fail is
 * `kind.error` naming `shown` (the path as the user typed it): missing, not a regular file (a
 * folder, a named pipe, a device: refused before it is opened for reading, so nothing blocks),
 * too large, or anything its parser throws, limits included (a YAML alias bomb).
 */
export async function readDataFile(path: string, shown: string, kind: DataFileKind): Promise<unknown> {
  let text = await readText(path, shown, kind);
  text = text.replace(/^\uFEFF/, '');
  return extname(path).toLowerCase() === '.json' ? parseJson(text, shown, kind) : parseYaml(text, shown, kind);
}

async function readText(path: string, shown: string, kind: DataFileKind): Promise<string> {
  let file: FileHandle;
  try {
    refuseUnlessSmallFile(shown, await stat(path), kind);
    // Non-blocking: a named pipe put in its place since the check still cannot hold the open.
    file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (error instanceof ImBenchError) throw error;
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`;
    throw kind.error(`${shown}: ${reason}${await kind.whenMissing()}`, error);
  }
  try {
    refuseUnlessSmallFile(shown, await file.stat(), kind);
    return await readAtMost(file, shown, kind);
  } catch (error) {
    if (error instanceof ImBenchError) throw error;
    throw kind.error(`${shown}: cannot read: ${(error as Error).message}`, error);
  } finally {
    await file.close();
  }
}

function refuseUnlessSmallFile(shown: string, stats: Stats, kind: DataFileKind): void {
  if (!stats.isFile()) throw kind.error(`${shown}: expected a ${kind.what}, got ${fileKind(stats)}`);
  if (stats.size > MAX_DATA_FILE_BYTES) throw tooLarge(shown, `${stats.size} bytes`, kind);
}

function tooLarge(shown: string, size: string, kind: DataFileKind): Error {
  return kind.error(`${shown}: expected a ${kind.what} of at most 1 MiB (${MAX_DATA_FILE_BYTES} bytes), got ${size}`);
}

/** Reads to the end, but never past the limit: a file that grows while it is read is refused too. */
async function readAtMost(file: FileHandle, shown: string, kind: DataFileKind): Promise<string> {
  const buffer = Buffer.alloc(MAX_DATA_FILE_BYTES + 1);
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await file.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  if (length > MAX_DATA_FILE_BYTES) throw tooLarge(shown, 'more (it grew while it was read)', kind);
  return buffer.toString('utf8', 0, length);
}

function parseJson(text: string, shown: string, kind: DataFileKind): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 reports an offset ("in JSON at position 42"); people look for a line and a column.
    const message = (error as Error).message;
    const at = /\s*in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
    if (at === null) throw kind.error(`${shown}: invalid JSON: ${message}`, error);
    const before = text.slice(0, Number(at[1])).split('\n');
    const where = `line ${before.length}, column ${(before.at(-1) ?? '').length + 1}`;
    throw kind.error(`${shown}: invalid JSON at ${where}: ${message.replace(at[0], '')}`, error);
  }
}

/**
 * The parser's own errors carry "at line L, column C:" and the offending lines with a caret;
 * what it throws (an alias count past its limit, a nesting past the stack) is the file's fault too.
 */
function parseYaml(text: string, shown: string, kind: DataFileKind): unknown {
  try {
    const document = parseDocument(text);
    const [first] = document.errors;
    if (first !== undefined) throw kind.error(`${shown}: invalid YAML: ${first.message.trimEnd()}`, first);
    return document.toJS();
  } catch (error) {
    if (error instanceof ImBenchError) throw error;
    throw kind.error(`${shown}: invalid YAML: ${(error as Error).message}`, error);
  }
}
