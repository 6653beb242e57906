// The baseline of the bench: express 5 + multer 2 with disk storage, answering a small JSON. Run as its own process
// (so its RSS is its own): `node --import tsx bench/express-multer-server.ts`; prints `listening on <url>`.
import { mkdtempSync, rmSync } from "node:fs";
import { unlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import express from "express";
import multer from "multer";

const dir = mkdtempSync(join(tmpdir(), "anh-moe-bench-multer-"));
const upload = multer({ storage: multer.diskStorage({ destination: dir }), limits: { fileSize: 50_000_000 } });
const app = express();
app.post("/api/1/upload", upload.single("source"), (req, res) => {
  const file = req.file;
  res.json({ status_code: 200, success: { message: "image uploaded", code: 200 }, size: file?.size ?? 0 });
  // Delete after answering, so the disk does not fill during long runs (the mock also moves files away).
  if (file) unlink(file.path).catch(() => undefined);
});
const server = app.listen(0, "127.0.0.1", () => {
  const address = server.address();
  if (address !== null && typeof address === "object") console.log(`listening on http://127.0.0.1:${address.port}`);
});
const stop = () => {
  server.close();
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
