import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** Pids whose parent is `pid`, read from the process table. */
export function childrenOf(pid: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return /^PPid:\s+(\d+)$/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1] === String(pid);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** The command line of `pid`, arguments joined by spaces; '' once it has gone. */
export function commandLineOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/**
 * Children of `pid` that run Node: its reference servers and generator workers. A run also starts
 * short-lived helpers (taskset pinning it), which must not be taken for the server.
 */
export function nodeChildrenOf(pid: number): number[] {
  return childrenOf(pid).filter((child) => commandLineOf(child).startsWith(process.execPath));
}

/** The reference server `im-bench run` (or capacity) started, or 0 while there is none. */
export function serverChildOf(pid: number): number {
  return nodeChildrenOf(pid).find((child) => / serve( |$)/.test(commandLineOf(child))) ?? 0;
}

/**
 * Running processes whose working folder is a temporary prefix im-bench made for a profile's
 * server (`im-bench-NAME-…`): nginx's master and workers keep it, whatever their titles say.
 */
export function processesInPrefixOf(profile: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((entry) => {
      try {
        return readlinkSync(`/proc/${entry}/cwd`).includes(`/im-bench-${profile}-`) && isRunning(Number(entry));
      } catch {
        return false;
      }
    })
    .map(Number);
}

export function isRunning(pid: number): boolean {
  try {
    // A zombie still has a /proc entry; it is not running.
    return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}

/** The TCP ports `pid` listens on, from its socket descriptors and the kernel's socket tables. */
export function listeningPortsOf(pid: number): number[] {
  const inodes = new Set<string>();
  try {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const inode = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`))?.[1];
        if (inode !== undefined) inodes.add(inode);
      } catch {
        // The descriptor closed while we looked.
      }
    }
  } catch {
    return [];
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // fields: sl, local address:port, remote, state (0A = LISTEN), ..., inode at index 9
      if (fields[3] === '0A' && inodes.has(fields[9] ?? '')) ports.push(Number.parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** What a test waits for in a reference server's `GET /stats`. */
interface StatsSeen {
  published?: number;
  requests?: Record<string, number>;
}

/**
 * Waits until the reference server `server` (a pid; its port is found from its sockets) answers
 * `GET /stats` with figures that satisfy `ready`: progress a loaded machine may take long to make.
 */
export async function waitForStats(server: number, ready: (stats: StatsSeen) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    for (const port of listeningPortsOf(server)) {
      const stats = await fetch(`http://127.0.0.1:${port}/stats`)
        .then((response) => response.json() as Promise<StatsSeen>)
        .catch(() => undefined);
      if (stats !== undefined && ready(stats)) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out after 15000 ms waiting for ${what}`);
}

/** In a run with no warm-up, the measurement window is open once the server has published a few messages. */
export function waitForWindowOpen(server: number): Promise<void> {
  return waitForStats(server, (stats) => (stats.published ?? 0) >= 2, 'the measurement window to open');
}
