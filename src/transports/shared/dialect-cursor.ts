import { channelPath, type SubscribeDialect } from '../dialect.js';

/**
 * Where a client of a profile's dialect resumes from, as the server handed it over: the last id
 * (an SSE `id:`, a frame's id) or the last answer's validators. Opaque: nchan's ids are
 * `time:tag`, not sequence numbers. The envelope's `seq` is for the accounting alone.
 */
export class DialectCursor {
  private id = '';
  private lastModified: string | undefined;
  private etag: string | undefined;
  /** The channel's path, fixed for the client's life. */
  private readonly base: string;
  /** headerLines() as last built, and the cursor state it was built from: a poll that changed nothing rebuilds nothing. */
  private lines = '';
  private linesFor = -1;
  private version = 0;

  /** `highestSeq`: the highest `seq` the client has taken, which the `since` strategy hands back. */
  constructor(
    readonly dialect: SubscribeDialect,
    channel: string,
    private readonly highestSeq: () => number,
  ) {
    this.base = channelPath(dialect, channel);
  }

  get lastId(): string {
    return this.id;
  }

  set lastId(id: string) {
    if (id === this.id) return;
    this.id = id;
    this.version++;
  }

  /** The subscribe path, with the cursor's query parameter: `since=N` always, the `query` strategy's once there is an id. */
  path(): string {
    const base = this.base;
    if (this.dialect.cursor === 'since') return `${base}${base.includes('?') ? '&' : '?'}since=${this.highestSeq()}`;
    if (this.dialect.cursor !== 'query' || this.lastId === '') return base;
    const param = encodeURIComponent(this.dialect.cursorParam ?? 'last_event_id');
    return `${base}${base.includes('?') ? '&' : '?'}${param}=${encodeURIComponent(this.lastId)}`;
  }

  /** The dialect's headers, and the cursor's: `Last-Event-ID`, or `If-Modified-Since` and `If-None-Match`. */
  headers(): Record<string, string> {
    const headers: Record<string, string> = { ...this.dialect.headers };
    if (this.dialect.cursor === 'last-event-id' && this.lastId !== '') headers['last-event-id'] = this.lastId;
    if (this.dialect.cursor === 'validators' && this.etag !== undefined) {
      if (this.lastModified !== undefined) headers['if-modified-since'] = this.lastModified;
      headers['if-none-match'] = this.etag;
    }
    return headers;
  }

  /**
   * An answer's validators. Kept only with an `Etag`: nchan refuses `If-Modified-Since` alone
   * (400), and sends neither for a channel that holds nothing yet, where the cursor stays as it was.
   */
  noteValidators(lastModified: string | undefined, etag: string | undefined): void {
    if (this.dialect.cursor !== 'validators' || etag === undefined) return;
    if (etag === this.etag && lastModified === this.lastModified) return;
    this.etag = etag;
    this.lastModified = lastModified;
    this.version++;
  }

  /** headers() as request header lines (`name: value\r\n` each), as PollExchange writes them; rebuilt only when the cursor moved. */
  headerLines(): string {
    if (this.linesFor !== this.version) {
      this.lines = '';
      for (const [name, value] of Object.entries(this.headers())) this.lines += `${name}: ${value}\r\n`;
      this.linesFor = this.version;
    }
    return this.lines;
  }
}
