// `varietal remote`: manage remote sources (Wallhaven, Unsplash, Reddit, Bing, APOD, RSS).
import type { CommandSpec, Invocation } from "./_command.ts";
import type { Context } from "./_context.ts";
import { boolFlag, expectArgs, stringFlag } from "./_parse.ts";
import { counted, printable, styles } from "./_output.ts";
import { CliError, EXIT, UsageError } from "./errors.ts";
import { REMOTE_KINDS } from "../config/choices.ts";
import { ConfigError, problemsOf } from "../config/errors.ts";
import { disabledInConfig, remoteReader } from "../config/remote.ts";
import { formatByteSize } from "../config/byte_size.ts";
import type { Database } from "../db/database.ts";
import {
  backoffEnd,
  getRemote,
  listRemotes,
  type RemoteRow,
  remoteUsage,
  removeRemote,
  setRemoteEnabled,
  upsertRemote,
} from "../db/remotes.ts";
import {
  downloadsRoot,
  droppedRemoteNote,
  ensureRemoteDir,
  syncConfigRemotes,
} from "../remote/sync.ts";
import { readApiKey } from "../remote/api_key.ts";
import { apiKeyProblem, checkRemotes } from "../remote/remote_check.ts";
import { localTime } from "../text/local_time.ts";
import { onScreenFrom } from "../pipeline/browse.ts";
import { expandPath } from "../scan/source_path.ts";
import { fitWidth } from "../text/text_width.ts";

const json = { type: "boolean", description: "Print JSON" } as const;

export const spec: CommandSpec = {
  name: "remote",
  summary: "Add, list, remove, enable or disable remote sources of wallpapers",
  description: "Remote sources download new wallpapers (see 'varietal fetch') into\n" +
    "$XDG_DATA_HOME/varietal/downloads/NAME/. Entries in config.toml ([[remote]]) are listed\n" +
    "too; their settings come from the file.",
  subcommands: [
    {
      name: "list",
      summary: "List remote sources with their images, unseen count and disk use",
      options: { json },
      examples: ["varietal remote list --json"],
    },
    {
      name: "add",
      summary: "Add a remote source",
      args: "NAME",
      options: {
        kind: {
          type: "string",
          value: "KIND",
          choices: REMOTE_KINDS,
          description: "What it reads (required)",
        },
        query: {
          type: "string",
          value: "TEXT",
          description: "Search terms, subreddit, market (bing) or feed URL (rss)",
        },
        api: { type: "string", value: "URL", description: "API base URL (default: the kind's)" },
        "api-key-env": {
          type: "string",
          value: "VAR",
          description: "Environment variable holding the API key",
        },
        "api-key-file": {
          type: "string",
          value: "FILE",
          complete: "file",
          description: "File holding the API key (a relative path: in the current folder)",
        },
        "keep-unseen": {
          type: "string",
          value: "N",
          description: "Download until N never-shown images wait (default 10)",
        },
        quota: { type: "string", value: "SIZE", description: "Disk kept, e.g. 1GiB (default)" },
        "max-file-size": {
          type: "string",
          value: "SIZE",
          description: "Largest file downloaded (default 50MiB)",
        },
        "min-width": { type: "string", value: "PX", description: "Smallest width (default 640)" },
        "min-height": { type: "string", value: "PX", description: "Smallest height (default 480)" },
        "allow-nsfw": {
          type: "boolean",
          description: "Also keep images the service marks not safe for work (sfw_only = false)",
        },
        disabled: { type: "boolean", description: "Add it disabled" },
        json,
      },
      examples: [
        'varietal remote add nature --kind wallhaven --query "nature landscape"',
        "varietal remote add earth --kind reddit --query EarthPorn --keep-unseen 20",
        "varietal remote add photos --kind unsplash --api-key-env UNSPLASH_ACCESS_KEY",
        "varietal remote add space --kind apod",
      ],
    },
    {
      name: "remove",
      summary: "Remove remotes: forget their images and delete their downloads",
      args: "NAME…",
      complete: "remote",
      options: { json },
    },
    {
      name: "enable",
      summary: "Use remotes again",
      args: "NAME…",
      complete: "remote",
      options: { json },
    },
    {
      name: "disable",
      summary: "Stop fetching and showing remotes (their files are kept)",
      args: "NAME…",
      complete: "remote",
      options: { json },
    },
  ],
};

const FLAG_OF: Record<string, string> = {
  api_key_env: "api-key-env",
  api_key_file: "api-key-file",
  keep_unseen: "keep-unseen",
  max_file_size: "max-file-size",
  min_width: "min-width",
  min_height: "min-height",
};

