import { NotFoundError } from '#shared/errors';
import { json, redirect, wantsPage, type HttpResult, type RouteHandler } from '#shared/http';
import type { RouteKeysOf } from '#shared/wiring';
import type { statusPage } from './capability.ts';
import { normaliseReference, progressOf } from './progress.ts';
import { loadProgressInputs, type StatusStore } from './repository.ts';
import { findPageView, notFoundView, statusPageView } from './views.ts';

const NOT_FOUND = 'we have no report with that reference. Check it against the confirmation page or message you were given: it looks like SC-1A2B-3C4D';

/** GET /status (look a reference up) and GET /status/{reference} (the progress, as a page or JSON). */
export function buildStatusRoutes(store: Pick<StatusStore, 'reportIdOf' | 'reportSteps' | 'caseOf'>): Record<RouteKeysOf<typeof statusPage>, RouteHandler> {
  const asPage = { method: 'GET', path: '/status/{reference}', auth: 'public', page: true } as const;
  return {
    'GET /status': async ({ query }): Promise<HttpResult> => {
      const typed = query.reference?.trim();
      if (typed === undefined) return findPageView();
      if (typed === '') return findPageView('', 'enter your reference number, like SC-1A2B-3C4D');
      const reference = normaliseReference(typed);
      if (!reference) return findPageView(typed, 'enter the reference as it was given to you, like SC-1A2B-3C4D');
      return redirect(`/status/${reference}`);
    },

    'GET /status/{reference}': async ({ event, path }): Promise<HttpResult> => {
      const page = wantsPage(asPage, event);
      const typed = path.reference ?? '';
      const reference = normaliseReference(decodeURIComponent(typed));
      const reportId = reference ? await store.reportIdOf(reference) : undefined;
      const inputs = reportId ? await loadProgressInputs(store, reportId) : undefined;
      const progress = inputs ? progressOf(inputs.steps, inputs.cases) : undefined;
      if (!progress) {
        if (page) return notFoundView(decodeURIComponent(typed).slice(0, 40));
        throw new NotFoundError(NOT_FOUND);
      }
      // A reference typed another way (lower case, O for 0) goes to its one address.
      if (reference !== typed) return redirect(`/status/${reference}`);
      if (!page) return json(200, { reference: progress.reference, status: progress.status, updatedAt: progress.updatedAt, history: progress.history, whatWasDone: progress.whatWasDone });
      return statusPageView(progress);
    },
  };
}
