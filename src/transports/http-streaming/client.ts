import { isPermanentRefusal, subscribePath } from '../shared/client-support.js';
import { StreamingClient } from '../shared/streaming-client.js';
import type { ClientOptions } from '../transport.js';
import { MAX_LINE_CHARS, NdjsonLines } from './ndjson-lines.js';
import { ProtocolError } from '../../core/envelope.js';

const NDJSON = 'application/x-ndjson';

/**
 * `GET /stream?since=N`, read as a `fetch` reads a streamed body: split into lines, one JSON
 * message each. When the stream ends or breaks it asks again from its cursor after the
 * reconnect delay (backing off while that fails); a permanent refusal (a 4xx) ends the client.
 */
export class HttpStreamingClient extends StreamingClient {
  private readonly lines: NdjsonLines;

  constructor(options: ClientOptions) {
    super(options, NDJSON);
    this.lines = new NdjsonLines(
      (line) => this.onLine(line),
      () => options.handlers.onError(new Error(`a line over ${MAX_LINE_CHARS} characters was dropped`)),
    );
  }

  protected request(): { path: string; headers: Record<string, string> } {
    const path = subscribePath('/stream', { ch: this.options.channel, ...this.tracker.resumeParams() });
    return { path, headers: { accept: NDJSON } };
  }

  protected startStream(): void {
    this.lines.reset();
  }

  protected feed(chunk: Buffer): void {
    this.lines.feed(chunk);
  }

  protected reconnectDelayMs(): number {
    return this.options.reconnectDelayMs;
  }

  protected endsOn(error: unknown): boolean {
    return isPermanentRefusal(error);
  }

  private onLine(line: string): void {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      this.options.handlers.onError(new ProtocolError('a line is not JSON', line));
      return;
    }
    this.tracker.message(message, Buffer.byteLength(line.trim()));
  }
}
