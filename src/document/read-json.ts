import { readFile } from 'node:fs/promises';
import { ImBenchError } from '../core/errors.js';

/** A saved document's JSON; a file that cannot be read or parsed is an error naming it (exit code 2). */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ImBenchError(
      'IMB_ERR_INVALID_RESULT',
      `${path}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  return parseJson(text, path);
}

export function parseJson(text: string, name: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ImBenchError('IMB_ERR_INVALID_RESULT', `${name}: not JSON (${(error as Error).message})`);
  }
}
