import { describe, expect, it } from "vitest";
import type { Field } from "../bindings/Field";
import type { Form } from "../bindings/Form";
import { Memo, answerIssue, cleanAnswers, clientName, initials, missing, startAnswers, targetWords } from "./catalog";

function field(key: string, extra: Partial<Field> = {}): Field {
  return {
    key,
    label: key,
    help: "",
    kind: "text",
    choices: [],
    required: false,
    default: null,
    placeholder: null,
    repeated: false,
    target: { kind: "env", name: key },
    ...extra,
  };
}

const FORM: Form = {
  server: "io.github.jane/weather",
  option: "package:0",
  blocked: null,
  fields: [
    field("API_KEY", { kind: "secret", required: true }),
    field("REGION", { kind: "choice", choices: ["eu", "us"], default: "eu" }),
    field("folder", { kind: "path", required: true, repeated: true, target: { kind: "argument", name: "folder" } }),
    field("TIMEOUT", { kind: "number" }),
  ],
};

describe("catalog form", () => {
  it("starts from the defaults and names what is still missing", () => {
    const a = startAnswers(FORM);
    expect(a).toEqual({ API_KEY: [], REGION: ["eu"], folder: [], TIMEOUT: [] });
    expect(missing(FORM, a).map((f) => f.key)).toEqual(["API_KEY", "folder"]);
    a["API_KEY"] = ["k"];
    a["folder"] = ["  ", "/home/ann"];
    expect(missing(FORM, a)).toEqual([]);
    expect(cleanAnswers(a)).toEqual({ API_KEY: ["k"], REGION: ["eu"], folder: ["/home/ann"] });
  });

  it("checks numbers and choices in words", () => {
    expect(answerIssue(FORM.fields[3]!, { TIMEOUT: ["soon"] })).toBe("TIMEOUT must be a number.");
    expect(answerIssue(FORM.fields[3]!, { TIMEOUT: ["30"] })).toBeNull();
    expect(answerIssue(FORM.fields[1]!, { REGION: ["mars"] })).toBe("REGION must be one of eu, us.");
  });

  it("says where an answer goes", () => {
    expect(targetWords({ kind: "env", name: "A" })).toBe("environment variable A");
    expect(targetWords({ kind: "url" })).toBe("the server’s address");
  });
});

describe("catalog names", () => {
  it("makes a short free name for the file from the registry name", () => {
    expect(clientName("io.github.brave/brave-search-mcp-server", [])).toBe("brave-search");
    expect(clientName("com.notion/mcp", [])).toBe("mcp");
    expect(clientName("io.github.jane/Weather.App", ["weather-app"])).toBe("weather-app-2");
    expect(clientName("a/!!!", [])).toBe("server");
  });

  it("gives initials for a server without an icon", () => {
    expect(initials("Brave web search")).toBe("BW");
    expect(initials("github")).toBe("GI");
    expect(initials("  ")).toBe("?");
  });
});

describe("search memo", () => {
  it("keeps the most recent queries", () => {
    const m = new Memo<number>(2);
    m.set("a", 1);
    m.set("b", 2);
    expect(m.get("a")).toBe(1);
    m.set("c", 3);
    expect(m.get("b")).toBeUndefined();
    expect(m.get("a")).toBe(1);
    m.clear();
    expect(m.get("a")).toBeUndefined();
  });
});