function numeric(v: string | undefined): number | string | undefined {
  // (Any number: the setting's reader then says what range or kind of number it takes.)
  return v !== undefined && /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v;
}

async function remoteJson(db: Database, r: RemoteRow, ctx: Context) {
  const usage = remoteUsage(db, r.source_id);
  const key = await readApiKey(r, ctx.env, ctx.paths.home);
  return {
    name: r.name,
    kind: r.kind,
    query: r.query,
    api: r.api,
    enabled: r.enabled,
    from_config: r.from_config,
    folder: r.path,
    images: usage.images,
    unseen: usage.unseen,
    keep_unseen: r.keep_unseen,
    bytes: usage.bytes,
    quota: r.quota,
    max_file_size: r.max_file_size,
    min_width: r.min_width,
    min_height: r.min_height,
    sfw_only: r.sfw_only,
    // Where the key comes from and whether it is there; never the key.
    api_key: {
      from: key.from,
      set: key.key !== null,
      problem: apiKeyProblem(r.kind, key, { name: r.name, byCommand: !r.from_config }),
    },
    // Times in ms since the epoch, as every --json of varietal gives them.
    backoff_until: backoffEnd(r, Date.now()),
    last_error: r.last_error,
    last_fetch_at: r.last_fetch_at,
  };
}

function findRemote(db: Database, name: string): RemoteRow {
  const r = getRemote(db, name);
  if (!r) throw new CliError(`no remote named "${name}"; see 'varietal remote list'`);
  return r;
}

