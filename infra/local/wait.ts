/**
 * Waits for `work` to settle, or `ms` at most, whichever comes first: the bounded wait of an
 * orderly stop (deliveries, scheduled runs, requests under way). A rejection ends the wait as
 * settling does; the timer is cleared when the work wins and never keeps the process alive.
 */
export async function waitAtMost(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const elapsed = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  try {
    await Promise.race([work.then(() => undefined, () => undefined), elapsed]);
  } finally {
    clearTimeout(timer);
  }
}
