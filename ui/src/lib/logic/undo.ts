// What "Undo" in a toast puts back after a write.
import type { SaveOutcome } from "../bindings/SaveOutcome";

/** One file to put back: its backup from before the action, and what the action left in it. */
export interface UndoStep {
  path: string;
  /** The first backup the action made of this file: the state before the action. */
  id: string;
  /**
   * The hash of what the action's last write left in the file. Undo puts the backup back only
   * while the file still holds exactly that; a change another program made since is never
   * reverted silently.
   */
  written: string | null;
}

/**
 * The backups that put every written file back as it was before the action: one per file, the
 * first one. An action can write a file twice (save, then turn on/off), and only its first
 * backup holds the state before the action; restoring the second as well would leave the save.
 */
export function undoBackups(outcomes: SaveOutcome[]): UndoStep[] {
  const out: UndoStep[] = [];
  for (const o of outcomes) {
    if (!o.written) continue;
    const seen = out.find((b) => b.path === o.path);
    if (seen) {
      seen.written = o.hash ?? seen.written;
      continue;
    }
    if (!o.backup) continue;
    out.push({ path: o.path, id: o.backup.id, written: o.hash ?? null });
  }
  return out;
}
