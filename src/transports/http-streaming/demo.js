// HTTP streaming as a browser does it: one fetch whose body is read as it arrives, a JSON message per line.
import { byteLength, chunkBytes, headBytes, RETRY_AFTER_FAILURE_MS, showBatch, sleep } from '/demo/shared.js';

export async function start(panel, since) {
  let cursor = since;
  const decoder = new TextDecoder();
  panel.bytesNote(
    'the answer\u2019s status line and headers, then each line with its chunk framing (one chunk per line, as this server writes them); the request headers are not shown to the page',
  );
  for (;;) {
    try {
      const response = await fetch(`/stream?since=${cursor}`, { cache: 'no-store' });
      panel.count('requests');
      panel.count('bytes', headBytes(response));
      if (!response.ok) throw new Error(`answer ${response.status}`);
      panel.status('open: one response, read as it streams', 'live');
      const reader = response.body.getReader();
      let partial = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const text = partial + decoder.decode(value, { stream: true });
        const lines = text.split('\n');
        partial = lines.pop();
        for (const line of lines) {
          if (line.trim() === '') continue;
          panel.count('bytes', chunkBytes(byteLength(line) + 1));
          cursor = showBatch(panel, [JSON.parse(line)], cursor);
        }
      }
      panel.status(`ended: asking again from #${cursor}`, 'down');
    } catch (error) {
      panel.status(`stream failed: ${error.message}; asking again from #${cursor}`, 'down');
    }
    await sleep(RETRY_AFTER_FAILURE_MS);
  }
}
