/**
 * Ctrl-C (SIGINT) and SIGTERM as an AbortSignal for work a command runs in
 * its own process (detect, cluster): the engine stops at its next
 * cancellation check and the command still closes the project normally.
 * `release()` removes both listeners once the work is over.
 */
export function abortOnInterrupt(): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    release: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
