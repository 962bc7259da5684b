// The scoring worker. It owns both files and runs zipfit-core (compiled to Wasm) on a
// rayon pool of Web Workers; the page only renders. Messages: see src/protocol.rs and
// src/page/bridge.rs.
//
// The source is never read whole: it is streamed in PIECE-byte pieces into the session,
// which keeps per record only where its line is (src/worker/source.rs) and reads lines again
// from the File when scoring, the table or a download needs them (a .jsonl.gz file is
// decompressed as it streams into a scratch file, read back the same way). Scoring runs in
// batches of about BATCH_SECONDS so that progress is reported and a cancel request is
// seen between batches. Downloads are written in parts: to a file the user picked (its
// File System Access handle comes from the page), else to a scratch file in the origin's
// private file system, which the page then downloads (memory stays flat whatever the
// size), else, in browsers without either, into a Blob.
import init, { Session, initThreadPool, pairing, thread_count } from './zipfit-web.js';

const BATCH_SECONDS = 0.1;
const PIECE = 16 << 20;
const PART = 8 << 20;
const GZIP_PIECE = 4 << 20;
const SCRATCH = 'zipfit-download-';
const SOURCE_SCRATCH = 'zipfit-source-';
// Files for the per-record columns (src/worker/column.rs), named after a lock this worker
// holds while it lives; kept this many ahead of need.
const COLUMNS = 'zipfit-columns-';
const SPARE_COLUMNS = 12;
// Every run is stored as it is scored, one file per run in this folder of the origin's
// private file system (see src/worker/stored.rs), so that a reload or a crash loses no
// finished batch: dropping the same files again brings finished runs back and offers to
// resume an interrupted one.
const RUNS = 'zipfit-runs';
let session = null;
// Resolves once the module is loaded: what a playground request needs, and all it needs.
let moduleLoaded;
const moduleReady = new Promise((resolve) => { moduleLoaded = resolve; });
let cancelRequested = false;
let source = null; // { file, name }
let target = null; // { file, name }
// What token budgets count: the last counter the session took, to give again to a new
// session after a trap ({ kind, fileName, bytes }).
let counter = null;
// OpenAI's encodings, fetched from the page's own origin when first chosen and kept then
// in a cache of their own for offline use. Their files never change (tiktoken checks them
// by a fixed SHA-256), so the cache needs no version; the service worker keeps it.
const ENCODINGS = ['cl100k_base', 'o200k_base'];
const ENCODINGS_CACHE = 'zipfit-encodings';
// Counts source files handed over; a read in progress stops when a newer one arrives.
let sourceGeneration = 0;

// Lets queued messages (a cancel request) in between batches. A message to ourselves
// rather than setTimeout(0), which browsers delay by at least 4 ms once nested.
const yieldChannel = new MessageChannel();
const yieldToMessages = () => new Promise((resolve) => {
  yieldChannel.port1.onmessage = () => resolve();
  yieldChannel.port2.postMessage(null);
});

// Frees a buffer's memory now rather than at the next garbage collection, which may
// come only after gigabytes of reads (see release() in src/worker/memory.rs).
const release = (buffer) => buffer.transfer?.(0);

const isGzip = async (file) => {
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  return head[0] === 0x1f && head[1] === 0x8b;
};

// Parquet is recognised by its magic bytes, whatever the file's name.
const isParquet = async (file) => {
  const head = new TextDecoder().decode(await file.slice(0, 4).arrayBuffer());
  return head === 'PAR1';
};

