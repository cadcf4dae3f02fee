/**
 * Segmentation in a worker thread, for bulk indexing (indexBatches): better-sqlite3 writes
 * synchronously on the main thread, so on SQLite the next batch can only be segmented meanwhile
 * on another thread (measured at 30,000 documents: segmentation 6,600 docs/s, the write 4,200
 * docs/s; one after the other 2,560). The thread builds its own Segmenter from the same custom words, so its
 * documents are those `documentsOf` makes here (a test holds them equal).
 */
import type { Worker } from 'node:worker_threads';
import { startWorker, workerModule } from '../../lib/worker.js';
import type { IndexedDocument, SourceItem } from './documents.js';

interface Reply {
  id: number;
  docs?: IndexedDocument[];
  error?: string;
}

export class SegmentThread {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (docs: IndexedDocument[]) => void; reject: (e: Error) => void }>();
  private broken: Error | undefined;
  private closing = false;

  /** Starts the thread (it loads jieba's dictionary and the custom words: ~0.5 s, meanwhile the caller goes on). */
  constructor(words: Iterable<string>) {
    this.worker = startWorker(workerModule('segmentWorker', import.meta.url), { workerData: { words: [...words] } });
    this.worker.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.docs) p.resolve(m.docs);
      else p.reject(new Error(`segmentation failed: ${m.error ?? 'no reply'}`));
    });
    this.worker.on('error', (e) => this.fail(e));
    this.worker.on('exit', (code) => {
      if (!this.closing) this.fail(new Error(`the segmentation thread stopped (exit code ${code})`));
    });
  }

  /** The documents of these items, made on the thread. */
  documents(items: readonly SourceItem[]): Promise<IndexedDocument[]> {
    if (this.broken) return Promise.reject(this.broken);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, items });
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
    this.fail(new Error('the segmentation thread was closed'));
  }

  private fail(e: Error): void {
    this.broken ??= e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
