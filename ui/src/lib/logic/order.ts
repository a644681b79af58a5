// Rows keep their place: a server turned off (which Rust lists after the others) or changed by
// another program does not jump around under the pointer.

/** `current` names in the order already shown (`previous`), new names after, in their own order. */
export function stableOrder(previous: readonly string[] | undefined, current: readonly string[]): string[] {
  if (!previous) return [...current];
  const now = new Set(current);
  const kept = previous.filter((n) => now.has(n));
  const seen = new Set(kept);
  return [...kept, ...current.filter((n) => !seen.has(n))];
}
