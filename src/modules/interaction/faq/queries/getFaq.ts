import type { DB } from '../../../../db/index.js';
import type { Ctx } from '../../../../lib/ctx.js';
import { type Result, ok } from '../../../../lib/errors.js';
import { loadFaq } from '../access.js';
import { type FaqDto, faqSummaryDto, namesFor } from '../dto.js';
import { type FaqRow, reviewLevelsOf } from '../store.js';

/** One entry with its answer and review record, for whoever may read its site's content. */
export async function getFaq(ctx: Ctx, id: number): Promise<Result<FaqDto>> {
  const loaded = await loadFaq(ctx, id, 'content.read');
  if (!loaded.ok) return loaded;
  return ok(await faqDto(ctx.db, loaded.value));
}

export async function faqDto(db: DB, r: FaqRow): Promise<FaqDto> {
  const [names, reviews, reviewLevels] = await Promise.all([
    namesFor(db, [r]),
    db
      .selectFrom('faq_reviews as v')
      .leftJoin('users as u', 'u.id', 'v.reviewer_id')
      .select(['v.id', 'v.version', 'v.level', 'v.decision', 'v.comment', 'v.reviewer_id', 'v.created_at', 'u.display_name'])
      .where('v.entry_id', '=', r.id)
      .orderBy('v.id')
      .execute(),
    reviewLevelsOf(db, r.site_id),
  ]);
  return {
    ...faqSummaryDto(r, names),
    answer: r.answer,
    reviewLevels,
    reviews: reviews.map((v) => ({
      id: v.id,
      version: v.version,
      level: v.level,
      decision: v.decision,
      comment: v.comment,
      reviewerId: v.reviewer_id,
      reviewerName: v.display_name ?? null,
      createdAt: v.created_at,
    })),
  };
}
