// The only module that talks to Tauri. Components call these typed functions; every failure is
// an `IpcError` ({code, message, detail}) and the UI branches on `code`, never on the text.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { open } from "@tauri-apps/plugin-dialog";
import type { ApproveReport } from "./bindings/ApproveReport";
import type { BackupMeta } from "./bindings/BackupMeta";
import type { CopyReport } from "./bindings/CopyReport";
import type { Exported } from "./bindings/Exported";
import type { FoundFile } from "./bindings/FoundFile";
import type { Reading } from "./bindings/Reading";
import type { Shape } from "./bindings/Shape";
import type { CatalogAdded } from "./bindings/CatalogAdded";
import type { Client } from "./bindings/Client";
import type { Details } from "./bindings/Details";
import type { FileDiff } from "./bindings/FileDiff";
import type { FilesChanged } from "./bindings/FilesChanged";
import type { Finding } from "./bindings/Finding";
import type { FixReport } from "./bindings/FixReport";
import type { Imported } from "./bindings/Imported";
import type { IpcError } from "./bindings/IpcError";
import type { Listing } from "./bindings/Listing";
import type { Moved } from "./bindings/Moved";
import type { NamedEntry } from "./bindings/NamedEntry";
import type { Overview } from "./bindings/Overview";
import type { ProbeResult } from "./bindings/ProbeResult";
import type { Progress } from "./bindings/Progress";
import type { RawFile } from "./bindings/RawFile";
import type { RemoveReport } from "./bindings/RemoveReport";
import type { Resolution } from "./bindings/Resolution";
import type { SaveOutcome } from "./bindings/SaveOutcome";
import type { FormSaved } from "./bindings/FormSaved";
import type { FormRequest } from "./bindings/FormRequest";
import type { Policy } from "./bindings/Policy";
import type { RawProblem } from "./bindings/RawProblem";
import type { SearchResult } from "./bindings/SearchResult";
import type { SecretList } from "./bindings/SecretList";
import type { ServerLog } from "./bindings/ServerLog";
import type { ServerRef } from "./bindings/ServerRef";
import type { ServerSpec } from "./bindings/ServerSpec";
import type { SetReport } from "./bindings/SetReport";
import type { Slot } from "./bindings/Slot";
import type { SourceRef } from "./bindings/SourceRef";
import type { JsonValue } from "./bindings/serde_json/JsonValue";

export type { IpcError };

/** Whether a thrown value is the app's error envelope. */
export function isIpcError(e: unknown): e is IpcError {
  return typeof e === "object" && e !== null && "code" in e && "message" in e;
}

