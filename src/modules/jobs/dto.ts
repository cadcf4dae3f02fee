import type { JobRow } from './queue.js';

export interface JobProgress {
  done: number;
  total: number;
  message?: string;
}

export interface JobDto {
  id: number;
  type: string;
  status: JobRow['status'];
  runAt: string;
  attempts: number;
  maxAttempts: number;
  lastError: string | null;
  progress: JobProgress | null;
  createdAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

const parseProgress = (s: string | null): JobProgress | null => {
  if (!s) return null;
  try {
    return JSON.parse(s) as JobProgress;
  } catch {
    return null;
  }
};

export const jobDto = (j: JobRow): JobDto => ({
  id: j.id,
  type: j.type,
  status: j.status,
  runAt: j.run_at,
  attempts: j.attempts,
  maxAttempts: j.max_attempts,
  lastError: j.last_error,
  progress: parseProgress(j.progress),
  createdAt: j.created_at,
  updatedAt: j.updated_at,
  finishedAt: j.finished_at,
});
