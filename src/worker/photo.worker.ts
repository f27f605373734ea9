/**
 * Decodes one photo off the page's thread: a phone's 48-megapixel image takes the better part of a
 * second to decode and scale, which on the page would freeze it. Takes the file and the size to decode
 * to; answers with the pixels (at most `side` on the longer edge), or why it could not.
 */
import type { PhotoAnswer, PhotoRequest } from './protocol';

self.onmessage = async ({ data: { file, resize, side } }: MessageEvent<PhotoRequest>) => {
  const answer = (message: PhotoAnswer, transfer: Transferable[] = []) => self.postMessage(message, { transfer });
  // Safari before 16.4 has no OffscreenCanvas in workers: the page decodes the photo itself.
  if (typeof OffscreenCanvas !== 'function') return answer({ kind: 'unable' });
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, resize ?? undefined);
  } catch {
    return answer({ kind: 'undecodable' });
  }
  const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const ctx = new OffscreenCanvas(width, height).getContext('2d')!;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const { data } = ctx.getImageData(0, 0, width, height);
  answer({ kind: 'pixels', pixels: { data, width, height } }, [data.buffer]);
};
