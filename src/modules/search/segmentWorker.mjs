// Entry of the segmentation thread: the sources are TypeScript run through tsx (as bin/jiyue.mjs
// does for the main thread), and a worker thread does not inherit the main thread's loader.
import { register } from 'tsx/esm/api';

register();
await import('./segmentWorker.ts');
