// A second chance for pasted text the importer could not read as a whole: the {…} block inside
// it, when README prose or code fences sit on the same lines as the JSON.

/** The text from the first "{" to the last "}", or null when that is no different from the paste. */
export function innerBlock(text: string): string | null {
  const start = text.indexOf("{");
  const end = text.lastIndexOf("}");
  if (start < 0 || end <= start) return null;
  const inner = text.slice(start, end + 1);
  return inner.trim() === text.trim() ? null : inner;
}
