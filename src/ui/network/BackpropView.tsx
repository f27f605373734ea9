/**
 * The Backpropagation region (chapter 2): the selected run and one digit (the viewer's, or the pad's),
 * the forward pass, then backprop's four equations as the book writes them, each with its numbers, and a
 * check of the gradient by finite differences. Computed on the page (nn/explain.ts: one digit, two passes
 * over the weights), following the run a few times a second at most.
 */
import { memo, useId, useMemo, useState } from 'react';
import { multilayerOf } from '../../nn/any-model';
import { explainBackprop, type BackpropNumbers, type LayerNumbers } from '../../nn/explain';
import type { ModelParameters } from '../../worker/protocol';
import type { Run } from '../runs/run';
import type { FocusDigit } from './NetworkDiagram';
import { NeuronPicture } from './NeuronPicture';
import { REDRAW_MS, useThrottled } from './use-throttled';

const CHAPTER_2 = 'http://neuralnetworksanddeeplearning.com/chap2.html';
/** Hidden neurons listed for BP2: those with the largest errors (30 or 100 rows would bury them). */
const LISTED = 5;

/** A number as the tables print it: plain (no exponent), to 8 places. */
const plain = (v: number): string => v.toFixed(8);
/** A short one, for the words around the tables. */
const short = (v: number): string => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2));
const lengthOf = (v: Float64Array): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/** The indices of the `count` largest |v|, largest first. */
function largestOf(v: Float64Array, count: number): number[] {
  return [...v.keys()].sort((i, j) => Math.abs(v[j]) - Math.abs(v[i])).slice(0, count);
}

