/** A message that something failed, what to do, and optionally a button to do it. */
import type { ReactNode } from 'react';

export function Alert({ children, action }: { children: ReactNode; action?: { label: string; onClick(): void } }) {
  return (
    <div role="alert" className="alert">
      <span>{children}</span>
      {action && (
        <button type="button" onClick={action.onClick}>
          {action.label}
        </button>
      )}
    </div>
  );
}
