/** Text shared by the CLI, the worker and the page: the book's output line, network names, error messages. Pure. */

/** `Epoch 0: 9061 / 10000, took 2.40 seconds`, as network.py prints after each epoch with test data. */
export function formatEpochLine(epoch: number, correct: number | null, total: number, seconds: number): string {
  const took = `took ${seconds.toFixed(2)} seconds`;
  return correct === null ? `Epoch ${epoch} complete, ${took}` : `Epoch ${epoch}: ${correct} / ${total}, ${took}`;
}

/** `Loaded model 784-30-10: 9512 / 10000`: a model read from a file (its sizes, or its name), measured on the test data. */
export function formatLoadedLine(network: readonly number[] | string, correct: number, total: number): string {
  return `Loaded model ${typeof network === 'string' ? network : formatSizes(network)}: ${correct} / ${total}`;
}

/** `784-30-10`, the book's way of naming a network by its layer sizes. */
export function formatSizes(sizes: readonly number[]): string {
  return sizes.join('-');
}

/** A run whose weights blew up: when, and what to try. The page's alert and the CLI's error say the same. */
export function formatDiverged(epoch: number, eta: number, lambda: number): string {
  const decay = lambda > 0 ? ` or a smaller λ than ${lambda} (the weight decay 1 − ηλ/n must stay between 0 and 1)` : '';
  return `Epoch ${epoch}: the weights became NaN or infinite. Try a smaller learning rate than η = ${eta}${decay}.`;
}

/** network2.py's early stopping, in the page's log and the CLI's output alike. */
export function formatEarlyStop(stop: { epoch: number; bestEpoch: number; bestCorrect: number; total: number }): string {
  return `Early stopping after epoch ${stop.epoch}: no better validation accuracy than ${stop.bestCorrect} / ${stop.total} (epoch ${stop.bestEpoch}) for ${stop.epoch - stop.bestEpoch} epochs`;
}

/** What went wrong, as text: an Error's message, or whatever else was thrown, as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why the browser's storage refused, in words a person can act on (a full disk's error may have no message of its own). */
export function storageReason(error: unknown): string {
  // A DOMException (an Error in browsers) carries its kind in its name.
  const named = error as { name?: unknown } | null;
  const name = typeof named?.name === 'string' ? named.name : '';
  if (name === 'QuotaExceededError') return 'the browser’s storage is full';
  if (name === 'SecurityError') return 'this browser does not let the page store anything here (a private window?)';
  if (name === 'InvalidStateError' || name === 'UnknownError') return 'the browser’s storage is unavailable';
  return errorMessage(error) || name || 'the browser refused without saying why';
}
