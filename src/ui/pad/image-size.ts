/**
 * An image file's width and height from its first bytes (PNG's IHDR, JPEG's start-of-frame), so a photo
 * can be refused or decoded straight to a small size before a single pixel is decoded. Null when the file
 * is of another kind or its header is not found in `head`.
 */
export function imageSize(head: Uint8Array): { width: number; height: number } | null {
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  // PNG: the signature, then the IHDR chunk with width and height as big-endian 32-bit numbers.
  if (head.length >= 24 && view.getUint32(0) === 0x89504e47 && view.getUint32(12) === 0x49484452) {
    return { width: view.getUint32(16), height: view.getUint32(20) };
  }
  // JPEG: markers after the SOI, each with its length, until a start-of-frame (SOF0–SOF15 but DHT, JPG, DAC).
  if (head.length >= 4 && view.getUint16(0) === 0xffd8) {
    let at = 2;
    while (at + 9 <= head.length) {
      if (head[at] !== 0xff) return null;
      const marker = head[at + 1];
      if (marker === 0xff) {
        at += 1; // fill byte
        continue;
      }
      const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isFrame) return { width: view.getUint16(at + 7), height: view.getUint16(at + 5) };
      at += 2 + view.getUint16(at + 2);
    }
  }
  return null;
}
