/**
 * The path of an executable on PATH, or undefined (tests that need a shell or
 * tool skip with a printed reason when it is absent).
 */
export async function which(name: string): Promise<string | undefined> {
  for (const dir of (Deno.env.get("PATH") ?? "/usr/bin:/bin").split(":")) {
    try {
      const p = `${dir}/${name}`;
      if ((await Deno.stat(p)).isFile) return p;
    } catch { /* not here */ }
  }
  return undefined;
}
