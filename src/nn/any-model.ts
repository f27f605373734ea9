/**
 * A trained network of either kind the page and the CLI hold: the book's Network of chapters 1–3 as
 * network.py's sizes, weights and biases, or one of chapter 6's convolutional networks (network3.py) as its
 * layers and their parameters. Types and two questions; pure.
 */
import type { ModelParameters } from './types';
import type { Network3Parameters } from './network3/layers';

export type AnyModel = ModelParameters | Network3Parameters;

/** Whether `model` is one of chapter 6's networks. */
export function isConvolutional(model: AnyModel): model is Network3Parameters {
  return 'layers' in model;
}

/** `model` when it is a multilayer network of chapters 1–3, else null (the views that draw its layers of neurons). */
export function multilayerOf(model: AnyModel | null | undefined): ModelParameters | null {
  return model && !isConvolutional(model) ? model : null;
}
