// The Catalog tab's pure parts: initials for a server without an icon, the answers a form
// starts with, what is still missing, a client name from a registry name, and the search
// memo that lets a retyped query paint at once.
import type { AppVerdict } from "../bindings/AppVerdict";
import type { Client } from "../bindings/Client";
import type { Field } from "../bindings/Field";
import type { Form } from "../bindings/Form";
import type { Target } from "../bindings/Target";
import type { Verdict } from "../bindings/Verdict";

/** Answers by field key; a list field has several. */
export type Answers = Record<string, string[]>;

/** "Brave web search" → "BW"; "github" → "GI". */
export function initials(title: string): string {
  const words = title.trim().split(/[\s_./-]+/).filter((w) => /[A-Za-z0-9]/.test(w));
  if (words.length === 0) return "?";
  if (words.length === 1) return words[0]!.slice(0, 2).toUpperCase();
  return (words[0]![0]! + words[1]![0]!).toUpperCase();
}

/** The answers a form starts with: its defaults. */
export function startAnswers(form: Form): Answers {
  const out: Answers = {};
  for (const f of form.fields) out[f.key] = f.default !== null ? [f.default] : [];
  return out;
}

function filled(a: Answers, key: string): string[] {
  return (a[key] ?? []).map((v) => v.trim()).filter((v) => v.length > 0);
}

/** Required fields without an answer (in form order). */
export function missing(form: Form, answers: Answers): Field[] {
  return form.fields.filter((f) => f.required && filled(answers, f.key).length === 0);
}

/** What is wrong with an answer, in words (null when it is fine or empty). */
export function answerIssue(f: Field, answers: Answers): string | null {
  for (const v of filled(answers, f.key)) {
    if (f.kind === "number" && !Number.isFinite(Number(v))) return `${f.label} must be a number.`;
    if (f.kind === "choice" && f.choices.length > 0 && !f.choices.includes(v))
      return `${f.label} must be one of ${f.choices.join(", ")}.`;
  }
  return null;
}

/** Only the non-empty answers (what is sent to be added). */
export function cleanAnswers(answers: Answers): Answers {
  const out: Answers = {};
  for (const [k, v] of Object.entries(answers)) {
    const vals = v.map((x) => x.trim()).filter((x) => x.length > 0);
    if (vals.length > 0) out[k] = vals;
  }
  return out;
}

/** A name for the client's file: the registry name's last part, made valid and not taken. */
export function clientName(registryName: string, taken: string[]): string {
  const last = registryName.split("/").pop() ?? registryName;
  let base = last
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .replace(/-mcp(-server)?$|^mcp-(server-)?|-server$/g, "")
    .slice(0, 60);
  if (base === "") base = "server";
  let name = base;
  for (let i = 2; taken.includes(name); i++) name = `${base}-${i}`;
  return name;
}

/** The verdict for the chosen client. */
export function verdictFor(v: Verdict, client: Client): AppVerdict {
  return client === "claude-desktop" ? v.claude_desktop : v.claude_code;
}

/** "environment variable API_KEY", "header Authorization", "argument --port", "address". */
export function targetWords(t: Target): string {
  switch (t.kind) {
    case "env":
      return `environment variable ${t.name}`;
    case "header":
      return `header ${t.name}`;
    case "argument":
      return `argument ${t.name}`;
    case "url":
      return "the server’s address";
  }
}

/** Results of recent queries, so a query typed again (or backspaced to) paints at once. */
export class Memo<T> {
  #map = new Map<string, T>();
  constructor(private readonly size = 64) {}
  get(q: string): T | undefined {
    const v = this.#map.get(q);
    if (v !== undefined) {
      this.#map.delete(q);
      this.#map.set(q, v);
    }
    return v;
  }
  set(q: string, v: T) {
    this.#map.delete(q);
    this.#map.set(q, v);
    while (this.#map.size > this.size) {
      const oldest = this.#map.keys().next().value;
      if (oldest === undefined) break;
      this.#map.delete(oldest);
    }
  }
  clear() {
    this.#map.clear();
  }
}
