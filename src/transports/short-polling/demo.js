// Short polling as a browser does it: a timed fetch loop where 204 means "nothing new".
import { readBatch } from '/demo/shared.js';

const POLL_INTERVAL_MS = 1000;

export function start(panel, since) {
  let cursor = since;
  async function poll() {
    panel.count('requests');
    try {
      const response = await fetch(`/poll?since=${cursor}`, { cache: 'no-store' });
      if (response.status === 204) {
        panel.count('empty');
        panel.status('polling every second: last answer 204, nothing new', 'live');
      } else if (response.ok) {
        cursor = await readBatch(panel, response, cursor);
        panel.status('polling every second: last answer 200', 'live');
      } else {
        panel.status(`last answer ${response.status}`, 'down');
      }
    } catch (error) {
      panel.status(`request failed: ${error.message}`, 'down');
    }
    setTimeout(poll, POLL_INTERVAL_MS);
  }
  poll();
}
