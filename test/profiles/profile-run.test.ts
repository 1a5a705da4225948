import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { loadProfileFile } from '../../src/profiles/profile-file.js';
import { ProfileServer } from '../../src/profiles/profile-server.js';
import { defer } from '../helpers/cleanup.js';
import { runCli } from '../helpers/cli.js';
import { validateResult } from '../helpers/result-schema.js';

const RELAY = fileURLToPath(new URL('../fixtures/user-relay/relay.yaml', import.meta.url));
const SHORT = ['--clients', '10', '--duration', '2s', '--warmup', '500ms'];

function parsed(stdout: string): RunResult {
  const document = JSON.parse(stdout) as RunResult;
  expect(validateResult(document)).toEqual([]);
  return document;
}

describe("run against a user's server described by a profile file", () => {
  it('starts the server itself, loses nothing, and reads its CPU and memory from its processes', async () => {
    const result = await runCli(['run', '--server', RELAY, '--transport', 'sse,websocket', ...SHORT, '--json'], 60_000);
    expect(result.code, result.stderr).toBe(0);
    const document = parsed(result.stdout);
    expect(document.transports.map((t) => [t.profile, t.transport])).toEqual([
      ['user-relay', 'sse'],
      ['user-relay', 'websocket'],
    ]);
    for (const t of document.transports) {
      expect(t.delivery.lost, t.transport).toBe(0);
      expect(t.delivery.delivered, t.transport).toBeGreaterThan(0);
      expect(t.delivery.deliveredInWindow, t.transport).toBeGreaterThan(0);
      expect(t.server.cpuSeconds, t.transport).toBeGreaterThanOrEqual(0);
      expect(t.server.connectedRssBytes, t.transport).toBeGreaterThan(0);
      // The relay keeps no count of its own: not measured, never 0.
      expect(t.requests.serverCounted, t.transport).toBeNull();
    }
  }, 90_000);

  it('skips a technique the server does not offer, with a line saying so', async () => {
    const result = await runCli(
      ['run', '--server', RELAY, '--transport', 'long-polling,sse', ...SHORT, '--json'],
      60_000,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('user-relay: long-polling skipped: the user-relay profile does not offer it');
    expect(parsed(result.stdout).transports.map((t) => t.transport)).toEqual(['sse']);
  }, 90_000);

  it('drives a running server with --target --profile: its figures "not measured" unless --server-pid names it', async () => {
    const profile = await loadProfileFile(RELAY, 'relay.yaml', () => 'reference');
    const server = await ProfileServer.start(profile, { values: {}, prefix: [] });
    defer(() => server.stop());
    const base = ['run', '--target', server.url, '--profile', RELAY, '--transport', 'sse', ...SHORT];
    const blind = await runCli([...base, '--json'], 60_000);
    expect(blind.code, blind.stderr).toBe(0);
    const unseen = parsed(blind.stdout).transports[0]!;
    expect(unseen.delivery.lost).toBe(0);
    expect(unseen.server).toMatchObject({ cpuSeconds: null, cpuMicrosPerMessage: null, idleRssBytes: null });
    const table = await runCli(base, 60_000);
    expect(table.stdout).toMatch(/server CPU µs \/ msg\s*│\s*not measured/);

    const seen = await runCli([...base, '--server-pid', String(server.pid), '--json'], 60_000);
    expect(seen.code, seen.stderr).toBe(0);
    const measured = parsed(seen.stdout).transports[0]!;
    expect(measured.server.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(measured.server.connectedRssBytes).toBeGreaterThan(0);
  }, 120_000);

  it('measures the reference server and a profile in one run: a table per server, and each headline across them', async () => {
    const result = await runCli(['run', '--server', `reference,${RELAY}`, '--transport', 'sse', ...SHORT], 60_000);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('Server: reference');
    expect(result.stdout).toContain('Server: user-relay');
    expect(result.stdout).toMatch(/latency p99 \(ms\), by server\n[^\n]*\n[^\n]*reference[^\n]*user-relay/);
    // The tables; a warning is prose, which a terminal wraps.
    for (const line of result.stdout.split('\n').filter((row) => /^[│┌├└]/.test(row)))
      expect(line.length, line).toBeLessThanOrEqual(80);
  }, 90_000);

  it.each([
    [['--profile', 'nchan'], '--profile: expected a --target to speak to'],
    [['--server', 'nginx'], '--server: expected a built-in server (reference, nchan) or a profile file'],
    [['--server', 'reference,reference'], 'each server once'],
    [['--server', RELAY, '--transport', 'long-polling'], 'a server offering one of long-polling'],
    [['--server', RELAY, '--sse-client', 'eventsource'], 'the parser SSE client'],
    [['--server', RELAY, '--scenario', 'chat'], 'a chat against a server that does not number'],
    [['--server-pid', '1'], '--server-pid: expected a --target and its --profile'],
  ])('refuses %j with exit 2 before starting anything', async (flags, message) => {
    const result = await runCli(['run', ...flags]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
  });
});
