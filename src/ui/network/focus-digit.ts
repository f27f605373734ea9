/** The digit the Network region shows, from the viewer or the pad. */

/** The digit the drawings show: its pixels (bytes, for the picture), the network's input, and what it is. */
export interface FocusDigit {
  pixels: Uint8Array;
  input: Float32Array;
  name: string;
  /** Its label, when it has one (MNIST's digits; a drawing has none). */
  label: number | null;
}