// The source's summary, or null when a newer source replaced it while it was read. A
// source is one or more files (a dataset's shards), read one after the other as one
// source, each by its content: JSONL, .jsonl.gz or Parquet.
async function readSource(field, skipBad) {
  const { files, name } = source;
  Object.assign(source, { field, skipBad }); // for recover()
  const generation = sourceGeneration;
  const gzip = [];
  for (const entry of files) gzip.push(!entry.plain && await isGzip(entry.file));
  if (files.length === 1 && gzip[0] && typeof FileSystemSyncAccessHandle === 'undefined') {
    return readGzipInMemory(files[0].file, files[0].name, field, skipBad);
  }
  const total = files.reduce((sum, entry) => sum + entry.file.size, 0);
  let before = 0; // bytes of the files before the one being read
  const progress = (done) => postMessage({ type: 'reading', role: 'source', done: before + done, total });
  session.source_begin(name, field, skipBad);
  for (let k = 0; k < files.length; k += 1) {
    const entry = files[k];
    const { size } = entry.file; // a .jsonl.gz entry's file becomes the decompressed one
    let going;
    try {
      if (gzip[k]) {
        if (typeof FileSystemSyncAccessHandle === 'undefined') {
          throw new Error(`${entry.name}: this browser cannot decompress a source of several files; decompress the .jsonl.gz files and open the .jsonl files instead`);
        }
        going = await readGzip(entry, progress, generation);
      } else if (await isParquet(entry.file)) {
        going = await readParquet(entry, progress, generation);
      } else {
        going = await readJsonl(entry, progress, generation);
      }
    } catch (error) {
      if (!(error instanceof WebAssembly.RuntimeError)) throw error;
      source = null;
      return recover('source', entry.name);
    }
    if (going === null) return null;
    before += size;
    if (!going) break;
  }
  return session.source_end();
}

// One JSONL file of the source, streamed in pieces. False once a bad line stopped the
// read; null when a newer source replaced it.
async function readJsonl(entry, progress, generation) {
  const { file, name } = entry;
  session.source_file(file, name, 'jsonl');
  let going = true;
  for (let at = 0; at < file.size && going; at += PIECE) {
    const piece = new Uint8Array(await file.slice(at, at + PIECE).arrayBuffer());
    if (generation !== sourceGeneration) return null;
    going = session.source_scan(piece);
    release(piece.buffer);
    progress(at + piece.length);
  }
  session.source_file_end(file);
  return going;
}

// A Parquet file is read by range by the session itself: its footer, then one row group
// at a time (only the text column's chunks), reporting progress after each.
async function readParquet(entry, progress, generation) {
  const { file, name } = entry;
  const groups = session.source_file(file, name, 'parquet');
  let going = groups > 0;
  for (let group = 0; group < groups && going; group += 1) {
    going = session.source_parquet_scan(group);
    progress(Math.round(file.size * (group + 1) / groups));
    await yieldToMessages();
    if (generation !== sourceGeneration) return null;
  }
  session.source_file_end(file);
  return going;
}

// After the module stopped on a file (a panic inside the Parquet reader, which Wasm
// cannot catch): a new session, the other input read into it again, and the file that
// stopped it reported as unreadable.
async function recover(role, name) {
  session = new Session();
  if (counter) session.set_counter(counter.kind, counter.fileName, counter.bytes);
  if (role === 'source' && target) {
    identify('target', target.files);
    await loadTarget(target.files, target.name, target.field, target.skipBad);
  }
  if (role === 'target' && source) {
    const summary = await readSource(source.field ?? '', source.skipBad ?? false);
    if (summary) postMessage({ type: 'file', summary });
  }
  return session.unreadable(role, name);
}

// Reads the target set, its files whole (targets are a small set of examples).
async function loadTarget(files, name, field, skipBad) {
  session.target_begin();
  for (const { file, name: fileName } of files) {
    session.target_file(fileName, new Uint8Array(await file.arrayBuffer()));
  }
  return session.target_end(name, field, skipBad);
}

// Identifies an input's files for stored runs (see src/worker/stored.rs).
function identify(role, files) {
  session.identify(role, files.map((f) => f.file), files.map((f) => f.name), files.map((f) => f.file.lastModified ?? 0));
}

