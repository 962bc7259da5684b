// Data the benchmarks share: large sources made from the development records.
import { createWriteStream, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes `records` JSONL records to `path`: the development source's records repeated,
 * each with a "copy" field, so that every line differs.
 */
export async function writeRepeated(dev, path, records) {
  const lines = readFileSync(join(dev, 'source.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const out = createWriteStream(path);
  for (let i = 0; i < records;) {
    let chunk = '';
    for (const end = Math.min(records, i + 5000); i < end; i++) {
      chunk += `${JSON.stringify({ ...lines[i % lines.length], copy: Math.floor(i / lines.length) })}\n`;
    }
    if (!out.write(chunk)) await new Promise((done) => out.once('drain', done));
  }
  await new Promise((done) => out.end(done));
}
