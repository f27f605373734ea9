/** axe-core on the page as it is: every rule of the WCAG 2.0–2.2 A and AA sets, axe's best practices and its experimental rules (label-content-name-mismatch among them). */
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';

/** The rule sets checked; no rule is disabled. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice', 'experimental'];

/** Run axe and expect no violation of any impact; a failure lists each rule, its impact and the elements. */
export async function expectNoAxeViolations(page: Page, state: string): Promise<number> {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  const found = results.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => `${n.target.join(' ')} — ${n.failureSummary?.split('\n')[1]?.trim()}`).join('; ')}`,
  );
  expect(found, `axe on ${state}`).toEqual([]);
  console.log(`axe on ${state}: ${results.passes.length} rules passed, ${results.inapplicable.length} did not apply, 0 violations`);
  return results.passes.length;
}
