// The photo uploads that run beside the small ones in scenario (e), in a process of their own: building a new 2–3 MB
// multipart body per upload stalls the event loop of whoever builds it, and the process that times the small uploads
// must not add its own stalls to the latencies it measures.
//
// As a script: `node --import tsx bench/photo-load.ts <upload url> <seconds>` prints the LoadResult as JSON.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { loadFixtures } from "./fixtures.js";
import { freshBodies } from "./fresh-bodies.js";
import { type LoadResult, load } from "./load.js";
import { GUEST_KEY } from "./servers.js";

const SCRIPT = fileURLToPath(import.meta.url);

/**
 * Uploads the bench's 6–12 MP photos at c = 2 for `seconds`, new bytes every upload, from a child process; resolves
 * with its {@link LoadResult}.
 */
export function photoLoadInChild(url: string, seconds: number): Promise<LoadResult> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT, url, String(seconds)], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    output += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code !== 0) reject(new Error(`bench/photo-load.ts exited with ${code}`));
      else resolve(JSON.parse(output) as LoadResult);
    });
  });
}

async function main(url: string, seconds: number): Promise<void> {
  const { photos } = await loadFixtures();
  const result = await load({
    url,
    body: freshBodies({ key: GUEST_KEY }, photos),
    connections: 2,
    duration: seconds,
    timeoutSeconds: 120,
  });
  process.stdout.write(JSON.stringify(result));
}

if (process.argv[1] === SCRIPT) {
  const [url, seconds] = process.argv.slice(2);
  if (url === undefined || !(Number(seconds) > 0)) {
    process.stderr.write("usage: node --import tsx bench/photo-load.ts <upload url> <seconds>\n");
    process.exit(2);
  }
  await main(url, Number(seconds));
}
