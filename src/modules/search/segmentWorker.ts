/**
 * The segmentation thread of bulk indexing (see segmentThread.ts): turns batches of items into
 * documents with a Segmenter of the same custom words as the indexing thread's, so the documents
 * are exactly those `documentsOf` would make there.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type SourceItem, toDocument } from './documents.js';
import { Segmenter } from './segment.js';

interface Request {
  id: number;
  items: SourceItem[];
}

const port = parentPort;
if (!port) throw new Error('segmentWorker runs as a worker thread (segmentThread.ts starts it)');
const segmenter = new Segmenter((workerData as { words: string[] }).words);
const tokens = (t: string) => segmenter.indexTokens(t);

port.on('message', ({ id, items }: Request) => {
  try {
    port.postMessage({ id, docs: items.map((it) => toDocument(it, tokens)) });
  } catch (e) {
    port.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
