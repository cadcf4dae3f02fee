import type { JiyueApp } from '../../app.js';
import { adminRoutes } from './adminRoutes.js';
import { auditExportRoute } from './auditExportRoute.js';
import { authRoutes } from './routes.js';
import { siteGrantsRoute } from './siteGrantsRoute.js';

export const name = 'accounts';
export { type Actor, type Role, ROLES, ROLE_NAMES, systemActor, anonymous } from './actor.js';
export { can, canReviewLevel, columnScopes, visibleSiteIds, type Permission, type Scope } from './access.js';
export * as audit from './audit.js';
export { type CreatedToken, type NewToken, type TokenCtx, createApiToken, createTokenForUser } from './commands/createApiToken.js';

export async function register(app: JiyueApp): Promise<void> {
  authRoutes(app);
  adminRoutes(app);
  auditExportRoute(app);
  siteGrantsRoute(app);
}