/** BP1: every output neuron's error, from the gradient of the cost and σ′(zᴸ). */
function OutputError({ numbers }: { numbers: BackpropNumbers }) {
  const output = numbers.layers.at(-1)!;
  const crossEntropy = numbers.cost === 'cross-entropy';
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="BP1, scrollable">
      <table aria-label="Output error δ (BP1)" className="numbers">
        <thead>
          <tr>
            <th scope="col">Output neuron</th>
            <th scope="col">δᴸ</th>
            <th scope="col">∇ₐC {crossEntropy ? '= (a − y) / a(1 − a)' : '= a − y'}</th>
            <th scope="col">σ′(zᴸ)</th>
            <th scope="col">a = σ(z)</th>
            <th scope="col">z</th>
          </tr>
        </thead>
        <tbody>
          {[...output.delta].map((delta, j) => (
            <tr key={j} className={j === numbers.label ? 'label-row' : undefined}>
              <th scope="row">{j}</th>
              <td>{plain(delta)}</td>
              <td>{plain(numbers.gradA[j])}</td>
              <td>{plain(numbers.sigmaPrimeOutput[j])}</td>
              <td>{plain(output.a[j])}</td>
              <td>{plain(output.z[j])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** BP2 for hidden layer `index` (0: the first): its neurons of largest error. */
function HiddenError({ layer, index }: { layer: LayerNumbers; index: number }) {
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label={`BP2 for hidden layer ${index + 1}, scrollable`}>
      <table aria-label={`Hidden layer ${index + 1} error δ (BP2)`} className="numbers">
        <caption>
          Hidden layer {index + 1} ({layer.delta.length} neurons): the {Math.min(LISTED, layer.delta.length)} of largest |δ|; ‖δ‖ ={' '}
          {short(lengthOf(layer.delta))}
        </caption>
        <thead>
          <tr>
            <th scope="col">Neuron</th>
            <th scope="col">δ</th>
            <th scope="col">(wᵀδ) from above</th>
            <th scope="col">σ′(z)</th>
            <th scope="col">a</th>
          </tr>
        </thead>
        <tbody>
          {largestOf(layer.delta, LISTED).map((k) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td>{plain(layer.delta[k])}</td>
              <td>{plain(layer.fromAbove[k])}</td>
              <td>{plain(layer.a[k] * (1 - layer.a[k]))}</td>
              <td>{plain(layer.a[k])}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The numerical gradient beside backprop's, for the weight of largest gradient in each layer. */
function GradientCheckTable({ numbers }: { numbers: BackpropNumbers }) {
  const last = numbers.layers.length - 1;
  const name = (l: number) => (l === last ? 'output' : `hidden ${l + 1}`);
  return (
    <div className="table-scroll" tabIndex={0} role="region" aria-label="The gradient check, scrollable">
      <table aria-label="Gradient check" className="numbers">
        <thead>
          <tr>
            <th scope="col">Weight</th>
            <th scope="col">∂C/∂w by backprop (BP4)</th>
            <th scope="col">(C(w + h) − C(w − h)) / 2h</th>
            <th scope="col">Difference</th>
          </tr>
        </thead>
        <tbody>
          {numbers.checks.map((c) => (
            <tr key={c.layer}>
              <th scope="row">
                w
                <sub>
                  {c.j},{c.k}
                </sub>{' '}
                into {name(c.layer)}
              </th>
              <td>{plain(c.backprop)}</td>
              <td>{plain(c.numerical)}</td>
              <td>{Math.abs(c.numerical - c.backprop).toExponential(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The four equations with this digit's numbers. */
function Equations({ numbers, parameters }: { numbers: BackpropNumbers; parameters: ModelParameters }) {
  const hidden = numbers.layers.slice(0, -1);
  const output = numbers.layers.at(-1)!;
  const j = numbers.firstLayerNeuron;
  const picture = useMemo(() => Float32Array.from(numbers.firstLayerGradient), [numbers]);
  const costWords = numbers.cost === 'quadratic' ? 'C = ½‖a − y‖²' : 'C = −Σ [y ln a + (1 − y) ln(1 − a)] (cross-entropy)';
  return (
    <>
      <p className="small">
        <strong>Forward:</strong> zˡ = wˡaˡ⁻¹ + bˡ and aˡ = σ(zˡ), layer by layer ({parameters.sizes.join('-')}). For y = {numbers.label},{' '}
        {costWords} = {short(numbers.costValue)}.
      </p>
      <h3>BP1 · δᴸ = ∇ₐC ⊙ σ′(zᴸ)</h3>
      <p className="small">
        How much the cost changes with each output’s weighted input.{' '}
        {numbers.cost === 'quadratic'
          ? 'With the quadratic cost ∇ₐC = a − y, and σ′(z) = a(1 − a) is tiny for an output near 0 or 1: a confident wrong output learns slowly.'
          : 'With the cross-entropy ∇ₐC = (a − y) / a(1 − a), so σ′ cancels and δᴸ = a − y: a wrong output learns fast however saturated (chapter 3).'}{' '}
        The row of the right answer is marked.
      </p>
      <OutputError numbers={numbers} />
      <h3>BP2 · δˡ = ((wˡ⁺¹)ᵀ δˡ⁺¹) ⊙ σ′(zˡ)</h3>
      <p className="small">
        The error moves back a layer: each hidden neuron gathers the errors above it through its weights, times σ′(z).
      </p>
      {hidden.map((layer, l) => <HiddenError key={l} layer={layer} index={l} />).reverse()}
      <h3>BP3 · ∂C/∂bˡⱼ = δˡⱼ</h3>
      <p className="small">
        Each bias’s gradient is its neuron’s error itself. Its length per layer (chapter 5’s speed of learning):{' '}
        {[...hidden.map((layer, l) => `hidden ${l + 1} ${short(lengthOf(layer.delta))}`), `output ${short(lengthOf(output.delta))}`].join(
          ', ',
        )}
        .
      </p>
      <h3>BP4 · ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ δˡⱼ</h3>
      <div className="neuron-detail">
        <NeuronPicture weights={picture} row={0} label={`∂C/∂w for the 784 input weights of hidden neuron ${j}`} />
        <p className="small">
          The gradient of hidden neuron {j}’s 784 input weights (its δ = {short(hidden[0].delta[j])} is the largest of its layer): each
          pixel’s ink times δ, so it is the digit itself,{' '}
          {hidden[0].delta[j] > 0 ? 'red: δ > 0, so a step lowers these weights' : 'blue: δ < 0, so a step raises these weights'}. A pixel
          with no ink gives its weight no gradient at all.
        </p>
      </div>
      <h3>Checked by finite differences</h3>
      <p className="small">
        For the weight of largest gradient in each layer, the cost is computed again with the weight moved by h = 10⁻⁵ each way: the slope
        agrees with backprop’s to many places.
      </p>
      <GradientCheckTable numbers={numbers} />
    </>
  );
}

/** The right answer y the person chose for `digit`, else its label (undefined for a drawing: what the network reads). */
function useLabel(digit: FocusDigit | null) {
  const [chosen, setChosen] = useState<{ digit: FocusDigit; label: number } | null>(null);
  const label = chosen && chosen.digit === digit ? chosen.label : (digit?.label ?? undefined);
  return { label, choose: (label: number) => digit && setChosen({ digit, label }) };
}

export const BackpropView = memo(function BackpropView({ run, digit }: { run: Run | null; digit: FocusDigit | null }) {
  const id = useId();
  const latestModel = run?.live ?? run?.parameters ?? null;
  const parameters = useThrottled(multilayerOf(latestModel), REDRAW_MS);
  const { label, choose } = useLabel(digit);
  const numbers = useMemo(() => (parameters && digit ? explainBackprop(parameters, digit.input, label) : null), [parameters, digit, label]);
  return (
    <section className="card backprop" role="region" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Backpropagation</h2>
      <p className="small muted">
        How the cost of one digit changes with every weight and bias, found from the output back with the four equations of{' '}
        <a href={CHAPTER_2} target="_blank" rel="noreferrer">
          chapter 2
        </a>
        : the numbers SGD averages over a mini-batch to take one step.
      </p>
      {latestModel && !parameters ? (
        <p className="muted">
          {run?.name} is a chapter 6 network. The four equations here are those of chapters 1–3’s networks, one weight matrix per layer; a
          convolutional layer shares each filter across the image, and its error flows back only through each pool’s largest unit. Select a
          multilayer run to follow them on a digit.
        </p>
      ) : !parameters ? (
        <p className="muted">Train a run (or load a model) to see backprop work on a digit.</p>
      ) : !digit ? (
        <p className="muted">Pick a digit in the digit viewer, or draw one on the pad.</p>
      ) : (
        numbers && (
          <>
            <p className="small">
              {run?.name}
              {run?.live ? ' as it is now' : run?.accuracy.length ? ` after epoch ${run.accuracy.length - 1}` : ''} on {digit.name}.{' '}
              <label>
                The right answer y{' '}
                <select value={numbers?.label ?? 0} onChange={(event) => choose(Number(event.target.value))}>
                  {Array.from({ length: 10 }, (_, d) => (
                    <option key={d} value={d}>
                      {d}
                      {d === digit.label ? ' (its label)' : ''}
                    </option>
                  ))}
                </select>
              </label>
            </p>
            <Equations numbers={numbers} parameters={parameters} />
          </>
        )
      )}
    </section>
  );
});
