import { spawnSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { defer } from '../helpers/cleanup.js';
import { CLI, runCli, spawnServe } from '../helpers/cli.js';
import { httpRequest } from '../helpers/http.js';

describe('im-bench serve', () => {
  it('prints one ready line with the URL it serves', async () => {
    const serve = await spawnServe();
    expect(serve.readyLine).toMatch(/^listening http:\/\/127\.0\.0\.1:\d+$/);
    expect((await httpRequest(`${serve.url}/health`)).status).toBe(200);
  });

  it('prints the ready line as one JSON object with --json', async () => {
    const serve = await spawnServe(['--json', '--transport', 'sse,websocket']);
    expect(JSON.parse(serve.readyLine)).toEqual({
      event: 'listening',
      url: serve.url,
      host: '127.0.0.1',
      port: serve.port,
      pid: serve.child.pid,
      transports: ['sse', 'websocket'],
    });
    expect((await httpRequest(`${serve.url}/poll`)).status).toBe(404);
  });

  it('keeps quiet about a client that drops its connection in the middle of a publish', async () => {
    const serve = await spawnServe();
    const socket = connect(serve.port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(
      'POST /publish HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"data":"',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await httpRequest(`${serve.url}/health`)).status).toBe(200);
    expect(serve.stderr()).toBe('');
  });

  it.each([
    [['--port', 'abc'], '--port: expected an integer from 0 to 65535, got "abc"'],
    [['--transport', 'carrier-pigeon'], '--transport: expected all, or a comma-separated list'],
    [['--ring', '-5'], '--ring: expected an integer from 1 to 10000000, got "-5"'],
  ])('refuses %j with exit 2 and a one-line error naming the flag', async (args, message) => {
    const result = await runCli(['serve', ...args]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`Error: ${message}`);
  });

  it('refuses an unknown flag with exit 2', async () => {
    const result = await runCli(['serve', '--colour', 'blue']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--colour'");
  });

  it('exits 4 naming the port when it is taken', async () => {
    const blocker = createServer();
    blocker.listen(0, '127.0.0.1');
    await once(blocker, 'listening');
    defer(() => blocker.close());
    const port = (blocker.address() as { port: number }).port;
    const result = await runCli(['serve', '--port', String(port)]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(`Error: port ${port} on 127.0.0.1 is already in use`);
  });

  it('explains every flag in --help', async () => {
    const result = await runCli(['serve', '--help']);
    expect(result.code).toBe(0);
    for (const flag of [
      '--transport',
      '--host',
      '--port',
      '--ring',
      '--max-message',
      '--allow-origin',
      '--allow-host',
      '--heartbeat',
      '--sse-retry',
      '--long-poll-timeout',
      '--journal',
      '--journal-fsync',
      '--json',
    ]) {
      expect(result.stdout).toContain(flag);
    }
    expect((await runCli(['--help'])).stdout).toContain('Exit codes:');
  });
});

describe('im-bench output into a closed pipe', () => {
  it('ends quietly, exit 0, when the reader of its output stops early (`--help | head`)', () => {
    const piped = spawnSync(
      'bash',
      ['-c', `"${process.execPath}" "${CLI}" run --help | head -1 > /dev/null; echo "$\{PIPESTATUS[0]}"`],
      {
        encoding: 'utf8',
        timeout: 10_000,
      },
    );
    expect(piped.stderr).toBe('');
    expect(piped.stdout.trim()).toBe('0');
  });
});

describe('im-bench serve --allow-host', () => {
  it('answers the names given with --allow-host (repeated, comma-separated), and refuses other names with 403', async () => {
    const serve = await spawnServe(['--allow-host', 'bench.lan,.example.test', '--allow-host', 'other.lan']);
    const withHost = (host: string) => httpRequest(`${serve.url}/health`, { headers: { host } });
    for (const host of [
      'bench.lan',
      `a.example.test:${serve.port}`,
      'other.lan',
      'localhost',
      `127.0.0.1:${serve.port}`,
    ]) {
      expect((await withHost(host)).status, host).toBe(200);
    }
    const refused = await withHost(`evil.example:${serve.port}`);
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.text)).toMatchObject({ error: { code: 'forbidden_host' } });
    expect(serve.stderr()).toBe('');
  });
});
