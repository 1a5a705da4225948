import { describe, expect, it } from 'vitest';
import { checkTarget } from '../../src/harness/target/check-target.js';

describe('checkTarget', () => {
  it('accepts loopback however it is spelled, IPv4-mapped IPv6 included', async () => {
    for (const target of [
      'http://127.0.0.1:8080',
      'http://127.9.9.9:1',
      'http://[::1]:8080',
      'http://[::ffff:7f00:1]:8080',
      'http://[::ffff:127.0.0.2]:80',
    ]) {
      await expect(checkTarget(target, false), target).resolves.toBeInstanceOf(URL);
    }
  });

  it('refuses other addresses, mapped or not, unless remote load is allowed', async () => {
    for (const target of [
      'http://10.1.2.3:8080',
      'http://[::ffff:a00:1]:8080',
      'http://[::2]:8080',
      'http://0.0.0.0:8080',
    ]) {
      await expect(checkTarget(target, false), target).rejects.toThrow(/expected a loopback address/);
      await expect(checkTarget(target, true), target).resolves.toBeInstanceOf(URL);
    }
  });

  it('connects to the address it checked, not to a name that may resolve elsewhere later', async () => {
    const url = await checkTarget('http://localhost:8080', false);
    expect(['127.0.0.1', '[::1]']).toContain(url.hostname);
    expect(url.port).toBe('8080');
  });
});
