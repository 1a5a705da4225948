// WebSocket: the server pushes each message as a frame; what the page sends on the socket comes back as an echo.
import { byteLength, frameBytes, RETRY_AFTER_FAILURE_MS, showBatch } from '/demo/shared.js';

export function start(panel, since) {
  let cursor = since;
  let socket;
  panel.bytesNote(
    'frames: each payload with its 2\u201310 byte frame header, worked out from the payload\u2019s length; the upgrade\u2019s headers are not shown to the page',
  );
  function connect() {
    const url = new URL(`/ws?since=${cursor}`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url);
    socket.onopen = () => {
      panel.count('requests');
      panel.status('open: frames both ways on one connection', 'live');
    };
    socket.onmessage = (event) => {
      panel.count('bytes', frameBytes(byteLength(event.data)));
      const message = JSON.parse(event.data);
      if (message.type === 'error') panel.status(`server: ${message.error.message}`, 'down');
      else cursor = showBatch(panel, [message], cursor);
    };
    socket.onclose = () => {
      panel.status(`closed: reconnecting from #${cursor} in ${RETRY_AFTER_FAILURE_MS / 1000} s`, 'down');
      setTimeout(connect, RETRY_AFTER_FAILURE_MS);
    };
  }
  connect();
  return {
    send(data) {
      if (socket.readyState !== WebSocket.OPEN) throw new Error('the WebSocket is not open');
      socket.send(JSON.stringify({ type: 'publish', data, from: 'page over WebSocket' }));
    },
  };
}
