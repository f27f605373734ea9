/** A file input dressed as a button: its label is the visible text, and it is emptied after each choice. */
import type { ReactNode } from 'react';

interface Props {
  /** The visible text, which is also the input's accessible name. */
  children: ReactNode;
  accept: string;
  disabled?: boolean;
  /** The file chosen; the input is emptied once this settles, so choosing the same file again is heard. */
  onFile(file: File | undefined): Promise<unknown> | void;
}

export function FileButton({ children, accept, disabled = false, onFile }: Props) {
  return (
    <label className={`file-button${disabled ? ' disabled' : ''}`}>
      {children}
      <input
        type="file"
        accept={accept}
        disabled={disabled}
        onChange={(e) => {
          const input = e.target;
          void Promise.resolve(onFile(input.files?.[0])).finally(() => (input.value = ''));
        }}
      />
    </label>
  );
}
