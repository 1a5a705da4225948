import type { Dispatcher } from 'undici';

/** Resolves after `ms`, or at once when `signal` aborts; never rejects. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted === true) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export function subscribePath(path: string, params: Record<string, string | number>): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) query.set(name, String(value));
  return `${path}?${query.toString()}`;
}

/** A subscribe request the server refused: retrying would only be refused again. */
export class SubscribeRefused extends Error {
  constructor(
    readonly path: string,
    readonly statusCode: number,
    detail: string,
  ) {
    super(`GET ${path} answered ${statusCode}${detail === '' ? '' : `: ${detail}`}`);
    this.name = 'SubscribeRefused';
  }
}

export async function refusal(path: string, response: Dispatcher.ResponseData): Promise<SubscribeRefused> {
  const text = await response.body.text().catch(() => '');
  return new SubscribeRefused(path, response.statusCode, text.slice(0, 300));
}
