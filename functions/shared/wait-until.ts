/**
 * Polls `check` every 50 ms until it answers true or `timeoutMs` passes. Pages use it after
 * putting an event, so that the page they redirect to already shows the projected step: up to
 * 6 s by default (functions time out at 10 s), as a busy machine can take seconds to project.
 */
export async function waitUntil(check: () => Promise<boolean>, timeoutMs = 6000): Promise<void> {
  for (const end = Date.now() + timeoutMs; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await check()) return;
}
