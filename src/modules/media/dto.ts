import type { Selectable } from 'kysely';
import type { MediaTable } from './tables.js';

export type MediaRow = Selectable<MediaTable>;

/** The API object of a media file (camelCase). `url` and `thumbnailUrl` are public paths. */
export interface MediaDto {
  id: number;
  /** null: shared media of the whole cluster, usable by every site. */
  siteId: number | null;
  kind: MediaTable['kind'];
  originalName: string;
  mime: string;
  ext: string;
  size: number;
  width: number | null;
  height: number | null;
  alt: string;
  url: string;
  thumbnailUrl: string | null;
  createdAt: string;
  createdBy: number;
}

export const mediaUrl = (id: number): string => `/media/${id}`;
export const thumbnailUrl = (id: number): string => `/media/${id}/thumb`;

export function mediaDto(r: MediaRow): MediaDto {
  return {
    id: r.id,
    siteId: r.site_id,
    kind: r.kind,
    originalName: r.original_name,
    mime: r.mime,
    ext: r.ext,
    size: r.size,
    width: r.width,
    height: r.height,
    alt: r.alt,
    url: mediaUrl(r.id),
    thumbnailUrl: r.kind === 'image' ? thumbnailUrl(r.id) : null,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}
