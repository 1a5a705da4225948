import { existsSync } from 'node:fs';

/** CI installs Debian's nginx and its nchan module (.ci/run); only a developer machine without them may skip. */
export const nchanRunnable =
  (existsSync('/usr/sbin/nginx') && existsSync('/usr/lib/nginx/modules/ngx_nchan_module.so')) ||
  process.env.CI !== undefined;

/** CI installs Debian's nginx (.ci/run); only a developer machine without it may skip. */
export const nginxRunnable = existsSync('/usr/sbin/nginx') || process.env.CI !== undefined;
