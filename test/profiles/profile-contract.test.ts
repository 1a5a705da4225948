import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { packagePath } from '../../src/core/paths.js';
import { SeqTracker } from '../../src/harness/generator/seq-tracker.js';
import { loadProfileFile } from '../../src/profiles/profile-file.js';
import type { Profile } from '../../src/profiles/profile.js';
import { ProfileServer } from '../../src/profiles/profile-server.js';
import { CODE_PROFILES } from '../../src/profiles/socketio/profile.js';
import { channelPath, type SubscribeDialect } from '../../src/transports/dialect.js';
import { getTransport } from '../../src/transports/registry.js';
import type { TransportName } from '../../src/document/scenario.js';
import { defer } from '../helpers/cleanup.js';
import { createClient, type OpenedClient, openClient } from '../helpers/clients.js';
import { TcpProxy } from '../helpers/tcp-proxy.js';
import { LossyPublishProxy } from '../helpers/lossy-publish-proxy.js';
import { nchanRunnable } from '../helpers/nchan.js';
import { sleep } from '../helpers/wait.js';

// The contract every profile's techniques keep with im-bench's clients, on the real servers:
// the user relay fixture and the Socket.IO relay always, nginx + nchan where it is installed
// (and always in CI).

const RELAY = fileURLToPath(new URL('../fixtures/user-relay/relay.yaml', import.meta.url));

const SETTLE_MS = 300;
/** nchan's long-poll timeout here: a held poll that hears nothing answers 408 after it. */
const LONG_POLL_SECONDS = 1;

const load = (path: string): Promise<Profile> => loadProfileFile(path, path, () => 'reference');
const PROFILES: Array<readonly [string, Profile, boolean]> = [
  ['user-relay', await load(RELAY), true],
  // socketio-recovery's clients are the same; what recovery changes, socketio-run.test.ts shows.
  ['socketio', CODE_PROFILES.socketio!(), true],
  [
    'nchan (needs nginx-light and libnginx-mod-nchan)',
    await load(packagePath('profiles', 'nchan.yaml')),
    nchanRunnable,
  ],
];

let channels = 0;
const range = (first: number, last: number): number[] => Array.from({ length: last - first + 1 }, (_, i) => first + i);

async function start(profile: Profile): Promise<ProfileServer> {
  const values = { workers: 1, buffer: 1000, 'heartbeat-seconds': 15, 'long-poll-timeout-seconds': LONG_POLL_SECONDS };
  const server = await ProfileServer.start(profile, { values, prefix: [] });
  defer(() => server.stop());
  return server;
}

/** Publishes envelopes `seqs` on `channel` as im-bench's publisher does for a server that does not number. */
async function publish(profile: Profile, url: string, channel: string, seqs: readonly number[]): Promise<void> {
  for (const seq of seqs) {
    const body = JSON.stringify({ seq, t: String(process.hrtime.bigint()), ch: channel, from: null, data: `m${seq}` });
    const response = await request(`${url}${channelPath(profile.publish, channel)}`, {
      method: profile.publish.method,
      body,
      headers: { 'content-type': profile.publish.contentType, ...profile.publish.headers },
    });
    await response.body.dump();
    expect(response.statusCode, `publish ${seq}`).toBeLessThan(300);
  }
}

/** One profile's technique on a fresh server of its kind, and a fresh channel on it. */
interface Case {
  profile: Profile;
  technique: TransportName;
  dialect: SubscribeDialect;
}

async function subscribed(
  { profile, technique, dialect }: Case,
  through?: (server: ProfileServer) => Promise<string>,
): Promise<{ server: ProfileServer; channel: string } & OpenedClient> {
  const server = await start(profile);
  const channel = `contract-${++channels}`;
  const url = through === undefined ? server.url : await through(server);
  const opened = await openClient(getTransport(technique), url, { channel, dialect, pollIntervalMs: 50 });
  return { server, channel, ...opened };
}

async function deliversInOrder(test: Case): Promise<void> {
  const { server, channel, collector } = await subscribed(test);
  await publish(test.profile, server.url, channel, range(1, 10));
  await collector.waitForCount(10);
  await sleep(SETTLE_MS);
  expect(collector.seqs()).toEqual(range(1, 10));
  expect(collector.envelopes.map((envelope) => envelope.data)).toEqual(range(1, 10).map((i) => `m${i}`));
  expect(collector.errors).toEqual([]);
}

