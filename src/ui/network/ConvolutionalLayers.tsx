/**
 * The Network region for one of chapter 6's networks: the digit, the first layer's filters, the feature
 * maps after each conv-pool layer, the fully connected layers' neurons and the ten softmax outputs, for the
 * chosen digit, as the selected run's network reads it. One digit's forward pass (about 2.5 million
 * multiply-adds for the book's two conv-pool layers) runs on the page's thread a few times a second at most.
 */
import { memo, useEffect, useMemo, useRef } from 'react';
import type { Network3Parameters } from '../../nn/network3/layers';
import { Network3 } from '../../nn/network3/network3';
import { DigitCanvas } from '../app/DigitCanvas';
import { columnsFor, tileMaps, type TileInk } from './feature-maps';
import type { FocusDigit } from './focus-digit';

/** Maps drawn as one picture, each map's pixel `scale` screen pixels. */
function TileCanvas({
  values,
  count,
  height,
  width,
  ink,
  scale,
  label,
}: {
  values: Float32Array;
  count: number;
  height: number;
  width: number;
  ink: TileInk;
  scale: number;
  label: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  const tiles = useMemo(() => tileMaps(values, count, height, width, columnsFor(count), ink), [values, count, height, width, ink]);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(tiles.width, tiles.height);
    image.data.set(tiles.rgba);
    ctx.putImageData(image, 0, 0);
  }, [tiles]);
  return (
    <canvas
      ref={ref}
      width={tiles.width}
      height={tiles.height}
      className="tiles"
      style={{ width: tiles.width * scale, maxWidth: '100%' }}
      role="img"
      aria-label={label}
    />
  );
}

/** One layer's picture with its name over it. */
function Stage({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <figure className="conv-stage">
      <figcaption className="small">{title}</figcaption>
      {children}
    </figure>
  );
}

export const ConvolutionalLayers = memo(function ConvolutionalLayers({
  parameters,
  digit,
}: {
  parameters: Network3Parameters;
  digit: FocusDigit;
}) {
  const net = useMemo(() => new Network3(parameters.layers, { input: parameters.input, parameters: parameters.parameters }), [parameters]);
  const outputs = useMemo(() => net.layerOutputs(digit.input), [net, digit]);
  const probabilities = outputs.at(-1)!;
  const answer = probabilities.indexOf(Math.max(...probabilities));
  const stages = parameters.layers.map((layer, i) => {
    const shape = net.shapes[i + 1];
    const a = outputs[i + 1];
    if (layer.kind === 'conv-pool') {
      const filters =
        i === 0 ? (
          <Stage key={`filters-${i}`} title={`Its ${layer.filters} filters (${layer.filterSize} × ${layer.filterSize})`}>
            <TileCanvas
              values={parameters.parameters[i].w}
              count={layer.filters}
              height={layer.filterSize}
              width={layer.filterSize}
              ink="weight"
              scale={6}
              label={`The ${layer.filters} filters of conv-pool layer ${i + 1}: red weights positive, blue negative`}
            />
          </Stage>
        ) : null;
      return (
        <div key={i} className="conv-layer">
          {filters}
          <Stage title={`Conv-pool ${i + 1}: ${layer.filters} maps of ${shape.height} × ${shape.width} (${layer.activation})`}>
            <TileCanvas
              values={a}
              count={shape.channels}
              height={shape.height}
              width={shape.width}
              ink="activation"
              scale={i === 0 ? 3 : 6}
              label={`Feature maps after conv-pool layer ${i + 1}: ${layer.filters} of ${shape.height} × ${shape.width}, dark where they fire`}
            />
          </Stage>
        </div>
      );
    }
    if (layer.kind === 'fully-connected') {
      // The neurons in a square, row after row (the last row's spare cells white).
      const side = Math.ceil(Math.sqrt(layer.neurons));
      const square = new Float32Array(side * side);
      square.set(a);
      return (
        <Stage
          key={i}
          title={`Fully connected: ${layer.neurons} neurons (${layer.activation}${layer.dropout ? `, dropout ${layer.dropout}` : ''})`}
        >
          <TileCanvas
            values={square}
            count={1}
            height={side}
            width={side}
            ink="activation"
            scale={side > 20 ? 3 : 8}
            label={`The ${layer.neurons} neurons of fully connected layer ${i + 1}, dark where they fire`}
          />
        </Stage>
      );
    }
    return (
      <Stage key={i} title="Softmax: the ten outputs">
        <ol className="softmax-bars" aria-label="The ten softmax outputs">
          {Array.from(probabilities, (p, d) => (
            <li key={d} className={d === answer ? 'answer' : undefined}>
              <span className="digit-name">{d}</span>
              <span className="bar" style={{ width: `${Math.max(1, 100 * p)}%` }} />
              <span className="value">{p.toFixed(2)}</span>
            </li>
          ))}
        </ol>
      </Stage>
    );
  });
  return (
    <div className="conv-layers">
      <Stage title="The input (28 × 28)">
        <DigitCanvas pixels={digit.pixels} label={`The input: ${digit.name}`} size={84} />
      </Stage>
      {stages}
      <p className="small" role="status" aria-label="Convolutional reading">
        It reads <strong>{answer}</strong> with probability {probabilities[answer].toFixed(2)}
        {digit.label !== null ? ` (the digit is a ${digit.label})` : ''}.
      </p>
    </div>
  );
});