// A compressed file cannot be read again by range, so it is decompressed, as it streams,
// into a scratch file of its own in the origin's private file system, and read back from
// there. Once whole, the entry reads that file instead (another field, skip bad lines);
// a read that stopped early (at a bad line) decompresses the file again.
async function readGzip(entry, progress, generation) {
  const { file, name } = entry;
  // A read that stopped early left a scratch file: this read replaces it.
  if (entry.scratch) await dropSourceScratch(entry.scratch);
  const scratch = await newSourceScratch();
  entry.scratch = scratch;
  const access = await scratch.handle.createSyncAccessHandle();
  let written = 0;
  let whole = true;
  let going = true;
  let buffer = new Uint8Array(0);
  try {
    session.source_file(file, name, 'gzip');
    for (let at = 0; at < file.size; at += GZIP_PIECE) {
      const piece = new Uint8Array(await file.slice(at, at + GZIP_PIECE).arrayBuffer());
      if (generation !== sourceGeneration) return null;
      going = session.source_inflate(piece);
      release(piece.buffer);
      // Copied out of the module's (shared) memory into one reused buffer: see download().
      const out = session.inflated();
      if (out.length > buffer.length) buffer = new Uint8Array(Math.ceil(out.length * 1.5));
      buffer.set(out);
      try {
        access.write(buffer.subarray(0, out.length), { at: written });
      } catch (error) {
        throw new Error(`${name}: cannot decompress it into the browser's storage (${error.message ?? error}); decompress the file and open the .jsonl instead`);
      }
      written += out.length;
      progress(at + piece.length);
      if (!going) {
        whole = at + piece.length >= file.size;
        break;
      }
    }
    access.flush();
  } finally {
    access.close();
  }
  const decompressed = await scratch.handle.getFile();
  session.source_file_end(decompressed);
  if (whole) Object.assign(entry, { file: decompressed, plain: true });
  return going;
}

// Browsers without synchronous access to the private file system: decompressed in memory.
async function readGzipInMemory(file, name, field, skipBad) {
  postMessage({ type: 'reading', role: 'source', done: 0, total: file.size });
  const bytes = new Uint8Array(await file.arrayBuffer());
  return session.source_gzip(name, bytes, field, skipBad);
}

