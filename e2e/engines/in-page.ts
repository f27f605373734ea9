/**
 * What the cross-engine journey runs inside the page, as plain JavaScript source: the same text goes to
 * Gecko (puppeteer's evaluate) and to WebKit (WebDriver's Execute Script), so nothing depends on how a
 * test runner transpiles functions. Elements are found as a person names them: by the UI contract's
 * accessible names (DESIGN.md), approximated by aria-label, a label's text, or a button's text.
 */

/** What a query looks for: a button, a labelled field, a file input (its label is its visible text), or any element by aria-label. */
export type Role = 'button' | 'field' | 'file' | 'labelled';

export interface Query {
  role: Role;
  name: string;
}

/**
 * `find(role, name)`: the first visible, enabled element of that role and name, or null. A label's own
 * text is the label's text without the text of the control inside it.
 */
const FIND = `function find(role, name) {
  const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const labelText = (label) => {
    const copy = label.cloneNode(true);
    copy.querySelectorAll('input, select, textarea').forEach((c) => c.remove());
    return norm(copy.textContent);
  };
  const named = (el) => {
    const aria = el.getAttribute('aria-label');
    if (aria !== null) return norm(aria);
    if (el.labels && el.labels.length) return labelText(el.labels[0]);
    return norm(el.textContent);
  };
  const candidates = {
    button: 'button',
    field: 'input:not([type=file]), select, textarea',
    file: 'input[type=file]',
    labelled: '[aria-label]',
  }[role];
  for (const el of document.querySelectorAll(candidates)) {
    if (named(el) !== name) continue;
    if (el.disabled) continue;
    // A file input is hidden inside its label: the label is what must show.
    const shown = role === 'file' ? el.closest('label') : el;
    if (!shown || !shown.getClientRects().length) continue;
    return el;
  }
  return null;
}`;

/** An expression: the element `query` names, or null. */
export function findExpression(query: Query): string {
  return `(${FIND})(${JSON.stringify(query.role)}, ${JSON.stringify(query.name)})`;
}

/**
 * An expression: a snapshot of what the journey checks, as a person would read it off the page (the log's
 * lines, the runs' cards, the prediction, the viewer, alerts, the comparison table's rows).
 */
export const SNAPSHOT = `(() => {
  const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();
  const all = (selector) => [...document.querySelectorAll(selector)].map((el) => norm(el.textContent));
  const log = document.querySelector('[role=log][aria-label="Training log"]');
  const runs = document.querySelector('[role=list][aria-label="Runs"], ul[aria-label="Runs"], ol[aria-label="Runs"]');
  const table = [...document.querySelectorAll('table')].find((t) => t.getAttribute('aria-label') === 'Comparison' || norm(t.caption && t.caption.textContent).startsWith('Comparison'));
  const viewer = [...document.querySelectorAll('section, [role=region]')].find((s) => s.getAttribute('aria-label') === 'Digit viewer' || (s.getAttribute('aria-labelledby') && norm(document.getElementById(s.getAttribute('aria-labelledby'))?.textContent) === 'Digit viewer'));
  return {
    log: log ? [...log.querySelectorAll('li')].map((li) => norm(li.textContent)) : [],
    runs: runs ? [...runs.querySelectorAll(':scope > li')].map((li) => norm(li.textContent)) : [],
    prediction: norm(document.querySelector('output[aria-label=Prediction]')?.textContent),
    viewer: norm(viewer?.textContent),
    alerts: all('[role=alert]'),
    notices: all('.notice'),
    comparison: table ? [...table.querySelectorAll('tbody tr')].map((tr) => norm(tr.textContent)) : [],
    progress: norm(document.querySelector('[aria-label="Training progress"]')?.textContent),
    footer: norm(document.querySelector('footer')?.textContent),
    controlled: !!(navigator.serviceWorker && navigator.serviceWorker.controller),
  };
})()`;

/** What SNAPSHOT returns. */
export interface Snapshot {
  log: string[];
  runs: string[];
  prediction: string;
  viewer: string;
  alerts: string[];
  /** The page's notices (a new version waiting, runs found interrupted): what a failed step may have met. */
  notices: string[];
  comparison: string[];
  progress: string;
  footer: string;
  controlled: boolean;
}
