/**
 * How a technique's clients speak to one kind of server (DESIGN §2b): the subscribe request, the
 * resume cursor, how answers decode. The reference server's dialect is the wire contract (§2);
 * a server profile gives another. The clients' accounting never changes: loss, duplicates and
 * order by the envelope's `seq`, latency from its `t`.
 */

/**
 * Where a client's resume cursor comes from and how it goes back:
 * - `since`: the highest seq seen, as `?since=N` (the wire contract);
 * - `last-event-id`: the last SSE `id:` (or frame id), as the `Last-Event-ID` header;
 * - `validators`: the answer's `Last-Modified` and `Etag`, as `If-Modified-Since` and `If-None-Match`;
 * - `query`: the last id, as the query parameter `cursorParam` names;
 * - `none`: nothing; a new subscription starts wherever the server starts it.
 */
export const CURSOR_STRATEGIES = ['since', 'last-event-id', 'validators', 'query', 'none'] as const;
export type CursorStrategy = (typeof CURSOR_STRATEGIES)[number];

/**
 * What one answer, event or frame holds:
 * - `envelope-array`: a JSON array of envelopes (and the reference's gap and reset markers);
 * - `envelope`: one envelope, the body the publisher sent;
 * - `multipart`: `multipart/mixed` parts, one envelope each (nchan's multipart long-poll).
 */
export const DECODINGS = ['envelope-array', 'envelope', 'multipart'] as const;
export type Decoding = (typeof DECODINGS)[number];

/**
 * When a poll client asks again at once instead of waiting for its next turn:
 * - `more-header`: when the answer says it was cut short (the reference's `im-bench-more: 1`);
 * - `after-message`: after every answer that carried a message (a server that answers one message at a time);
 * - `never`.
 */
export const ASK_AGAIN = ['more-header', 'after-message', 'never'] as const;
export type AskAgain = (typeof ASK_AGAIN)[number];

/** Headers in front of a WebSocket frame's body: nchan's `ws+meta.nchan` (`id: T:G\n[content-type: X\n]\n<body>`). */
export const FRAME_META = ['none', 'nchan'] as const;
export type FrameMeta = (typeof FRAME_META)[number];

/**
 * What a subscription speaks on top of HTTP:
 * - `plain`: requests, streams and frames as the other fields of the dialect say;
 * - `socket.io`: Socket.IO 4 over Engine.IO (its polling transport for long polling, its
 *   websocket transport for WebSocket), spoken by socket.io-client. The path template gives the
 *   handshake's path and query (`/socket.io/?ch={ch}`); resuming is Socket.IO's own (connection
 *   state recovery, when the server has it on), so cursor, decode and the rest are not used.
 */
export const PROTOCOLS = ['plain', 'socket.io'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

export interface SubscribeDialect {
  readonly protocol: Protocol;
  /** Path template: `{ch}` stands for the channel, URL-encoded; a path without it has one fixed stream. */
  readonly path: string;
  /** Extra request headers, sent on every subscribe. */
  readonly headers: Readonly<Record<string, string>>;
  /** WebSocket subprotocol to ask for; none when undefined. */
  readonly subprotocol: string | undefined;
  readonly frameMeta: FrameMeta;
  readonly cursor: CursorStrategy;
  /** The query parameter of the `query` strategy, such as `last_event_id`. */
  readonly cursorParam: string | undefined;
  readonly decode: Decoding;
  /** Statuses that mean "nothing new" (204, 304, 408 …): counted as empty answers, never as failures. */
  readonly nothingNew: readonly number[];
  readonly askAgain: AskAgain;
  /** The server names its log (`im-bench-epoch`) and sends gap and reset markers: the reference server only. */
  readonly epochs: boolean;
}

/** True when the path serves one channel per value of `{ch}`. */
export function hasChannels(dialect: Pick<SubscribeDialect, 'path'>): boolean {
  return dialect.path.includes('{ch}');
}

/** The path for `channel`: `{ch}` replaced by the channel, encoded as one path segment. */
export function channelPath(dialect: Pick<SubscribeDialect, 'path'>, channel: string): string {
  return dialect.path.replaceAll('{ch}', encodeURIComponent(channel));
}
