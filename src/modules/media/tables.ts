import type { Generated } from 'kysely';

export interface MediaTable {
  id: Generated<number>;
  site_id: number | null;
  kind: 'image' | 'document';
  /** Name as uploaded (may be Chinese), used only for Content-Disposition. */
  original_name: string;
  /** Generated storage name under data/media/, never derived from user input. */
  stored_name: string;
  mime: string;
  ext: string;
  size: number;
  sha256: string;
  width: number | null;
  height: number | null;
  alt: string;
  created_by: number;
  created_at: string;
}
