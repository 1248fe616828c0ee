/** Reading every review, folded: for the reviews API and for other capabilities' pages (the officer's home). */
import type { DeadlineSettings } from './model.ts';
import { foldReview, type CaseReviewView, type StoredEvent } from './model.ts';

export interface ReviewReader {
  reviewIds: () => Promise<string[]>;
  loadEvents: (reviewId: string) => Promise<StoredEvent[]>;
}

/** Every review, folded (a council has a few a year: each is one partition read). */
export async function readAllReviews(store: ReviewReader, settings: DeadlineSettings): Promise<CaseReviewView[]> {
  const views = await Promise.all((await store.reviewIds()).map(async (id) => foldReview(await store.loadEvents(id), settings)));
  return views.filter((v) => v !== undefined);
}
