import type { JiyueApp } from '../../app.js';
import { sitesRoutes } from './routes.js';

export const name = 'sites';

export { type ColumnView, type OrganisationView, type SiteView } from './dto.js';
export { type ColumnNode, type ColumnScopeInfo, type ColumnVisibility, columnTree, columnVisibility, getColumn, getColumnForScope, isVisible } from './queries/columns.js';
export { getOrganisation, listOrganisations } from './queries/organisations.js';
export { getSite, getSiteByCode, hostsOf, listSites, resolveSiteByHost } from './queries/sites.js';
export { PORTAL_CODE, RESERVED_CODES, columnUrl, normaliseHost, siteUrl } from './rules.js';
export { BannerInput, type SiteSettings } from './schema.js';

export async function register(app: JiyueApp): Promise<void> {
  sitesRoutes(app);
}
