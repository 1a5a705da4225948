import { once } from 'node:events';
import type { TLSSocket } from 'node:tls';
import { type ClientTls, connectPlain, plainOrigin } from '../../transports/shared/plain-connection.js';

/** TLS 1.3 sends its session tickets after the handshake: time for them to arrive. */
const TICKETS_SETTLE_MS = 50;
const PROBE_TIMEOUT_MS = 5_000;

/** One TLS handshake: its bytes, and the protocol the server chose by ALPN (false: none). */
export interface Handshake {
  bytes: number;
  alpn: string | false;
}

/**
 * One TLS handshake with `url` (its bytes both ways, the session tickets included), on a
 * connection of its own that carries nothing else, offering `alpn` as the clients do: what a
 * connection costs before its first request, reported apart from the per-message figures.
 */
export async function probeHandshake(url: string, tls: ClientTls, alpn: string): Promise<Handshake> {
  const { socket, wire } = connectPlain(plainOrigin(url, tls), undefined, alpn);
  try {
    await once(socket, 'secureConnect', { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    await new Promise((resolve) => setTimeout(resolve, TICKETS_SETTLE_MS));
    return { bytes: wire.bytesRead + wire.bytesWritten, alpn: (socket as TLSSocket).alpnProtocol ?? false };
  } finally {
    socket.destroy();
  }
}
