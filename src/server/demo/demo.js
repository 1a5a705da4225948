// The demo page: one panel per technique the server has, each driven by its technique's own
// script (/demo/NAME.js, from src/transports/NAME/demo.js) as a browser uses it.
const MESSAGES_SHOWN = 50;
const HISTORY_SHOWN = 10;

/**
 * When this page published each of its messages, on the page's own clock. A message is known by
 * its data and sender until its first arrival tells its seq (over the WebSocket the page never
 * learns the seq, and over HTTP the message can arrive before the answer to the publish).
 */
function createPublishTimes() {
  const pending = [];
  const bySeq = new Map();
  return {
    sent(data, from) {
      pending.push({ data, from, at: performance.now() });
    },
    /** When the page published this envelope, or undefined for a message it did not publish. */
    publishedAt(envelope) {
      if (bySeq.has(envelope.seq)) return bySeq.get(envelope.seq);
      const index = pending.findIndex((entry) => entry.data === envelope.data && entry.from === envelope.from);
      if (index === -1) return undefined;
      const [{ at }] = pending.splice(index, 1);
      bySeq.set(envelope.seq, at);
      return at;
    },
  };
}

const formatMs = (ms) => `${ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms`;

function createPanel(section, publishTimes) {
  section.append(document.getElementById('panel-body').content.cloneNode(true));
  const field = (key) => section.querySelector(`[data-field="${key}"]`);
  const list = section.querySelector('.messages');
  const counts = { requests: 0, empty: 0, bytes: 0, messages: 0 };
  const delays = { sum: 0, count: 0 };

  function addLine(text, className, delayMs) {
    const item = document.createElement('li');
    item.textContent = text;
    if (className) item.className = className;
    if (delayMs !== undefined) {
      const delay = document.createElement('span');
      delay.className = 'delay';
      delay.textContent = `+${formatMs(delayMs)}`;
      item.append(delay);
    }
    list.prepend(item);
    while (list.children.length > MESSAGES_SHOWN) list.lastElementChild.remove();
  }

  function addDelay(ms) {
    delays.sum += ms;
    delays.count += 1;
    const element = field('delay');
    const mean = delays.sum / delays.count;
    element.dataset.meanMs = String(mean);
    element.textContent = `${formatMs(mean)} mean of ${delays.count} · last ${formatMs(ms)}`;
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
      const arrived = performance.now();
      const published = publishTimes.publishedAt(envelope);
      const delayMs = published === undefined ? undefined : arrived - published;
      this.count('messages');
      if (delayMs !== undefined) addDelay(delayMs);
      addLine(`#${envelope.seq} ${envelope.data}${envelope.from ? `  (from ${envelope.from})` : ''}`, '', delayMs);
    },
    /** What this panel's byte count includes, and what the browser keeps from the page. */
    bytesNote(text) {
      field('bytes-note').textContent = `Bytes in: ${text}.`;
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

async function publishOverHttp(data, publishTimes) {
  publishTimes.sent(data, 'page');
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
  // A technique whose start() returns { send } can publish on its own connection (WebSocket).
  let sender;
  const publishTimes = createPublishTimes();
  for (const section of document.querySelectorAll('[data-transport]')) {
    const name = section.dataset.transport;
    const panel = createPanel(section, publishTimes);
    if (!stats.transports.includes(name)) {
      panel.disable();
      continue;
    }
    const { start } = await import(`/demo/${name}.js`);
    const started = start(panel, since);
    if (typeof started?.send === 'function') sender ??= started;
  }

  const form = document.getElementById('publish-form');
  const input = document.getElementById('publish-data');
  const status = document.getElementById('publish-status');
  document.getElementById('publish-ws').disabled = sender === undefined;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const data = input.value;
    try {
      if (event.submitter?.value === 'ws') {
        sender.send(data);
        publishTimes.sent(data, 'page over WebSocket');
        status.textContent = 'sent on the WebSocket';
      } else {
        status.textContent = await publishOverHttp(data, publishTimes);
      }
      input.value = '';
    } catch (error) {
      status.textContent = `not published: ${error.message}`;
    }
  });
}

main();
