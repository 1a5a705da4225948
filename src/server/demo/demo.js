// The four techniques as a browser uses them: plain fetch, EventSource and WebSocket.
const POLL_INTERVAL_MS = 1000;
const LONG_POLL_TIMEOUT_MS = 25000;
const RETRY_AFTER_FAILURE_MS = 2000;
const MESSAGES_SHOWN = 50;
const HISTORY_SHOWN = 10;

const encoder = new TextEncoder();
const byteLength = (text) => encoder.encode(text).length;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function createPanel(name) {
  const section = document.getElementById(`panel-${name}`);
  section.append(document.getElementById('panel-body').content.cloneNode(true));
  const field = (key) => section.querySelector(`[data-field="${key}"]`);
  const list = section.querySelector('.messages');
  const counts = { requests: 0, empty: 0, bytes: 0, messages: 0 };

  function addLine(text, className) {
    const item = document.createElement('li');
    item.textContent = text;
    if (className) item.className = className;
    list.prepend(item);
    while (list.children.length > MESSAGES_SHOWN) list.lastElementChild.remove();
  }

  return {
    count(key, amount = 1) {
      counts[key] += amount;
      field(key).textContent = counts[key].toLocaleString();
    },
    status(text, state = '') {
      const element = field('status');
      element.textContent = text;
      element.className = `status ${state}`;
    },
    message(envelope) {
      this.count('messages');
      addLine(`#${envelope.seq} ${envelope.data}${envelope.from ? `  (from ${envelope.from})` : ''}`);
    },
    gap(gap) {
      addLine(`gap: #${gap.from}–#${gap.to} left the ring before this client read them`, 'gap');
    },
    disable() {
      section.classList.add('disabled');
      this.status('not served by this server (see --transport)');
    },
  };
}

/** Shows a poll answer (gap marker first, then envelopes) and returns the new cursor. */
function showBatch(panel, batch, cursor) {
  for (const item of batch) {
    if (item.gap) {
      panel.gap(item.gap);
      cursor = Math.max(cursor, item.gap.to);
    } else {
      panel.message(item);
      cursor = Math.max(cursor, item.seq);
    }
  }
  return cursor;
}

async function readBatch(panel, response, cursor) {
  const text = await response.text();
  panel.count('bytes', byteLength(text));
  return showBatch(panel, JSON.parse(text), cursor);
}

function startShortPolling(panel, since) {
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

async function startLongPolling(panel, since) {
  let cursor = since;
  for (;;) {
    panel.count('requests');
    panel.status('waiting: the server holds this request until something happens', 'live');
    try {
      const response = await fetch(`/long-poll?since=${cursor}&timeout=${LONG_POLL_TIMEOUT_MS}`, { cache: 'no-store' });
      if (response.status === 204) {
        panel.count('empty');
      } else if (response.ok) {
        cursor = await readBatch(panel, response, cursor);
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

function startSse(panel, since) {
  const source = new EventSource(`/sse?since=${since}`);
  source.onopen = () => {
    panel.count('requests');
    panel.status('open: one response, streamed', 'live');
  };
  source.onmessage = (event) => {
    panel.count('bytes', byteLength(`id: ${event.lastEventId}\ndata: ${event.data}\n\n`));
    panel.message(JSON.parse(event.data));
  };
  source.addEventListener('gap', (event) => panel.gap(JSON.parse(event.data)));
  source.onerror = () => {
    const reconnecting = source.readyState === EventSource.CONNECTING;
    panel.status(reconnecting ? 'lost: the browser reconnects with Last-Event-ID' : 'closed by the server', 'down');
  };
}

function startWebSocket(panel, since) {
  let cursor = since;
  let socket;
  function connect() {
    const url = new URL(`/ws?since=${cursor}`, location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    socket = new WebSocket(url);
    socket.onopen = () => {
      panel.count('requests');
      panel.status('open: frames both ways on one connection', 'live');
    };
    socket.onmessage = (event) => {
      panel.count('bytes', byteLength(event.data));
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

async function publishOverHttp(data) {
  const response = await fetch('/publish', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data, from: 'page' }),
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error?.message ?? `answer ${response.status}`);
  return `published as #${answer.seq}`;
}

async function main() {
  const stats = await (await fetch('/stats', { cache: 'no-store' })).json();
  const since = Math.max(0, (stats.channels.default?.lastSeq ?? 0) - HISTORY_SHOWN);
  const starters = {
    'short-polling': startShortPolling,
    'long-polling': startLongPolling,
    sse: startSse,
    websocket: startWebSocket,
  };
  let webSocket;
  for (const [name, start] of Object.entries(starters)) {
    const panel = createPanel(name);
    if (!stats.transports.includes(name)) panel.disable();
    else if (name === 'websocket') webSocket = start(panel, since);
    else start(panel, since);
  }

  const form = document.getElementById('publish-form');
  const input = document.getElementById('publish-data');
  const status = document.getElementById('publish-status');
  document.getElementById('publish-ws').disabled = webSocket === undefined;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = input.value;
    try {
      if (event.submitter?.value === 'ws') {
        webSocket.send(data);
        status.textContent = 'sent on the WebSocket';
      } else {
        status.textContent = await publishOverHttp(data);
      }
      input.value = '';
    } catch (error) {
      status.textContent = `not published: ${error.message}`;
    }
  });
}

main();
