/**
 * The two costs of the book: chapter 1's quadratic cost and chapter 3's cross-entropy (network2.py's
 * QuadraticCost and CrossEntropyCost). Pure.
 */

export const COST_NAMES = ['quadratic', 'cross-entropy'] as const;
export type CostName = (typeof COST_NAMES)[number];

/** network2.py's class names, as its save() writes them. */
export const COST_CLASS: Record<CostName, 'QuadraticCost' | 'CrossEntropyCost'> = {
  quadratic: 'QuadraticCost',
  'cross-entropy': 'CrossEntropyCost',
};

/** Smallest positive float32: keeps ln(a) finite where a sigmoid rounded to exactly 0 or 1. */
const TINY = 1.401298464324817e-45;

/** C_x for one output `a` against the one-hot `label`: ½‖a − y‖², or −Σ y ln a + (1 − y) ln(1 − a). */
export function exampleCost(cost: CostName, a: ArrayLike<number>, label: number, offset = 0, length = a.length - offset): number {
  let c = 0;
  for (let j = 0; j < length; j++) {
    const aj = a[offset + j];
    const y = j === label ? 1 : 0;
    if (cost === 'quadratic') c += 0.5 * (aj - y) ** 2;
    // network2.py takes np.nan_to_num of this; clamping the logarithm keeps it finite instead.
    else c -= y === 1 ? Math.log(Math.max(aj, TINY)) : Math.log(Math.max(1 - aj, TINY));
  }
  return c;
}
