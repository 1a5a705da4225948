import { lookup } from 'node:dns/promises';
import { BlockList, isIPv6 } from 'node:net';
import { invalidOption } from '../../core/errors.js';

// BlockList also matches IPv4-mapped IPv6 spellings such as ::ffff:7f00:1 against the IPv4 rule.
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function isLoopback(address: string): boolean {
  return LOOPBACK.check(address, isIPv6(address) ? 'ipv6' : 'ipv4');
}

/**
 * `--target URL`: an http:// or https:// server speaking the wire contract. Loopback unless
 * `allowRemote`, judged on every address the name resolves to, not on how it is spelled.
 */
export async function checkTarget(target: string, allowRemote: boolean): Promise<URL> {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw invalidOption('--target', target, 'an http:// or https:// URL such as http://127.0.0.1:8080');
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.pathname !== '/' || url.search !== '') {
    throw invalidOption(
      '--target',
      target,
      'an http:// or https:// URL of the server itself, such as http://127.0.0.1:8080',
    );
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: string[];
  try {
    addresses = (await lookup(host, { all: true })).map((entry) => entry.address);
  } catch (error) {
    throw invalidOption(
      '--target',
      target,
      `a host that resolves (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
  const remote = addresses.filter((address) => !isLoopback(address));
  if (remote.length > 0 && !allowRemote) {
    throw invalidOption(
      '--target',
      target,
      `a loopback address, or --allow-remote to load another machine (it resolves to ${remote.join(', ')})`,
    );
  }
  // Connect to the address that was checked, so a name that resolves differently later cannot move
  // the load (over TLS the certificate is still checked for the name given: RunOptions.targetTls).
  if (!allowRemote) url.hostname = isIPv6(addresses[0]!) ? `[${addresses[0]}]` : addresses[0]!;
  return url;
}
