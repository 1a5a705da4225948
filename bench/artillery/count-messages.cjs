// Artillery counts WebSocket messages (websocket.messages_received) only while a send or wait
// step captures a reply, not while a user thinks: this counts every message the socket receives,
// under the same metric name, without parsing it.
module.exports = {
  countMessages(context, events, done) {
    context.ws.on('message', () => events.emit('counter', 'websocket.messages_received', 1));
    done();
  },
};
