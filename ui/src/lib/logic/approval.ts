// What an approval did, in the app's words. The core's messages are written for the command line
// (they name the settings key and `mcpconf` commands); the page says what happens next instead.
import type { ApprovedServer } from "../bindings/ApprovedServer";

export function approvalText(s: ApprovedServer): string {
  switch (s.state) {
    case "approved":
      return `Claude Code will start “${s.name}” the next time you open the project.`;
    case "needs-trust":
      return `“${s.name}” is approved, but Claude Code will first ask whether you trust the folder.`;
    case "disabled":
      return `“${s.name}” is approved, but it is switched off for this project: turn its switch on to use it.`;
    default:
      // Declined in a file this app does not change: the core's message names the file.
      return s.message;
  }
}
