import { readdir, readFile } from "node:fs/promises";

/** Niceness of every thread of this process, by thread id (Linux `/proc`, field 19 of `stat`). */
export async function threadNiceness(): Promise<Map<number, number>> {
  const result = new Map<number, number>();
  for (const tid of await readdir("/proc/self/task")) {
    const stat = await readFile(`/proc/self/task/${tid}/stat`, "utf8").catch(() => "");
    // Fields after the command name (which may hold spaces) start at ") ": state is field 3, nice field 19.
    const fields = stat.slice(stat.lastIndexOf(") ") + 2).split(" ");
    if (fields[16] !== undefined) result.set(Number(tid), Number(fields[16]));
  }
  return result;
}