export async function run(ctx: Context, inv: Invocation): Promise<number> {
  const config = await ctx.config();
  const db = await ctx.db();
  const { dropped, followed } = await syncConfigRemotes(db, config, ctx.paths);
  for (const r of dropped) ctx.out.err(`varietal: ${r.name}: ${droppedRemoteNote(r)}`);
  for (const f of followed) ctx.out.err(`varietal: ${f.remote}: ${printable(f.message)}`);
  const asJson = boolFlag(inv, "json");
  const s = styles(ctx.out.color);
  const path = `remote ${inv.sub}`;
  switch (inv.sub) {
    case "list": {
      expectArgs(inv, 0, 0, path);
      const rows = listRemotes(db);
      const items = [];
      for (const r of rows) items.push(await remoteJson(db, r, ctx));
      if (asJson) {
        ctx.out.json(items);
      } else if (items.length === 0) {
        ctx.out.line(
          "No remote sources yet. Add one: varietal remote add nature --kind wallhaven --query nature",
        );
      } else {
        ctx.out.line(s.bold(
          `${fitWidth("NAME", 14)}  ${fitWidth("KIND", 9)}  ${fitWidth("IMAGES", 6, true)}  ${
            fitWidth("UNSEEN", 9, true)
          }  ${fitWidth("DISK/QUOTA", 19, true)}  STATE`,
        ));
        for (const r of items) {
          const state = !r.enabled
            ? s.dim("disabled")
            : r.backoff_until && r.backoff_until > Date.now()
            ? s.yellow(`backing off until ${localTime(r.backoff_until)}`)
            : r.api_key.problem
            ? s.red(r.api_key.problem)
            : r.last_error
            ? s.yellow(`last fetch failed: ${printable(r.last_error)}`)
            : s.green("enabled");
          ctx.out.line(
            `${fitWidth(r.name, 14)}  ${fitWidth(r.kind, 9)}  ${
              fitWidth(String(r.images), 6, true)
            }  ${fitWidth(`${r.unseen}/${r.keep_unseen}`, 9, true)}  ${
              fitWidth(`${formatByteSize(r.bytes)}/${formatByteSize(r.quota)}`, 19, true)
            }  ${state}`,
          );
        }
      }
      return EXIT.ok;
    }
    case "add": {
      const [name] = expectArgs(inv, 1, 1, path, "name");
      const kind = stringFlag(inv, "kind");
      if (!kind) {
        throw new UsageError(`'remote add' needs --kind (${REMOTE_KINDS.join(", ")})`, path);
      }
      const raw: Record<string, unknown> = { name, kind };
      for (const k of ["query", "api", "api_key_env", "api_key_file"]) {
        const v = stringFlag(inv, FLAG_OF[k] ?? k);
        if (v !== undefined) raw[k] = v;
      }
      // A key file named on the command line is where the user is, as `sources add DIR` is
      // (in config.toml a relative path is under the home folder: no current folder there).
      const keyFile = raw.api_key_file;
      if (typeof keyFile === "string" && keyFile !== "" && !/^[~/$]/.test(keyFile)) {
        raw.api_key_file = expandPath(keyFile, ctx.paths.home, Deno.cwd());
      }
      for (const k of ["keep_unseen", "quota", "max_file_size", "min_width", "min_height"]) {
        const v = numeric(stringFlag(inv, FLAG_OF[k] ?? k));
        if (v !== undefined) raw[k] = v;
      }
      if (boolFlag(inv, "allow-nsfw")) raw.sfw_only = false;
      let settings;
      try {
        settings = remoteReader(raw, { file: "remote add", key: "" });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        // Every wrong flag at once, each named as the user wrote it.
        const said = problemsOf(e).map((p) => {
          const key = p.key.replace(/^\./, "");
          return `${key === "name" ? "NAME" : `--${FLAG_OF[key] ?? key}`}: ${p.detail}`;
        });
        throw new UsageError(said.join("; "), path);
      }
      if (getRemote(db, name)) {
        throw new CliError(
          `a remote named "${name}" already exists; remove it first or pick another name`,
        );
      }
      const { enabled: _e, ...rest } = settings;
      const dir = await ensureRemoteDir(ctx.paths, name);
      const { remote } = upsertRemote(db, rest, dir, {
        fromConfig: false,
        enabled: !boolFlag(inv, "disabled"),
      });
      // A remote that cannot fetch yet (a key missing or unreadable) is added, and said so.
      const [check] = await checkRemotes(
        [{ settings: rest, enabled: remote.enabled, origin: "command" }],
        ctx.env,
        ctx.paths.home,
        Date.now(),
      );
      if (check.status !== "ok" && check.problem && remote.enabled) {
        ctx.out.err(
          `varietal: warning: ${remote.name}: ${check.problem}; 'varietal fetch' cannot use it until then`,
        );
      }
      if (asJson) ctx.out.json(await remoteJson(db, remote, ctx));
      else {
        ctx.out.line(`Added ${remote.name} (${remote.kind}) → ${remote.path}`);
        ctx.out.line(s.dim("Run 'varietal fetch' to download its first images."));
      }
      return EXIT.ok;
    }
    case "remove":
    case "enable":
    case "disable": {
      // A name given twice is one remote (said and removed once).
      const names = [...new Set(expectArgs(inv, 1, Infinity, path, "name"))];
      const found = names.map((n) => findRemote(db, n));
      // `enabled = false` in config.toml wins at every sync: only the file can enable it.
      if (inv.sub === "enable") {
        const config = await ctx.config();
        for (const r of found) {
          const said = disabledInConfig(config, r.name);
          if (said) throw new CliError(said);
        }
      }
      const counts = new Map(found.map((r) => [r.name, remoteUsage(db, r.source_id).images]));
      // Removing a remote deletes its files: the wallpaper on screen may be one of them.
      const onScreen = inv.sub === "remove"
        ? await onScreenFrom(db, ctx.paths.state, found.map((r) => r.source_id))
        : undefined;
      db.transaction(() => {
        for (const r of found) {
          if (inv.sub === "remove") removeRemote(db, r.source_id);
          else setRemoteEnabled(db, r.source_id, inv.sub === "enable");
        }
      });
      if (inv.sub === "remove") {
        const root = downloadsRoot(ctx.paths) + "/";
        for (const r of found) {
          // Only ever a folder of ours, inside downloads/.
          if (r.path.startsWith(root) && !r.path.slice(root.length).includes("/")) {
            await Deno.remove(r.path, { recursive: true }).catch(() => {});
          }
        }
      }
      if (asJson) {
        ctx.out.json(found.map((r) => ({
          name: r.name,
          action: inv.sub,
          images: counts.get(r.name) ?? 0,
          from_config: r.from_config,
        })));
      } else {
        for (const r of found) {
          const verb = inv.sub === "remove"
            ? "Removed"
            : inv.sub === "enable"
            ? "Enabled"
            : "Disabled";
          const extra = inv.sub === "remove"
            ? ` (forgot ${counted(counts.get(r.name) ?? 0, "image")} and deleted ${r.path})`
            : "";
          ctx.out.line(`${verb} ${r.name}${extra}`);
          if (inv.sub === "remove" && r.from_config) {
            ctx.out.err(
              `varietal: ${r.name} is also a [[remote]] in ${config.file}; delete it there or it comes back`,
            );
          }
        }
      }
      if (onScreen) {
        ctx.out.err(
          `varietal: the wallpaper on screen, ${
            printable(onScreen)
          }, was one of the removed downloads: its file is deleted, and 'current' and 'prev' no longer know it ('varietal next' picks another)`,
        );
      }
      return EXIT.ok;
    }
  }
  return EXIT.usage;
}
