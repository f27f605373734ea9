/** A worker's side of its lifeline (see protocol.ts's Lifeline): a Web Lock held until the worker ends. */

/** Resolves once the lock is held; the lock itself is never given back, so it is released only when this worker ends. */
export function holdLifeline(name: string): Promise<boolean> {
  const locks = (self.navigator as Partial<WorkerNavigator>).locks;
  if (!locks) return Promise.resolve(false);
  return new Promise((held) => {
    void locks.request(name, () => {
      held(true);
      return new Promise<never>(() => {});
    });
  });
}
