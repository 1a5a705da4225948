// SSE through the browser's EventSource: id per message, retry, a named gap event, and its own reconnect.
import { byteLength, chunkBytes } from '/demo/shared.js';

export function start(panel, since) {
  const source = new EventSource(`/sse?since=${since}`);
  panel.bytesNote(
    'each event rebuilt from its id and data, with its chunk framing; EventSource shows the page neither the headers nor the retry line and heartbeat comments',
  );
  source.onopen = () => {
    panel.count('requests');
    panel.status('open: one response, streamed', 'live');
  };
  source.onmessage = (event) => {
    panel.count('bytes', chunkBytes(byteLength(`id: ${event.lastEventId}\ndata: ${event.data}\n\n`)));
    panel.message(JSON.parse(event.data));
  };
  source.addEventListener('gap', (event) => panel.gap(JSON.parse(event.data)));
  source.onerror = () => {
    const reconnecting = source.readyState === EventSource.CONNECTING;
    panel.status(reconnecting ? 'lost: the browser reconnects with Last-Event-ID' : 'closed by the server', 'down');
  };
}
