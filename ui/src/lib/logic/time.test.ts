import { describe, expect, it } from "vitest";
import { formatDuration, formatSize, humanTime, sinceText } from "./time";

const now = new Date(2026, 10, 20, 15, 30); // Friday 20 Nov 2026, local time

describe("human times", () => {
  it("says today / yesterday / weekday for recent times", () => {
    expect(humanTime(new Date(2026, 10, 20, 10, 42), now)).toBe("today 10:42");
    expect(humanTime(new Date(2026, 10, 19, 18, 5), now)).toBe("yesterday 18:05");
    expect(humanTime(new Date(2026, 10, 16, 9, 12), now)).toBe("Monday 09:12");
  });

  it("gives the date for older times, with the year only when it differs", () => {
    expect(humanTime(new Date(2026, 2, 3, 10, 42), now)).toBe("3 Mar 10:42");
    expect(humanTime(new Date(2025, 2, 3, 8, 0), now)).toBe("3 Mar 2025 08:00");
  });

  it("reads RFC 3339 UTC strings from Rust in local time", () => {
    const iso = new Date(2026, 10, 20, 9, 1).toISOString();
    expect(humanTime(iso, now)).toBe("today 09:01");
    expect(humanTime("not a time", now)).toBe("not a time");
  });

  it("says how long ago a test ran", () => {
    const t = now.getTime();
    expect(sinceText(t - 10_000, t)).toBe("just now");
    expect(sinceText(t - 5 * 60_000, t)).toBe("5 min ago");
    expect(sinceText(t - 3 * 3600_000, t)).toBe("today 12:30");
  });

  it("formats sizes and durations", () => {
    expect(formatSize(812)).toBe("812 bytes");
    expect(formatSize(4200)).toBe("4.2 KB");
    expect(formatSize(2_000_000)).toBe("2 MB");
    expect(formatDuration(340)).toBe("340 ms");
    expect(formatDuration(1234)).toBe("1.2 s");
  });
});

describe("times inside sentences", () => {
  it("replaces RFC 3339 times with human ones and leaves the rest", async () => {
    const { humanizeTimes } = await import("./time");
    const iso = new Date(2026, 10, 20, 6, 31, 55).toISOString();
    expect(humanizeTimes(`before restoring the backup from ${iso}`, now)).toBe("before restoring the backup from today 06:31");
    expect(humanizeTimes('before adding "x"', now)).toBe('before adding "x"');
  });
});
