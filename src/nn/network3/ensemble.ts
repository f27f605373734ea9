/**
 * Chapter 6's ensemble: several trained networks vote on each digit, and the digit most of them read wins
 * (the book's five ReLU networks with dropout read 99.67% of the test set so). A tie goes to the digit
 * whose voters were surest: the larger sum of their outputs for it. Pure.
 */

/** One network's view of one digit: its ten outputs (the digit it reads is the largest). */
export type Outputs = ArrayLike<number>;

/** The digit `voters` (each one network's outputs for the same digit) agree on. */
export function vote(voters: readonly Outputs[]): number {
  const votes = new Array<number>(voters[0].length).fill(0);
  const sums = new Array<number>(voters[0].length).fill(0);
  for (const outputs of voters) {
    let best = 0;
    for (let j = 0; j < outputs.length; j++) {
      sums[j] += outputs[j];
      if (outputs[j] > outputs[best]) best = j;
    }
    votes[best]++;
  }
  let winner = 0;
  for (let j = 1; j < votes.length; j++) {
    if (votes[j] > votes[winner] || (votes[j] === votes[winner] && sums[j] > sums[winner])) winner = j;
  }
  return winner;
}

/**
 * How many of `count` digits labelled `labels` the ensemble reads right, given each network's outputs for
 * digit i as `outputsOf(network, i)`.
 */
export function ensembleCorrect(
  networks: number,
  count: number,
  labels: ArrayLike<number>,
  outputsOf: (network: number, i: number) => Outputs,
): number {
  let correct = 0;
  for (let i = 0; i < count; i++) {
    const voters = Array.from({ length: networks }, (_, n) => outputsOf(n, i));
    if (vote(voters) === labels[i]) correct++;
  }
  return correct;
}