// The scratch files of decompressed source files. While this worker may read one, it
// holds a lock named after the file; a worker that starts removes the scratch files whose
// lock nobody holds (their tab is gone). A new source frees the previous one's files.
let sourceScratches = [];
async function newSourceScratch() {
  const name = `${SOURCE_SCRATCH}${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const unlock = await new Promise((locked) => {
    navigator.locks.request(name, () => new Promise((unlocked) => locked(unlocked)));
  });
  const root = await navigator.storage.getDirectory();
  const scratch = { name, unlock, handle: await root.getFileHandle(name, { create: true }) };
  sourceScratches.push(scratch);
  return scratch;
}

async function dropSourceScratch(scratch) {
  sourceScratches = sourceScratches.filter((s) => s !== scratch);
  scratch.unlock();
  const root = await navigator.storage.getDirectory();
  await root.removeEntry(scratch.name).catch(() => {});
}

async function dropSourceScratches() {
  for (const scratch of [...sourceScratches]) await dropSourceScratch(scratch);
}

// Keeps SPARE_COLUMNS empty files at the session's hand for new columns. Where the
// browser has no synchronous access handles, columns stay in memory.
let columns = null; // { lock, made }
async function topUpColumns() {
  if (!session || !canStore() || session.spare_column_files() >= SPARE_COLUMNS) return;
  if (!columns) {
    const lock = `${COLUMNS}${Date.now()}-${Math.random().toString(36).slice(2)}`;
    await new Promise((locked) => {
      navigator.locks.request(lock, () => new Promise(() => locked()));
    });
    columns = { lock, made: 0 };
  }
  const root = await navigator.storage.getDirectory();
  while (session.spare_column_files() < SPARE_COLUMNS) {
    const handle = await root.getFileHandle(`${columns.lock}-${columns.made}`, { create: true });
    columns.made += 1;
    const access = await handle.createSyncAccessHandle();
    access.truncate(0);
    session.add_column_file(access);
  }
}

const canStore = () => typeof FileSystemSyncAccessHandle !== 'undefined'
  && Boolean(navigator.storage?.getDirectory);
const runsFolder = async () => (await navigator.storage.getDirectory())
  .getDirectoryHandle(RUNS, { create: true });

// The stored file of the run being scored: { name, access, written }, where `written`
// bytes are the header and whole batches.
let storing = null;

// Opens the stored file of the run just prepared: a new one, or with `resume` the file of
// an interrupted run, which the session continues from. Returns the steps already done.
async function openStored(resume) {
  const header = session.stored_header();
  if (!canStore() || header.length === 0) {
    if (resume) throw new Error('this browser cannot keep runs, so none can be resumed');
    return 0;
  }
  const folder = await runsFolder();
  if (resume) {
    const handle = await folder.getFileHandle(resume);
    await readStored(resume, await handle.getFile());
    const { done, good } = session.resume_end();
    const access = await handle.createSyncAccessHandle();
    access.truncate(good); // a batch cut short by a crash is scored again
    access.flush();
    storing = { name: resume, access, written: good };
    return done;
  }
  const name = `run-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.jsonl`;
  try {
    const handle = await folder.getFileHandle(name, { create: true });
    storing = { name, access: await handle.createSyncAccessHandle(), written: 0 };
  } catch (error) {
    storageFailed(error);
    return 0;
  }
  store(header);
  return 0;
}

// Reads the stored run `name` (its `file`) into the session a piece at a time, however
// large it is; the session then restores or resumes it.
async function readStored(name, file) {
  const head = new Uint8Array(await file.slice(0, 1 << 20).arrayBuffer());
  const from = session.stored_begin(name, head);
  release(head.buffer);
  for (let at = from; at < file.size; at += PIECE) {
    const piece = new Uint8Array(await file.slice(at, at + PIECE).arrayBuffer());
    session.stored_piece(piece);
    release(piece.buffer);
  }
}

// Adds `bytes` (a header or whole batches) to the stored run, on disk when this returns.
// When the storage is full, the file is cut back to its last whole batch and this run is
// no longer stored: scoring goes on, and nothing stored before is lost.
function store(bytes) {
  if (!storing || bytes.length === 0) return;
  try {
    storing.access.write(bytes, { at: storing.written });
    storing.access.flush();
    storing.written += bytes.length;
  } catch (error) {
    try {
      storing.access.truncate(storing.written);
      storing.access.flush();
    } catch { /* the file keeps a torn line, which reading it drops */ }
    const { name, written } = storing;
    closeStored();
    // Not even its header fitted: nothing of this run is kept.
    if (written === 0) runsFolder().then((folder) => folder.removeEntry(name)).catch(() => {});
    storageFailed(error);
  }
}

function closeStored() {
  storing?.access.close();
  storing = null;
}

function storageFailed(error) {
  const full = error?.name === 'QuotaExceededError';
  postMessage({
    type: 'storageError',
    message: full
      ? "The browser's storage for this page is full, so this run is no longer being kept "
        + '(the batches kept so far stay). Forget stored runs you no longer need to make room.'
      : `This run cannot be kept in the browser's storage: ${error?.message ?? error}`,
  });
}

// Every stored run, oldest first, as the page lists it: { id, bytes, label, source,
// target, records, current } (current: it scored the files as they are read now).
async function storedRuns() {
  if (!canStore()) return [];
  const folder = await runsFolder();
  const runs = [];
  for await (const [id, handle] of folder.entries()) {
    if (handle.kind !== 'file') continue;
    const file = await handle.getFile();
    const head = new Uint8Array(await file.slice(0, 1 << 20).arrayBuffer());
    const described = session.describe_stored(head);
    if (described) runs.push({ id, bytes: file.size, ...described });
  }
  return runs.sort((a, b) => a.id.localeCompare(b.id, 'en', { numeric: true }));
}

// How many records each stored run had scored when this worker last read or wrote it, by
// id: what the list says of the current files' runs (finished, or how far they got).
const storedDone = new Map();

// Tells the page what is stored: the runs, their total size and the origin's quota.
async function postStorage(runs) {
  for (const run of runs) {
    if (run.current && run.done === undefined && storedDone.has(run.id)) run.done = storedDone.get(run.id);
  }
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  postMessage({
    type: 'storage',
    runs,
    bytes: runs.reduce((sum, run) => sum + run.bytes, 0),
    quota: estimate?.quota ?? 0,
  });
}

