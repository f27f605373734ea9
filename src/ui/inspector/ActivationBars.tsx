/** The output layer's ten activations as a bar chart, the chosen digit and the true label marked. */
export function ActivationBars({ activations, label, caption }: { activations: Float32Array | null; label?: number; caption: string }) {
  const predicted = activations ? activations.indexOf(Math.max(...activations)) : -1;
  return (
    <figure className="bars" aria-label={caption}>
      {Array.from({ length: 10 }, (_, digit) => {
        const a = activations?.[digit] ?? 0;
        return (
          <div key={digit} className={`bar-row${digit === predicted ? ' predicted' : ''}${digit === label ? ' truth' : ''}`}>
            <span className="digit-name">{digit}</span>
            <span className="track">
              <span className="value" style={{ width: `${Math.max(0, Math.min(1, a)) * 100}%` }} />
            </span>
            <span className="number">{activations ? a.toFixed(3) : '—'}</span>
          </div>
        );
      })}
      <figcaption className="visually-hidden">{caption}</figcaption>
    </figure>
  );
}
