// One round trip like the real app's first one, a render of its answer, then two frames (layout,
// paint) before saying "painted": the same end point bench-app times the real app to.
const invoke = window.__TAURI_INTERNALS__.invoke;
invoke("hello").then((text) => {
  document.getElementById("answer").textContent = text;
  requestAnimationFrame(() => requestAnimationFrame(() => invoke("painted")));
});
