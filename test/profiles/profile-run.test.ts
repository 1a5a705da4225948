import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../src/document/result.js';
import { loadProfileFile } from '../../src/profiles/profile-file.js';
import { ProfileServer } from '../../src/profiles/profile-server.js';
import { defer } from '../helpers/cleanup.js';
import { runCli } from '../helpers/cli.js';
import { validateResult } from '../helpers/result-schema.js';

const RELAY = fileURLToPath(new URL('../fixtures/user-relay/relay.yaml', import.meta.url));
const SHORT = ['--clients', '10', '--duration', '2s', '--warmup', '500ms', '--ramp-up', '200ms', '--drain', '1s'];

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

  it('a chat: each sender numbers its own messages, and loss and order are counted per sender', async () => {
    const result = await runCli(
      ['run', '--server', RELAY, '--scenario', 'chat', '--transport', 'sse,websocket', ...SHORT, '--json'],
      60_000,
    );
    expect(result.code, result.stderr).toBe(0);
    for (const t of parsed(result.stdout).transports) {
      expect([t.delivery.lost, t.delivery.duplicated, t.delivery.outOfOrder], t.transport).toEqual([0, 0, 0]);
      // Every client hears every message of its channel, its own included.
      expect(t.delivery.delivered, t.transport).toBe(t.delivery.expected);
      expect(t.delivery.expected, t.transport).toBeGreaterThan(0);
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
    // One run: its table on stdout, its document in a file.
    const dir = mkdtempSync(join(tmpdir(), 'im-bench-target-'));
    defer(() => rmSync(dir, { recursive: true, force: true }));
    const out = join(dir, 'blind.json');
    const blind = await runCli([...base, '--out', out], 60_000);
    expect(blind.code, blind.stderr).toBe(0);
    expect(blind.stderr).toContain(
      "warning: server CPU and memory will not be measured: name the server's processes with --server-pid",
    );
    expect(blind.stdout).toMatch(/server CPU µs \/ msg\s*│\s*not measured/);
    const unseen = parsed(readFileSync(out, 'utf8')).transports[0]!;
    expect(unseen.delivery.lost).toBe(0);
    expect(unseen.server).toMatchObject({ cpuSeconds: null, cpuMicrosPerMessage: null, idleRssBytes: null });

    const seen = await runCli([...base, '--server-pid', String(server.pid), '--json'], 60_000);
    expect(seen.code, seen.stderr).toBe(0);
    const measured = parsed(seen.stdout).transports[0]!;
    expect(measured.server.cpuSeconds).toBeGreaterThanOrEqual(0);
    expect(measured.server.connectedRssBytes).toBeGreaterThan(0);
  }, 120_000);
});

describe('run on several kinds of server, and under faults', () => {
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

  it('counts what a technique without a cursor loses to dropped connections, and what one with a cursor does not', async () => {
    const result = await runCli(
      [
        'run',
        '--server',
        RELAY,
        '--scenario',
        'drop',
        '--transport',
        'sse,websocket',
        '--clients',
        '20',
        '--duration',
        '3s',
        '--fault-at',
        '1s',
        '--warmup',
        '500ms',
        '--json',
      ],
      60_000,
    );
    // A technique that lost messages is a finding, not a failure: the run exits 0.
    expect(result.code, result.stderr).toBe(0);
    const [sse, websocket] = parsed(result.stdout).transports;
    expect(sse!.fault!.affectedClients).toBeGreaterThan(0);
    // Last-Event-ID: the relay replays what the cut connection missed.
    expect([sse!.delivery.lost, sse!.delivery.duplicated]).toEqual([0, 0]);
    // No cursor: what was published while a socket reconnected never reaches it.
    expect(websocket!.fault!.affectedClients).toBeGreaterThan(0);
    expect(websocket!.delivery.lost).toBeGreaterThan(0);
    expect(websocket!.delivery.duplicated).toBe(0);
  }, 90_000);
});

describe('refusing what a profile run cannot do, before anything starts', () => {
  it.each([
    [['--profile', 'nchan'], '--profile: expected a --target to speak to'],
    [
      ['--server', 'nginx'],
      '--server: expected a built-in server (reference, nchan, socketio, socketio-recovery) or a profile file',
    ],
    [['--server', 'reference,reference'], 'each server once'],
    [['--server', RELAY, '--transport', 'long-polling'], 'a server offering one of long-polling'],
    [['--server', RELAY, '--sse-client', 'eventsource'], 'the parser SSE client'],
    [['--server-pid', '1'], '--server-pid: expected a --target and its --profile'],
    [['--server-workers', '2'], '--server-workers: expected a --server whose profile im-bench starts'],
  ])('refuses %j with exit 2 before starting anything', async (flags, message) => {
    const result = await runCli(['run', ...flags]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('refuses a profile file named as a built-in server, and one whose server is not installed, before measuring anything', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'im-bench-test-profile-'));
    defer(() => rmSync(folder, { recursive: true, force: true }));
    const relay = readFileSync(RELAY, 'utf8').replace('{profile-dir}', dirname(RELAY));
    const impostor = join(folder, 'impostor.yaml');
    writeFileSync(impostor, relay.replace('name: user-relay', 'name: nchan'));
    const named = await runCli(['run', '--server', impostor]);
    expect(named.code, named.stderr).toBe(2);
    expect(named.stderr).toContain("a profile whose name is not a built-in server's (nchan is)");

    const missing = join(folder, 'missing.yaml');
    writeFileSync(
      missing,
      `${relay}  requires:\n    files: [/nonexistent/im-bench-server]\n    install: apt-get install im-bench-server\n`,
    );
    // One fixed stream is legal, for a scenario of one channel; the chat has five.
    const fixed = join(folder, 'fixed.yaml');
    writeFileSync(fixed, relay.replaceAll('/events/{ch}', '/events/room').replaceAll('/ws/{ch}', '/ws/room'));
    const rooms = await runCli(['run', '--server', fixed, '--scenario', 'chat']);
    expect(rooms.code, rooms.stderr).toBe(2);
    expect(rooms.stderr).toMatch(/one channel, not channels 5 \(from .*chat.*\): user-relay's sse path has no \{ch\}/);

    const started = Date.now();
    const absent = await runCli(['run', '--server', `reference,${missing}`, '--transport', 'sse']);
    expect(absent.code, absent.stderr).toBe(2);
    expect(absent.stderr).toContain('install with: apt-get install im-bench-server');
    // Refused up front, not after the reference server's techniques had run.
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('refuses a threshold on a technique the named server does not offer', async () => {
    const result = await runCli([
      'run',
      '--server',
      RELAY,
      '--transport',
      'sse,long-polling',
      '--threshold',
      'long-polling:p99<1s',
    ]);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('technique "long-polling" is not offered by user-relay');
  });

  it('refuses a sweep over several kinds of server (its curves are per technique)', async () => {
    const result = await runCli(['sweep', '--server', `reference,${RELAY}`, '--clients', '5,10']);
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toContain('--server: expected one kind of server in a sweep');
  });
});
