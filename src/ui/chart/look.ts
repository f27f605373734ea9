/**
 * How the charts look: their colours on a light or dark page, and the size of the words Chart.js draws on
 * the canvas (the page's own type is in rem, so Present's larger type does not reach them by itself).
 */
export function chartColours(dark: boolean): { text: string; grid: string } {
  return { text: dark ? '#c9d1d9' : '#3b4252', grid: dark ? 'rgba(255,255,255,0.12)' : 'rgba(0,0,0,0.08)' };
}

/** How much larger the canvas's words are when presenting: read from the back of a classroom. */
export const PRESENT_TEXT_SCALE = 1.5;

/** A canvas font of `size` px (Chart.js's default is 12), scaled when presenting. */
export function chartFont(large: boolean, size = 12): { size: number } {
  return { size: large ? Math.round(size * PRESENT_TEXT_SCALE) : size };
}
