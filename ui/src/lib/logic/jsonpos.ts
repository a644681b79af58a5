// Where a JSON text goes wrong, in words and with line and column (JSON.parse's message differs
// per engine and WebKit's gives no position, so the text is checked here).

export interface JsonProblem {
  message: string;
  /** 1-based. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  /** Offset in the text (0-based), for selecting the spot. */
  offset: number;
}

class Stop extends Error {
  constructor(
    readonly at: number,
    readonly why: string,
  ) {
    super(why);
  }
}

function describe(ch: string | undefined): string {
  if (ch === undefined) return "the end of the text";
  if (ch === "\u201c" || ch === "\u201d" || ch === "\u2018" || ch === "\u2019") return `a curly quote (${ch}); use a straight " instead`;
  if (ch === "\n") return "a line break";
  return `“${ch}”`;
}

/** Check `text`; null when it is valid JSON. */
export function jsonProblem(text: string): JsonProblem | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r\ufeff".includes(text[i] as string)) i++;
  };
  const fail = (why: string): never => {
    throw new Stop(i, why);
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") return object();
    if (c === "[") return array();
    if (c === '"') return string();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    for (const word of ["true", "false", "null"]) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    fail(`Expected a value, found ${describe(c)}.`);
  };
  const object = () => {
    i++;
    ws();
    if (text[i] === "}") {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] !== '"') {
        if (text[i] === "}") fail("Remove the comma before “}” (a trailing comma is not allowed).");
        fail(`Expected a name in double quotes, found ${describe(text[i])}.`);
      }
      string();
      ws();
      if (text[i] !== ":") fail(`Expected “:” after the name, found ${describe(text[i])}.`);
      i++;
      value();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "}") {
        i++;
        return;
      }
      fail(`Expected “,” or “}”, found ${describe(text[i])}.`);
    }
  };
  const array = () => {
    i++;
    ws();
    if (text[i] === "]") {
      i++;
      return;
    }
    for (;;) {
      ws();
      if (text[i] === "]") fail("Remove the comma before “]” (a trailing comma is not allowed).");
      value();
      ws();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === "]") {
        i++;
        return;
      }
      fail(`Expected “,” or “]”, found ${describe(text[i])}.`);
    }
  };
  const string = () => {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) return fail("This text in quotes is never closed.");
      if (c === '"') {
        i++;
        return;
      }
      if (c === "\n") fail("A line break inside quotes is not allowed (the closing quote is missing?).");
      if (c === "\\") {
        const e = text[i + 1];
        if (e === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail("“\\u” must be followed by four hex digits.");
          i += 6;
          continue;
        }
        if (e === undefined || !'"\\/bfnrt'.includes(e)) fail(`“\\${e ?? ""}” is not a valid escape; write “\\\\” for a backslash.`);
        i += 2;
        continue;
      }
      if (c < " ") fail("A control character inside quotes is not allowed.");
      i++;
    }
  };
  const number = () => {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(text.slice(i));
    if (!m || m[0] === "-") fail("This number is not written the JSON way.");
    i += (m as RegExpExecArray)[0].length;
  };

  try {
    ws();
    if (i >= text.length) fail("The file is empty; it needs at least {}.");
    value();
    ws();
    if (i < text.length) {
      fail(
        text[i] === "{"
          ? "A second {…} block starts here; merge it into the first one."
          : `Unexpected ${describe(text[i])} after the end of the JSON.`,
      );
    }
    return null;
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    const before = text.slice(0, e.at);
    const line = before.split("\n").length;
    const column = e.at - (before.lastIndexOf("\n") + 1) + 1;
    return { message: e.why, line, column, offset: e.at };
  }
}
