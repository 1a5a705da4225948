/** What a polling client asks of its exchange, over HTTP/1.1 (PollExchange) or HTTP/2 (H2PollExchange). */
export interface PollExchanger {
  readonly statusCode: number;
  onConnected: () => void;
  readonly path: string;
  /**
   * The last exchange's bytes without its body; undefined over HTTP/2, where a head is frames and
   * compressed headers on a connection others may share.
   */
  readonly headBytes: number | undefined;
  send(path: string, headerLines?: string): void;
  header(name: string): string | undefined;
  body(): Buffer;
  destroy(): Promise<void>;
}
