import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Client } from 'undici';
import { defer } from '../helpers/cleanup.js';
import { spawnServe } from '../helpers/cli.js';
import { httpRequest, openStream } from '../helpers/http.js';
import { TRANSPORT_NAMES, TRANSPORTS } from '../../src/transports/registry.js';
import { openClient } from '../helpers/clients.js';
import { childrenOf } from '../helpers/processes.js';

/** The techniques this test holds open with raw clients, to check how each one is closed. */
const OPENED_RAW = ['short-polling', 'long-polling', 'sse', 'websocket'];

describe.each(['SIGTERM', 'SIGINT'] as const)('im-bench serve on %s', (signal) => {
  it('closes held connections of every technique and exits 0 within 2 s, leaving no process', async () => {
    const serve = await spawnServe();
    const pid = serve.child.pid!;

    const poller = new Client(serve.url);
    defer(() => poller.destroy());
    expect((await poller.request({ path: '/poll', method: 'GET' })).statusCode).toBe(204);
    const longPoll = httpRequest(`${serve.url}/long-poll?since=0&timeout=60000`);
    const sse = await openStream(`${serve.url}/sse`);
    const socket = new WebSocket(`${serve.url.replace('http', 'ws')}/ws`);
    defer(() => socket.terminate());
    await once(socket, 'open');
    const socketClosed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    // Every other registered technique holds a connection through im-bench's own client.
    for (const transport of TRANSPORTS.filter((t) => !OPENED_RAW.includes(t.name)))
      await openClient(transport, serve.url);

    const stats = JSON.parse((await httpRequest(`${serve.url}/stats`)).text) as { connections: Record<string, number> };
    expect(stats.connections).toEqual(Object.fromEntries(TRANSPORT_NAMES.map((name) => [name, 1])));
    const descendants = childrenOf(pid);

    const started = performance.now();
    const exited = once(serve.child, 'exit') as Promise<[number | null, string | null]>;
    serve.child.kill(signal);
    const [code] = await exited;
    const elapsed = performance.now() - started;

    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(2_000);
    expect((await longPoll).status).toBe(204);
    expect(await socketClosed).toBe(1001);
    await sse.ended;
    expect(sse.text()).toMatch(/^retry: \d+\n\n$/);
    expect(existsSync(`/proc/${pid}`)).toBe(false);
    for (const child of descendants) expect(existsSync(`/proc/${child}`)).toBe(false);
    expect(serve.stderr()).toBe('');
  });
});
