// Times and sizes in words people use, in the local time zone.

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const DAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function hm(d: Date): string {
  return `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
}

function dayStart(d: Date): number {
  return new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
}

/** "today 10:42", "yesterday 18:05", "Monday 09:12", "3 Mar 10:42", "3 Mar 2025 10:42". */
export function humanTime(when: Date | string, now: Date = new Date()): string {
  const d = typeof when === "string" ? new Date(when) : when;
  if (Number.isNaN(d.getTime())) return String(when);
  const days = Math.round((dayStart(now) - dayStart(d)) / 86_400_000);
  if (days === 0) return `today ${hm(d)}`;
  if (days === 1) return `yesterday ${hm(d)}`;
  if (days > 1 && days < 7) return `${DAYS[d.getDay()]} ${hm(d)}`;
  const date = `${d.getDate()} ${MONTHS[d.getMonth()]}`;
  if (d.getFullYear() === now.getFullYear()) return `${date} ${hm(d)}`;
  return `${date} ${d.getFullYear()} ${hm(d)}`;
}

/** "just now", "5 min ago", else the human time. */
export function sinceText(when: number, now: number = Date.now()): string {
  const s = Math.max(0, Math.round((now - when) / 1000));
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  return humanTime(new Date(when), new Date(now));
}

/** "812 bytes", "4.2 KB", "1.3 MB". */
export function formatSize(bytes: number): string {
  if (bytes < 1000) return `${bytes} bytes`;
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1).replace(/\.0$/, "")} KB`;
  return `${(bytes / 1_000_000).toFixed(1).replace(/\.0$/, "")} MB`;
}

/** "1.2 s" / "340 ms". */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

const ISO = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g;

/** Times written by Rust inside a sentence ("…the backup from 2026-11-21T06:31:55Z") in words. */
export function humanizeTimes(text: string, now: Date = new Date()): string {
  return text.replace(ISO, (iso) => humanTime(iso, now));
}
