/**
 * What the last stepped mini-batch did (Step one mini-batch): its digits, each read before and after the
 * step, the batch's mean cost before and after, and (a multilayer network's) the first-layer neurons whose
 * input weights moved most, with the change as a picture (red: weights that grew, blue: that shrank).
 */
import type { RunEvent } from '../../worker/protocol';
import { DigitCanvas } from '../app/DigitCanvas';
import { NeuronPicture } from './NeuronPicture';

type Stepped = Extract<RunEvent, { kind: 'stepped' }>;

export function StepView({ step, miniBatchSize }: { step: Stepped; miniBatchSize: number }) {
  const batch = Math.ceil(step.examplesDone / miniBatchSize);
  const right = (read: number) => step.digits.filter((d) => (read === 0 ? d.before : d.after) === d.label).length;
  return (
    <div className="step-view">
      <h3>
        The last step: mini-batch {batch.toLocaleString('en-US')} of epoch {step.epoch}
      </h3>
      <p className="small">
        Its {step.digits.length} digits, each read before the step → after it. The mean cost of these digits went from{' '}
        {step.costBefore.toFixed(4)} to {step.costAfter.toFixed(4)}; {right(0)} of them were read right before, {right(1)} after.
      </p>
      <ul className="stepped-digits" aria-label="The stepped mini-batch">
        {step.digits.map((d, i) => (
          <li key={i} className={d.after === d.label ? 'right' : 'wrong'}>
            <DigitCanvas pixels={d.pixels} label={`a ${d.label}, read ${d.before} before the step and ${d.after} after`} size={48} />
            <span className="small">
              {d.before} → {d.after}
            </span>
          </li>
        ))}
      </ul>
      {step.changed.length > 0 && (
        <>
          <p className="small">The hidden neurons whose input weights this step moved most (red: grew, blue: shrank):</p>
          <ul className="changed-neurons">
            {step.changed.map((c) => (
              <li key={c.neuron}>
                <NeuronPicture weights={c.delta} row={0} label={`How the step changed hidden neuron ${c.neuron}'s input weights`} />
                <span className="small">
                  neuron {c.neuron}: ‖Δw‖ = {c.size.toFixed(3)}
                </span>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}
