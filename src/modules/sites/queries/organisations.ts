import type { DB } from '../../../db/index.js';
import { type OrganisationView, organisationView } from '../dto.js';
import { treeOrder } from '../rules.js';

/** Every organisation as a flat list in tree order (parents before children), with its depth. */
export async function listOrganisations(db: DB): Promise<Array<OrganisationView & { depth: number }>> {
  const rows = await db.selectFrom('organisations').selectAll().execute();
  return treeOrder(rows.map(organisationView));
}

export async function getOrganisation(db: DB, id: number): Promise<OrganisationView | undefined> {
  const r = await db.selectFrom('organisations').selectAll().where('id', '=', id).executeTakeFirst();
  return r && organisationView(r);
}