// Once both files are read: every finished stored run over them comes back (without
// scoring), and interrupted ones are offered to resume (`done` of `records` scored).
async function restoreStored() {
  const runs = await storedRuns();
  const folder = runs.length > 0 ? await runsFolder() : null;
  for (const run of runs.filter((r) => r.current)) {
    try {
      await readStored(run.id, await (await folder.getFileHandle(run.id)).getFile());
      const restored = session.restore_end();
      run.done = restored.done;
      storedDone.set(run.id, restored.done);
      if (restored.done === restored.records) {
        postMessage({ type: 'restored', id: run.id, method: restored.method, records: restored.records });
      }
    } catch (error) {
      run.problem = String(error?.message ?? error);
    }
  }
  await postStorage(runs);
}

async function forget({ id }) {
  if (canStore()) {
    const folder = await runsFolder();
    const ids = id ? [id] : (await storedRuns()).map((run) => run.id);
    for (const name of ids) {
      if (storing?.name === name) closeStored();
      await folder.removeEntry(name).catch(() => {});
    }
  }
  await postStorage(await storedRuns());
}

async function score({ compressor, level, stability, label, resume }) {
  cancelRequested = false;
  // Steps: one per record per pass (DSIR counts the source's n-grams, then scores).
  const steps = session.prepare(compressor, level, stability, label);
  const records = session.source_records();
  const targets = session.target_count();
  let done = await openStored(resume);
  const storedName = storing?.name;
  const resumed = done;
  const started = performance.now();
  try {
    done = await scoreBatches(steps, done, 8, records, targets, started);
  } finally {
    closeStored();
  }
  // Records scored: DSIR's first pass (counting) stores no scores.
  if (storedName) storedDone.set(storedName, Math.max(0, Math.min(records, done - (steps - records))));
  if (done < steps) {
    postMessage({ type: 'cancelled' });
    await postStorage(await storedRuns());
    return;
  }
  const seconds = (performance.now() - started) / 1000;
  // The scores stay here: the page asks for what it draws (cut, rows, figures).
  session.finish();
  const pairs = (records - Math.min(resumed, records)) * targets;
  postMessage({ type: 'scored', records, seconds, pairs, resumed });
  await postStorage(await storedRuns());
}

// Scores batch after batch, storing each before it counts as done; returns the steps
// done (fewer than `steps` when cancelled).
async function scoreBatches(steps, done, batch, records, targets, started) {
  const first = done;
  while (done < steps) {
    const t0 = performance.now();
    const before = done;
    done = session.score_batch(batch);
    store(session.stored_line());
    const seconds = (performance.now() - t0) / 1000;
    // Aim each batch at BATCH_SECONDS, growing or shrinking at most fourfold.
    const perRecord = seconds / Math.max(1, done - before);
    batch = Math.max(1, Math.round(Math.min(batch * 4, Math.max(batch / 4, BATCH_SECONDS / Math.max(perRecord, 1e-7)))));
    const counting = steps > records && done <= records;
    const scored = counting ? done : done - (steps - records);
    postMessage({
      type: 'progress',
      done: counting ? done : scored,
      total: records,
      pairs: (scored - Math.min(first, scored)) * targets,
      seconds: (performance.now() - started) / 1000,
      label: steps > records ? (counting ? "counting the source's n-grams" : 'scoring') : '',
    });
    await yieldToMessages();
    if (cancelRequested) return done;
  }
  return done;
}

