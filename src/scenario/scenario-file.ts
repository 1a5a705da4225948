import { constants, type Stats } from 'node:fs';
import { type FileHandle, open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseDocument } from 'yaml';
import { ImBenchError } from '../core/errors.js';
import { fileKind } from '../core/file-kind.js';
import { scenarioError } from './scenario-error.js';

/** A scenario is a few dozen lines; anything near this is not one, and is refused before it is read. */
export const MAX_SCENARIO_FILE_BYTES = 1024 * 1024;

/**
 * Reads and parses a scenario file (JSON by its extension, else YAML). Every way it can fail is
 * IMB_ERR_INVALID_SCENARIO naming `shown` (the path as the user typed it): missing, not a
 * regular file (a folder, a named pipe, a device: refused before it is opened for reading, so
 * nothing blocks), too large, or anything its parser throws, limits included (a YAML alias bomb).
 * `builtIns` lists the built-in names, for the message of a file that does not exist.
 */
export async function readScenarioFile(path: string, shown: string, builtIns: () => Promise<string>): Promise<unknown> {
  let text = await readText(path, shown, builtIns);
  text = text.replace(/^\uFEFF/, '');
  return extname(path).toLowerCase() === '.json' ? parseJson(text, shown) : parseYaml(text, shown);
}

async function readText(path: string, shown: string, builtIns: () => Promise<string>): Promise<string> {
  let file: FileHandle;
  try {
    refuseUnlessSmallFile(shown, await stat(path));
    // Non-blocking: a named pipe put in its place since the check still cannot hold the open.
    file = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    if (error instanceof ImBenchError) throw error;
    const reason =
      (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}`;
    throw scenarioError(`${shown}: ${reason} (built-in scenarios: ${await builtIns()})`, error);
  }
  try {
    refuseUnlessSmallFile(shown, await file.stat());
    return await readAtMost(file, shown);
  } catch (error) {
    if (error instanceof ImBenchError) throw error;
    throw scenarioError(`${shown}: cannot read: ${(error as Error).message}`, error);
  } finally {
    await file.close();
  }
}

function refuseUnlessSmallFile(shown: string, stats: Stats): void {
  if (!stats.isFile()) throw scenarioError(`${shown}: expected a scenario file, got ${fileKind(stats)}`);
  if (stats.size > MAX_SCENARIO_FILE_BYTES) throw tooLarge(shown, `${stats.size} bytes`);
}

function tooLarge(shown: string, size: string): Error {
  return scenarioError(
    `${shown}: expected a scenario file of at most 1 MiB (${MAX_SCENARIO_FILE_BYTES} bytes), got ${size}`,
  );
}

/** Reads to the end, but never past the limit: a file that grows while it is read is refused too. */
async function readAtMost(file: FileHandle, shown: string): Promise<string> {
  const buffer = Buffer.alloc(MAX_SCENARIO_FILE_BYTES + 1);
  let length = 0;
  while (length < buffer.length) {
    const { bytesRead } = await file.read(buffer, length, buffer.length - length, length);
    if (bytesRead === 0) break;
    length += bytesRead;
  }
  if (length > MAX_SCENARIO_FILE_BYTES) throw tooLarge(shown, 'more (it grew while it was read)');
  return buffer.toString('utf8', 0, length);
}

function parseJson(text: string, shown: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    // V8 reports an offset ("in JSON at position 42"); people look for a line and a column.
    const message = (error as Error).message;
    const at = /\s*in JSON at position (\d+)(?: \(line \d+ column \d+\))?/.exec(message);
    if (at === null) throw scenarioError(`${shown}: invalid JSON: ${message}`, error);
    const before = text.slice(0, Number(at[1])).split('\n');
    const where = `line ${before.length}, column ${(before.at(-1) ?? '').length + 1}`;
    throw scenarioError(`${shown}: invalid JSON at ${where}: ${message.replace(at[0], '')}`, error);
  }
}

/**
 * The parser's own errors carry "at line L, column C:" and the offending lines with a caret;
 * what it throws (an alias count past its limit, a nesting past the stack) is the file's fault too.
 */
function parseYaml(text: string, shown: string): unknown {
  try {
    const document = parseDocument(text);
    const [first] = document.errors;
    if (first !== undefined) throw scenarioError(`${shown}: invalid YAML: ${first.message.trimEnd()}`, first);
    return document.toJS();
  } catch (error) {
    if (error instanceof ImBenchError) throw error;
    throw scenarioError(`${shown}: invalid YAML: ${(error as Error).message}`, error);
  }
}
