import { type Stats, statfsSync } from 'node:fs';
import { sep } from 'node:path';

/** What a path that is not a regular file is, in words: `a folder`, `a named pipe`. */
export function fileKind(stats: Stats): string {
  if (stats.isFile()) return 'a regular file';
  if (stats.isDirectory()) return 'a folder';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * statfs(2) types of the kernel's pseudo filesystems: their "files" are the system's state and
 * knobs, never storage for a report or a journal.
 */
const PSEUDO_FILESYSTEMS = new Map<number, string>([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
  [0x1cd1, 'devpts'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x74726163, 'tracefs'],
  [0x73636673, 'securityfs'],
  [0xcafe4a11, 'bpf'],
  [0x6165676c, 'pstore'],
  [0x62656570, 'configfs'],
  [0xde5e81e4, 'efivarfs'],
  [0x65735543, 'fusectl'],
  [0x19800202, 'mqueue'],
  [0x42494e4d, 'binfmt_misc'],
  [0xf97cff8c, 'selinuxfs'],
  [0x6e736673, 'nsfs'],
]);

/** The name of the kernel pseudo filesystem `path` is on (`proc`, `sysfs`…), or undefined for storage. Throws as statfs does. */
export function pseudoFilesystemOf(path: string): string | undefined {
  return PSEUDO_FILESYSTEMS.get(statfsSync(path).type);
}

/** Folders that hold the system's devices and state, never files of ours; /dev/shm is ordinary memory-backed storage. */
const SYSTEM_FOLDERS = ['/proc', '/sys', '/dev'];
const FILE_FOLDERS_UNDER_SYSTEM = ['/dev/shm'];

function within(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder + sep);
}

/** The system folder (`/dev`, `/proc`, `/sys`) a real path is in, or undefined. */
export function systemFolderOf(realPath: string): string | undefined {
  const system = SYSTEM_FOLDERS.find((root) => within(realPath, root));
  return system !== undefined && !FILE_FOLDERS_UNDER_SYSTEM.some((root) => within(realPath, root)) ? system : undefined;
}
