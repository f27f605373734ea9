/** The PNG file of `pixels`: `height` rows of `width` pixels of `channels` bytes (1 grey, 3 RGB). */
export function encodePng(width: number, height: number, channels: 1 | 3, pixels: Uint8Array): Buffer;
