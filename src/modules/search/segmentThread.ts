/**
 * Segmentation in a worker thread, for bulk indexing (indexBatches): better-sqlite3 writes
 * synchronously on the main thread, so on SQLite the next batch can only be segmented meanwhile
 * on another thread (measured at 30,000 documents: segmentation 6,600 docs/s, the write 4,200
 * docs/s; one after the other 2,560). The thread builds its own Segmenter from the same custom words, so its
 * documents are those `documentsOf` makes here (a test holds them equal).
 */
import { WorkerChannel, workerModule } from '../../lib/worker.js';
import type { IndexedDocument, SourceItem } from './documents.js';

interface Reply {
  id: number;
  docs?: IndexedDocument[];
  error?: string;
}

export class SegmentThread {
  private readonly channel: WorkerChannel<IndexedDocument[], Reply>;

  /** Starts the thread (it loads jieba's dictionary and the custom words: ~0.5 s, meanwhile the caller goes on). */
  constructor(words: Iterable<string>) {
    this.channel = new WorkerChannel<IndexedDocument[], Reply>(
      workerModule('segmentWorker', import.meta.url),
      { name: 'segmentation thread', workerData: { words: [...words] } },
      (m) => m.docs ?? new Error(`segmentation failed: ${m.error ?? 'no reply'}`),
    );
  }

  /** The documents of these items, made on the thread. */
  documents(items: readonly SourceItem[]): Promise<IndexedDocument[]> {
    return this.channel.request({ items });
  }

  close(): Promise<void> {
    return this.channel.close();
  }
}
