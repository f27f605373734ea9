/** Why the browser's storage refused, in words a person can act on (a full disk's error has no message of its own). */
import { errorMessage } from '../nn/format';

export function storageReason(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  if (name === 'QuotaExceededError') return 'the browser’s storage is full';
  if (name === 'SecurityError') return 'this browser does not let the page store anything here (a private window?)';
  if (name === 'InvalidStateError' || name === 'UnknownError') return 'the browser’s storage is unavailable';
  return errorMessage(error) || name || 'the browser refused without saying why';
}
