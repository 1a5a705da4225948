import { existsSync } from 'node:fs';
import { request } from 'undici';
import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadProfileFile } from '../../src/profiles/profile-file.js';
import { ProfileServer } from '../../src/profiles/profile-server.js';
import { processTree } from '../../src/harness/machine/process-tree.js';
import { defer } from '../helpers/cleanup.js';

const RELAY = fileURLToPath(new URL('../fixtures/user-relay/relay.yaml', import.meta.url));

async function relayProfile(): ReturnType<typeof loadProfileFile> {
  return loadProfileFile(RELAY, 'relay.yaml', () => 'reference');
}

describe('a server im-bench starts from a profile', () => {
  it('starts in a prefix of its own, answers once ready, and leaves neither process nor folder when stopped', async () => {
    const server = await ProfileServer.start(await relayProfile(), { values: {}, prefix: [] });
    defer(() => server.kill());
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const published = await request(`${server.url}/publish/room`, { method: 'POST', body: '{"seq":1}' });
    expect(published.statusCode).toBe(204);
    await published.body.dump();
    const pid = server.pid;
    expect(processTree(pid)).toEqual([pid]);
    await server.stop();
    expect(processTree(pid)).toEqual([]);
  });

  it('says why when the server cannot start, with what it wrote on stderr', async () => {
    const profile = await relayProfile();
    const broken = {
      ...profile,
      server: { ...profile.server!, command: ['node', '-e', 'console.error("no luck"); process.exit(3)'] },
    };
    const error = (await ProfileServer.start(broken, { values: {}, prefix: [] }).catch((e: unknown) => e)) as Error;
    expect(error.message).toMatch(/exited before it was ready \(code 3\):\nno luck/);
  });

  it('refuses, with the install line, a profile whose server is not installed', async () => {
    const profile = await relayProfile();
    const missing = {
      ...profile,
      server: { ...profile.server!, requiredFiles: ['/nonexistent/nginx'], install: 'apt-get install nginx-light' },
    };
    expect(existsSync('/nonexistent/nginx')).toBe(false);
    const error = (await ProfileServer.start(missing, { values: {}, prefix: [] }).catch((e: unknown) => e)) as Error & {
      exitCode: number;
    };
    expect(error.message).toBe(
      'the user-relay profile needs /nonexistent/nginx, not found on this machine; install with: apt-get install nginx-light',
    );
    expect(error.exitCode).toBe(2);
  });
});