async function download({ kind, name, count, inputOrder, file }) {
  session.export_begin(kind, count, inputOrder);
  let written = 0;
  if (file) {
    const writer = (await file.createWritable()).getWriter();
    try {
      while (session.export_next(PART) > 0) {
        // A copy: the stream keeps the chunk past the next call into the session.
        const part = session.export_part().slice();
        await writer.write(part);
        written += part.length;
        release(part.buffer);
      }
      await writer.close();
    } catch (error) {
      await writer.abort(error).catch(() => {});
      throw error;
    }
    postMessage({ type: 'saved', name, bytes: written });
    return;
  }
  if (typeof FileSystemSyncAccessHandle !== 'undefined') {
    const handle = await (await navigator.storage.getDirectory())
      .getFileHandle(`${SCRATCH}${Date.now()}-${name}`, { create: true });
    const access = await handle.createSyncAccessHandle();
    // One buffer for every part: a write from the module's (shared) memory would make
    // the browser copy each part into new memory, which is collected only much later.
    const buffer = new Uint8Array(PART * 2);
    try {
      for (let length; (length = session.export_next(PART)) > 0;) {
        const part = length <= buffer.length ? buffer.subarray(0, length) : new Uint8Array(length);
        part.set(session.export_part());
        access.write(part, { at: written });
        written += length;
      }
      access.flush();
    } finally {
      access.close();
    }
    postMessage({ type: 'download', name, blob: await handle.getFile() });
    return;
  }
  // Each part is copied into a Blob at once (the browser keeps large ones on disk).
  let blob = new Blob([]);
  let parts = [];
  while (session.export_next(PART) > 0) {
    parts.push(new Blob([session.export_part()]));
    if (parts.length >= 8) {
      blob = new Blob([blob, ...parts]);
      parts = [];
    }
  }
  blob = new Blob([blob, ...parts], { type: 'application/octet-stream' });
  postMessage({ type: 'download', name, blob });
}

// A download's scratch file is removed an hour after it was written, when a worker
// starts (the browser has long finished reading it by then); a decompressed source's and
// a column's, once no worker holds their lock.
async function removeScratchFiles() {
  if (!navigator.storage?.getDirectory) return;
  const root = await navigator.storage.getDirectory();
  const held = new Set(((await navigator.locks?.query())?.held ?? []).map((lock) => lock.name));
  for await (const name of root.keys()) {
    const written = Number(name.slice(SCRATCH.length).split('-')[0]);
    const stale = name.startsWith(SCRATCH)
      ? Date.now() - written > 3_600_000
      : (name.startsWith(SOURCE_SCRATCH) && !held.has(name))
        || (name.startsWith(COLUMNS) && !held.has(name.slice(0, name.lastIndexOf('-'))));
    if (stale) await root.removeEntry(name).catch(() => {});
  }
}

// A file was read: the page gets its summary, then the stored runs over the two files.
async function fileRead(summary) {
  postMessage({ type: 'file', summary });
  await restoreStored().catch((error) => postMessage({
    type: 'storageError',
    message: `Stored runs cannot be read: ${error?.message ?? error}`,
  }));
}

// The bytes a counter is built from: a dropped tokenizer.json, or an encoding's rank file.
async function counterBytes(message) {
  if (message.file) return new Uint8Array(await message.file.arrayBuffer());
  if (!ENCODINGS.includes(message.name)) return new Uint8Array(0);
  const url = new URL(`./encodings/${message.name}.tiktoken`, self.location.href).href;
  const cache = await caches.open(ENCODINGS_CACHE).catch(() => null);
  let response = await cache?.match(url);
  if (!response) {
    response = await fetch(url).catch(() => null);
    if (!response?.ok) {
      throw new Error(`${message.name} could not be loaded: it is kept for offline use once it `
        + 'has been chosen while online');
    }
    await cache?.put(url, response.clone()).catch(() => {});
  }
  return new Uint8Array(await response.arrayBuffer());
}

async function setCounter(message) {
  const kind = message.file ? 'file' : message.name;
  const fileName = message.file?.name ?? '';
  try {
    const bytes = await counterBytes(message);
    const name = session.set_counter(kind, fileName, bytes);
    counter = { kind, fileName, bytes };
    postMessage({ type: 'counter', name });
  } catch (error) {
    postMessage({ type: 'counterError', message: String(error?.message ?? error) });
  }
}