/** Plain words for any failure (the envelope's message, or a fallback). */
export function errorText(e: unknown): string {
  if (isIpcError(e)) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

export const api = {
  overview: () => invoke<Overview>("overview"),
  /** The first overview is on screen (the startup benchmark measures up to here; else a no-op). */
  uiReady: () => invoke<void>("ui_ready"),
  resolveCommand: (command: string, client: Client) =>
    invoke<Resolution | null>("resolve_command", { command, client }),

  saveServer: (source: SourceRef, name: string, rename: string | null, spec: ServerSpec, base: JsonValue | null) =>
    invoke<SaveOutcome>("save_server", { source, name, rename, spec, base }),
  addServers: (source: SourceRef, servers: NamedEntry[]) =>
    invoke<SaveOutcome>("add_servers", { source, servers }),
  removeServer: (source: SourceRef, name: string) => invoke<SaveOutcome>("remove_server", { source, name }),
  setEnabled: (source: SourceRef, name: string, enabled: boolean) =>
    invoke<SaveOutcome>("set_enabled", { source, name, enabled }),
  duplicateServer: (source: SourceRef, name: string, newName: string) =>
    invoke<SaveOutcome>("duplicate_server", { source, name, newName }),
  importPreview: (text: string) => invoke<Imported>("import_preview", { text }),
  applyFix: (source: SourceRef, name: string, fixId: string) =>
    invoke<SaveOutcome>("apply_fix", { source, name, fixId }),
  fixAll: () => invoke<FixReport>("fix_all"),
  /** Approve a project server for Claude Code (with `trust`: also trust its folder). */
  approveServer: (project: string, name: string, trust: boolean) =>
    invoke<ApproveReport>("approve_server", { project, name, trust }),

  /** List a project folder's `.mcp.json` from now on; answers that file's path. */
  addProject: (dir: string) => invoke<string>("add_project", { dir }),
  /** Take a folder the person added off the list (its files stay as they are). */
  forgetProject: (dir: string) => invoke<void>("forget_project", { dir }),

  testServers: (only: ServerRef[] | null, timeoutSecs?: number) =>
    invoke<ProbeResult[]>("test_servers", { only, timeoutSecs: timeoutSecs ?? null }),
  cancelTests: () => invoke<void>("cancel_tests"),

  backups: (path: string) => invoke<BackupMeta[]>("backups", { path }),
  backupDiff: (path: string, id: string) => invoke<FileDiff>("backup_diff", { path, id }),
  /** The editor's Save in one call: entry, new name, on/off, values kept in the keychain. */
  saveForm: (source: SourceRef, form: FormRequest) => invoke<FormSaved>("save_form", { source, form }),
  restoreBackup: (path: string, id: string) => invoke<SaveOutcome>("restore_backup", { path, id }),
  /** Put back the backup `id` while the file still holds `written` (else an `undo-conflict`). */
  undo: (path: string, id: string, written: string) => invoke<SaveOutcome>("undo", { path, id, written }),
  /** Undo only the servers this app's own writes since backup `id` changed. */
  undoMine: (path: string, id: string) => invoke<SaveOutcome>("undo_mine", { path, id }),
  /** What repairing a file would change. */
  repairPreview: (path: string) => invoke<FileDiff>("repair_preview", { path }),
  /** Repair a file that does not parse (the broken version is backed up first). */
  repairFile: (path: string) => invoke<SaveOutcome>("repair_file", { path }),
  /** Check raw-view text as saving would: where it goes wrong, or null. */
  checkRaw: (path: string, text: string) => invoke<RawProblem | null>("check_raw", { path, text }),
  /** The rules every shell applies (timeouts, the raw view's limits). */
  policy: () => invoke<Policy>("policy"),
  rawFile: (path: string) => invoke<RawFile>("raw_file", { path }),
  saveRaw: (path: string, text: string, base: string) => invoke<SaveOutcome>("save_raw", { path, text, base }),
  serverLog: (source: SourceRef, name: string) => invoke<ServerLog>("server_log", { source, name }),

  secrets: () => invoke<SecretList>("secrets"),
  secretSet: (name: string, value: string) => invoke<SetReport>("secret_set", { name, value }),
  secretMark: (source: SourceRef, server: string, slot: Slot, name: string | null) =>
    invoke<Moved>("secret_mark", { source, server, slot, name }),
  secretReveal: (name: string) => invoke<string>("secret_reveal", { name }),
  secretRemove: (name: string) => invoke<RemoveReport>("secret_remove", { name }),

  /** Other apps' MCP files on this machine and their servers (read only). */
  elsewhere: () => invoke<FoundFile[]>("elsewhere"),
  /** A paste, each server judged on its own (nothing is saved). */
  importRead: (text: string) => invoke<Reading>("import_read", { text }),
  /** Copy a server to another client's file, rewritten for it (checked by the doctor first). */
  copyServer: (source: SourceRef, name: string, to: SourceRef) => invoke<CopyReport>("copy_server", { source, name, to }),
  /** A server as the snippet another app expects (never with a secret in it). */
  exportServer: (source: SourceRef, name: string, shape: Shape) => invoke<Exported>("export_server", { source, name, shape }),
  /** Search the catalog's copy on disk (fast: every keystroke). */
  catalogSearch: (query: string) => invoke<SearchResult>("catalog_search", { query }),
  /** Ask the registry about `query`; a newer call cancels this one. `true`: search again. */
  catalogLookup: (query: string) => invoke<boolean>("catalog_lookup", { query }),
  /** Read the whole registry into the copy (slow; in the background). */
  catalogRefresh: () => invoke<number>("catalog_refresh"),
  catalogDetails: (name: string) => invoke<Details>("catalog_details", { name }),
  /** A server's icon as a data: URL (`null`: show initials). */
  catalogIcon: (src: string) => invoke<string | null>("catalog_icon", { src }),
  /** Add a catalog server; its secret answers go to the keychain, never into the page again. */
  catalogAdd: (source: SourceRef, name: string, server: string, option: string, answers: Record<string, string[]>) =>
    invoke<CatalogAdded>("catalog_add", { source, name, server, option, answers }),
  /**
   * The first screen in steps (paint after `listing`, then fill in the other two; `overview`
   * answers all three at once and stays for reloads that want them together).
   */
  listing: () => invoke<Listing[]>("listing"),
  /** The doctor's findings (reads the login shell's environment the first time: a moment). */
  findings: () => invoke<Finding[]>("findings"),
  /** Whether Claude Desktop runs now (`null`: cannot tell). */
  desktopRunning: () => invoke<boolean | null>("desktop_running"),
  /** The support report as text, with this session's last test results; no secret in it. */
  supportReport: () => invoke<string>("support_report"),

  /** Pick folders or files (the system dialog; nothing else of the file system is exposed). */
  pick: async (opts: { directory: boolean; multiple: boolean; title: string }): Promise<string[]> => {
    const r = await open({ directory: opts.directory, multiple: opts.multiple, title: opts.title });
    if (r === null) return [];
    return Array.isArray(r) ? r : [r];
  },
};

export const events = {
  /** Another program changed one of the config files. */
  onFilesChanged: (f: (e: FilesChanged) => void): Promise<UnlistenFn> =>
    listen<FilesChanged>("files-changed", (ev) => f(ev.payload)),
  /** A test run's progress, one event when a server starts and one when it finishes. */
  onProbeProgress: (f: (p: Progress) => void): Promise<UnlistenFn> =>
    listen<Progress>("probe-progress", (ev) => f(ev.payload)),
};
