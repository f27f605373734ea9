/** A 28 × 28 digit drawn large: ink dark on light paper, as people write it. */
import { useEffect, useRef } from 'react';
import { IMAGE_SIDE, INPUTS } from '../../nn/mnist-shape';

export function DigitCanvas({ pixels, label, size = 196 }: { pixels: Uint8Array | null; label: string; size?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const image = ctx.createImageData(IMAGE_SIDE, IMAGE_SIDE);
    for (let p = 0; p < INPUTS; p++) {
      const v = 255 - Math.min(255, pixels?.[p] ?? 0);
      image.data.set([v, v, v, 255], p * 4);
    }
    ctx.putImageData(image, 0, 0);
  }, [pixels]);
  return (
    <canvas
      ref={ref}
      width={IMAGE_SIDE}
      height={IMAGE_SIDE}
      className="digit"
      style={{ width: size, height: size }}
      role="img"
      aria-label={label}
    />
  );
}
