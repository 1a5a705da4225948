// Short polling as a browser does it: a timed fetch loop where 204 means "nothing new".
import { readAnswer } from '/demo/shared.js';

const POLL_INTERVAL_MS = 1000;

export function start(panel, since) {
  let cursor = since;
  panel.bytesNote(
    'answers\u2019 status lines, headers and bodies, 204s included; the request headers the browser sends are not shown to the page',
  );
  async function poll() {
    panel.count('requests');
    try {
      const response = await fetch(`/poll?since=${cursor}`, { cache: 'no-store' });
      if (response.status === 204) panel.count('empty');
      if (response.ok) {
        cursor = await readAnswer(panel, response, cursor);
        panel.status(
          `polling every second: last answer ${response.status}${response.status === 204 ? ', nothing new' : ''}`,
          'live',
        );
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
