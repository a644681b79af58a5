import { mount } from "svelte";
import App from "./App.svelte";
import "./app.css";
import { app } from "./lib/state/app.svelte";

// Ask for the files and servers before building the page, so that its first frame shows them
// (a frame of "Looking for your files…" first costs more than the wait, which is a few
// milliseconds). A slow answer (a huge ~/.claude.json) waits no longer than this.
await Promise.race([app.prefetch().catch(() => {}), new Promise((r) => setTimeout(r, 150))]);

const target = document.getElementById("app");
if (!target) throw new Error("#app is missing from index.html");
export default mount(App, { target });
