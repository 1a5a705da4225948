// Long polling as a browser does it: a fetch the server holds until a message or its timeout, then re-issued.
import { RETRY_AFTER_FAILURE_MS, readAnswer, sleep } from '/demo/shared.js';

const LONG_POLL_TIMEOUT_MS = 25000;

export async function start(panel, since) {
  let cursor = since;
  panel.bytesNote(
    'answers\u2019 status lines, headers and bodies, 204s included; the request headers the browser sends are not shown to the page',
  );
  for (;;) {
    panel.count('requests');
    panel.status('waiting: the server holds this request until something happens', 'live');
    try {
      const response = await fetch(`/long-poll?since=${cursor}&timeout=${LONG_POLL_TIMEOUT_MS}`, { cache: 'no-store' });
      if (response.status === 204) panel.count('empty');
      if (response.ok) {
        cursor = await readAnswer(panel, response, cursor);
      } else {
        panel.status(`last answer ${response.status}; retrying`, 'down');
        await sleep(RETRY_AFTER_FAILURE_MS);
      }
    } catch (error) {
      panel.status(`request failed: ${error.message}; retrying`, 'down');
      await sleep(RETRY_AFTER_FAILURE_MS);
    }
  }
}