async function countsLossExactly(test: Case): Promise<void> {
  const { server, channel, collector } = await subscribed(test);
  // Every publish is answered as taken, but a lossy hop on the way silently drops 4 and 7.
  const hop = await LossyPublishProxy.start(server.url, [4, 7]);
  await publish(test.profile, hop.url, channel, range(1, 8));
  expect(hop.dropped).toEqual([4, 7]);
  const arrived = [1, 2, 3, 5, 6, 8];
  await collector.waitForCount(arrived.length);
  await sleep(SETTLE_MS);
  expect(collector.seqs()).toEqual(arrived);
  const tracker = new SeqTracker();
  for (const seq of collector.seqs()) tracker.accept(seq);
  expect([tracker.lost(8), tracker.duplicated, tracker.outOfOrder]).toEqual([2, 0, 0]);
}

async function resumesAfterACut(test: Case): Promise<void> {
  let proxy: TcpProxy | undefined;
  const { server, channel, collector } = await subscribed(test, async (started) => {
    proxy = await TcpProxy.start(started.port);
    return proxy.url;
  });
  await publish(test.profile, server.url, channel, range(1, 3));
  await collector.waitForCount(3);
  proxy!.dropAll();
  await publish(test.profile, server.url, channel, range(4, 6));
  await sleep(SETTLE_MS);
  await publish(test.profile, server.url, channel, range(7, 8));
  if (test.dialect.cursor === 'none') {
    await sleep(SETTLE_MS * 2);
    const seqs = collector.seqs();
    expect(seqs.slice(0, 3)).toEqual([1, 2, 3]);
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    expect(seqs.at(-1)).toBe(8);
    return;
  }
  await collector.waitForCount(8);
  await sleep(SETTLE_MS);
  expect(collector.seqs()).toEqual(range(1, 8));
}

async function takesNothingNew(test: Case): Promise<void> {
  const { client, collector } = await subscribed(test);
  await sleep(test.technique === 'long-polling' ? LONG_POLL_SECONDS * 1000 + 700 : SETTLE_MS);
  expect(client.meter.emptyResponses).toBeGreaterThan(0);
  expect(collector.errors).toEqual([]);
}

async function stopsAtARefusal({ profile, technique, dialect }: Case): Promise<void> {
  const server = await start(profile);
  const refused = { ...dialect, path: '/no-such-place/{ch}' };
  const { client, collector } = createClient(getTransport(technique), server.url, {
    channel: 'refused',
    dialect: refused,
  });
  // Most refuse in open(); a long poll counts as subscribed once connected, and hears it later.
  const opened = await client.open().then(
    () => undefined,
    (error: unknown) => error,
  );
  await sleep(SETTLE_MS);
  expect(opened ?? collector.errors[0], 'the refusal').toBeInstanceOf(Error);
  const requests = client.meter.requests;
  await sleep(SETTLE_MS);
  expect(requests).toBeLessThanOrEqual(1);
  expect(client.meter.requests).toBe(requests);
}

describe.each(PROFILES)('profile contract: %s', (_name, profile, runnable) => {
  describe.skipIf(!runnable).each([...profile.techniques.keys()])('%s', (technique) => {
    const test: Case = { profile, technique, dialect: profile.techniques.get(technique)! };
    it('delivers every message once, in order, with its payload', () => deliversInOrder(test));
    it('counts exactly the messages a lossy hop dropped on their way to the server as lost', () =>
      countsLossExactly(test));
    it('reconnects after a cut, resuming with its cursor (without one: losing, never repeating)', () =>
      resumesAfterACut(test));
    // Only a poll has an answer that says "nothing new"; Engine.IO's (a ping) comes after 25 s.
    if ((technique === 'short-polling' || technique === 'long-polling') && test.dialect.protocol === 'plain')
      it('takes "nothing new" as an empty answer, never a failure', () => takesNothingNew(test));
    it('stops at a refusal and never asks again', () => stopsAtARefusal(test));
  });
});
