// What "Undo" in a toast restores after a write.
import type { SaveOutcome } from "../bindings/SaveOutcome";

/**
 * The backups that put every written file back as it was before the action: one per file, the
 * first one. An action can write a file twice (save, then turn on/off), and only its first
 * backup holds the state before the action; restoring the second as well would leave the save.
 */
export function undoBackups(outcomes: SaveOutcome[]): { path: string; id: string }[] {
  const out: { path: string; id: string }[] = [];
  for (const o of outcomes) {
    if (!o.written || !o.backup || out.some((b) => b.path === o.path)) continue;
    out.push({ path: o.path, id: o.backup.id });
  }
  return out;
}
