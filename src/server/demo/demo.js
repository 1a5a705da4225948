// The demo page: one panel per technique the server has, each driven by its technique's own
// script (/demo/NAME.js, from src/transports/NAME/demo.js) as a browser uses it.
const MESSAGES_SHOWN = 50;
const HISTORY_SHOWN = 10;

function createPanel(section) {
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
  // A technique whose start() returns { send } can publish on its own connection (WebSocket).
  let sender;
  for (const section of document.querySelectorAll('[data-transport]')) {
    const name = section.dataset.transport;
    const panel = createPanel(section);
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
