import type { JiyueApp } from '../../app.js';
import { mediaRoutes } from './routes.js';

/**
 * Media: uploaded images and documents. Files live outside the public tree in
 * `<dataDir>/media/<stored_name>` and are served by id at /media/:id (images re-encoded by us,
 * documents as downloads). Other modules use the exports below, never the table directly.
 */
export const name = 'media';
export { type MediaDto, type MediaRow, mediaDto, mediaUrl, thumbnailUrl } from './dto.js';
export { getMediaForSite } from './queries/getMedia.js';
export { isUsableBySite } from './rules.js';

export async function register(app: JiyueApp): Promise<void> {
  mediaRoutes(app);
}