async function handle(message) {
  await topUpColumns().catch(() => {}); // without files, columns stay in memory
  switch (message.type) {
    case 'init':
      // The module's memory, visible to benchmarks (tests/e2e/large.mjs reads its size).
      // The page's compiled module (one download for the page and every worker), or,
      // without it, the file next to this script.
      self.wasmMemory = (await init(message.module ? { module_or_path: message.module } : undefined)).memory;
      moduleLoaded();
      await initThreadPool(message.threads);
      session = new Session();
      await removeScratchFiles().catch(() => {});
      // Held while this worker lives: the page learns that the worker stopped (the
      // browser ended it, or it ran out of memory) when the lock is let go.
      if (message.lock && navigator.locks) {
        await new Promise((held) => {
          navigator.locks.request(message.lock, () => {
            held();
            return new Promise(() => {});
          });
        });
      }
      postMessage({ type: 'ready', threads: thread_count() });
      break;
    case 'load':
      if (message.role === 'source') {
        if (message.generation !== sourceGeneration) break; // a newer file is queued
        const files = message.files.map((file, k) => ({ file, name: message.names[k], plain: false }));
        source = { files, name: message.name };
        await dropSourceScratches();
        identify('source', files);
        const summary = await readSource(message.field, message.skipBad);
        if (summary) await fileRead(summary);
      } else {
        const files = message.files.map((file, k) => ({ file, name: message.names[k] }));
        let summary;
        try {
          identify('target', files);
          summary = await loadTarget(files, message.name, message.field, message.skipBad);
          target = { files, name: message.name, field: message.field, skipBad: message.skipBad };
        } catch (error) {
          if (!(error instanceof WebAssembly.RuntimeError)) throw error;
          target = null;
          summary = await recover('target', message.name);
        }
        await fileRead(summary);
      }
      break;
    case 'read':
      if (message.role === 'target') {
        if (target) Object.assign(target, { field: message.field, skipBad: message.skipBad });
        await fileRead(session.read_target(message.field, message.skipBad));
      } else if (session.source_in_memory()) {
        await fileRead(session.source_reread(message.field, message.skipBad));
      } else {
        const summary = await readSource(message.field, message.skipBad);
        if (summary) await fileRead(summary);
      }
      break;
    case 'forget':
      await forget(message);
      break;
    case 'score':
      await score(message);
      break;
    case 'rows':
      postMessage({ type: 'rows', rows: session.rows(message.start, message.count, message.diverse) });
      break;
    case 'show':
      session.show(message.run);
      break;
    case 'stability':
      postMessage({ type: 'stability', run: message.run, report: session.stability(message.run, message.budget) });
      break;
    case 'compare':
      postMessage({ type: 'compared', compared: session.compare(message.a, message.b, message.budget) });
      break;
    case 'matrix':
      postMessage({ type: 'matrix', matrix: session.matrix(message.budget) });
      break;
    case 'dedup':
      postMessage({ type: 'dedup', diversity: session.dedup(message.threshold, message.budget) });
      break;
    case 'duplicateRows':
      postMessage({ type: 'duplicateRows', rows: session.duplicate_rows(message.start, message.count) });
      break;
    case 'comparedRows':
      postMessage({ type: 'comparedRows', side: message.side, rows: session.compared_rows(message.side, message.start, message.count) });
      break;
    case 'text':
      postMessage({ type: 'text', index: message.index, text: session.text(message.index) });
      break;
    case 'explain':
      postMessage({ type: 'explained', explained: session.explain(message.index) });
      break;
    case 'cut':
      postMessage({ type: 'cut', cut: session.cut(message.budget, message.groupField) });
      break;
    case 'export':
      await download(message);
      break;
    case 'counter':
      await setCounter(message);
      break;
    default:
      throw new Error(`unknown message ${message.type}`);
  }
}

// Messages are handled one at a time, in order; only a cancel request and the playground's
// requests jump the queue. The playground's need no session (and no file), so they are
// answered between two scoring batches instead of after the whole run.
let queue = Promise.resolve();
self.onmessage = ({ data }) => {
  if (data.type === 'cancel') {
    cancelRequested = true;
    return;
  }
  if (data.type === 'pair') {
    moduleReady
      .then(() => postMessage({ type: 'pair', pairing: pairing(data.id, data.x, data.y, data.compressor, data.level) }))
      .catch((error) => postMessage({ type: 'error', message: String(error?.message ?? error) }));
    return;
  }
  if (data.type === 'load' && data.role === 'source') data.generation = ++sourceGeneration;
  queue = queue
    .then(() => handle(data))
    .catch((error) => postMessage({ type: 'error', message: String(error?.message ?? error) }));
};
