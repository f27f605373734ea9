/** The book's output line, from one function for the CLI, the worker log and the page. Pure. */

/** `Epoch 0: 9061 / 10000, took 2.40 seconds`, as network.py prints after each epoch with test data. */
export function formatEpochLine(epoch: number, correct: number | null, total: number, seconds: number): string {
  const took = `took ${seconds.toFixed(2)} seconds`;
  return correct === null ? `Epoch ${epoch} complete, ${took}` : `Epoch ${epoch}: ${correct} / ${total}, ${took}`;
}

/** `784-30-10`, the book's way of naming a network by its layer sizes. */
export function formatSizes(sizes: readonly number[]): string {
  return sizes.join('-');
}
