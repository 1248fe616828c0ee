/** What a public form page shows (partials/rate-limited.njk) and answers when its connection is over the limit. */
export function rateLimitedForm(what: 'report' | 'application', seconds: number) {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return {
    view: { wait: `${minutes} minute${minutes === 1 ? '' : 's'}`, what },
    response: { status: 429, headers: { 'retry-after': String(Math.max(1, Math.ceil(seconds))) } },
  };
}
