/**
 * MNIST's shape, the one home of its numbers: 28 × 28 pixels per digit (784 inputs), ten digits (10
 * outputs), and the book's pixel scale, byte / 256 (255 → 0.99609375, exact in float32).
 */
export const IMAGE_SIDE = 28;
export const INPUTS = IMAGE_SIDE * IMAGE_SIDE;
export const DIGITS = 10;
export const PIXEL_SCALE = 1 / 256;

/** The drawing pad: ten times MNIST's side, so a finger or a mouse draws at ease. */
export const PAD_SIDE = 10 * IMAGE_SIDE;
/** The pad's pen: a twelfth of its side, about MNIST's stroke once scaled down to 28 × 28. */
export const PAD_PEN = PAD_SIDE / 12;
