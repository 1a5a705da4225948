import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { ClientMeter } from '../../src/transports/shared/client-meter.js';
import { EXCHANGE_OPTION, ExchangePolling } from '../../src/transports/shared/engine-io-polling.js';
import { defer } from '../helpers/cleanup.js';
import { waitFor } from '../helpers/wait.js';

// Engine.IO's polling transport on im-bench's exchanges, driven as engine.io-client drives it.

describe("Engine.IO's polling over im-bench's exchanges", () => {
  it('sends a write that comes while another is out once that one is answered, and reports both done', async () => {
    const bodies: string[] = [];
    let open = 0;
    let mostOpen = 0;
    const server = createServer((request, response) => {
      let body = '';
      open++;
      mostOpen = Math.max(mostOpen, open);
      request.on('data', (chunk: Buffer) => (body += chunk));
      request.on('end', () =>
        setTimeout(() => {
          bodies.push(body);
          open--;
          response.end('ok');
        }, 30),
      );
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    defer(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const meter = new ClientMeter();
    const transport = new ExchangePolling({
      hostname: '127.0.0.1',
      port: String((server.address() as AddressInfo).port),
      path: '/socket.io/',
      query: { EIO: 4, transport: 'polling', sid: 's' },
      secure: false,
      timestampRequests: false,
      socket: { binaryType: 'nodebuffer' },
      [EXCHANGE_OPTION]: { meter, localAddress: undefined },
    });
    defer(() => meter.dropConnections());
    const errors: unknown[] = [];
    transport.on('error', (error) => errors.push(error));
    const done: string[] = [];
    transport.doWrite('40', () => done.push('connect'));
    transport.doWrite('3', () => done.push('pong'));
    await waitFor(() => done.length === 2, 'both writes answered');
    expect(done).toEqual(['connect', 'pong']);
    expect(bodies).toEqual(['40', '3']);
    // One write at a time, on the writes' own connection.
    expect(mostOpen).toBe(1);
    expect(meter.requests).toBe(2);
    expect(errors).toEqual([]);
  });
});
