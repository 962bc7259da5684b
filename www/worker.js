// The scoring worker. It owns both files and runs zipfit-core (compiled to Wasm) on a
// rayon pool of Web Workers; the page only renders. Messages: see src/protocol.rs and
// src/bridge.rs. Scoring runs in batches of about BATCH_SECONDS so that progress is
// reported and a cancel request is seen between batches.
import init, { Session, initThreadPool, thread_count } from './zipfit-web.js';

const BATCH_SECONDS = 0.1;
let session = null;
let cancelRequested = false;

// Lets queued messages (a cancel request) in between batches. A message to ourselves
// rather than setTimeout(0), which browsers delay by at least 4 ms once nested.
const yieldChannel = new MessageChannel();
const yieldToMessages = () => new Promise((resolve) => {
  yieldChannel.port1.onmessage = () => resolve();
  yieldChannel.port2.postMessage(null);
});

async function score({ compressor, level }) {
  cancelRequested = false;
  const total = session.prepare(compressor, level);
  const targets = session.target_count();
  const started = performance.now();
  let done = 0;
  let batch = 8;
  while (done < total) {
    const t0 = performance.now();
    const before = done;
    done = session.score_batch(batch);
    const seconds = (performance.now() - t0) / 1000;
    // Aim each batch at BATCH_SECONDS, growing or shrinking at most fourfold.
    const perRecord = seconds / Math.max(1, done - before);
    batch = Math.max(1, Math.round(Math.min(batch * 4, Math.max(batch / 4, BATCH_SECONDS / Math.max(perRecord, 1e-7)))));
    postMessage({ type: 'progress', done, total, pairs: done * targets, seconds: (performance.now() - started) / 1000 });
    await yieldToMessages();
    if (cancelRequested) {
      postMessage({ type: 'cancelled' });
      return;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  const scores = session.finish();
  const order = session.order();
  const tokens = session.tokens();
  postMessage(
    { type: 'scored', scores, order, tokens, seconds, pairs: total * targets },
    [scores.buffer, order.buffer, tokens.buffer],
  );
}

async function handle(message) {
  switch (message.type) {
    case 'init':
      await init();
      await initThreadPool(message.threads);
      session = new Session();
      postMessage({ type: 'ready', threads: thread_count() });
      break;
    case 'load':
      postMessage({
        type: 'file',
        summary: session.load(message.role, message.name, new Uint8Array(message.bytes), message.field, message.skipBad),
      });
      break;
    case 'read':
      postMessage({ type: 'file', summary: session.read(message.role, message.field, message.skipBad) });
      break;
    case 'score':
      await score(message);
      break;
    case 'rows':
      postMessage({ type: 'rows', rows: session.rows(message.start, message.count) });
      break;
    case 'text':
      postMessage({ type: 'text', index: message.index, text: session.text(message.index) });
      break;
    case 'groups':
      postMessage({ type: 'groups', groups: session.groups(message.field) });
      break;
    case 'export': {
      const bytes = session.export(message.kind, message.count, message.inputOrder);
      postMessage({ type: 'download', name: message.name, bytes }, [bytes.buffer]);
      break;
    }
    default:
      throw new Error(`unknown message ${message.type}`);
  }
}

// Messages are handled one at a time, in order; only a cancel request jumps the queue.
let queue = Promise.resolve();
self.onmessage = ({ data }) => {
  if (data.type === 'cancel') {
    cancelRequested = true;
    return;
  }
  queue = queue
    .then(() => handle(data))
    .catch((error) => postMessage({ type: 'error', message: String(error?.message ?? error) }));
};
