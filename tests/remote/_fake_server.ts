// A tiny HTTP/1.1 server on 127.0.0.1 for the remote-source tests, written on raw TCP so a
// handler can misbehave exactly as a hostile server would: lie about Content-Length, stop
// half-way, send nothing for a while, never end. One request per connection.

/** A request as the handler sees it. */
export interface FakeRequest {
  method: string;
  /** The request target as sent ("/path?query"). */
  target: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
}

/** Writes raw bytes on the connection (for hostile replies); resolves false once it is closed. */
export interface RawWriter {
  write(data: string | Uint8Array): Promise<boolean>;
  /** Waits, ending early when the server stops. */
  sleep(ms: number): Promise<void>;
  readonly closed: boolean;
}

/** A reply: a normal response, or a function that writes whatever it likes. */
export type Reply =
  | { status?: number; headers?: Record<string, string>; body?: string | Uint8Array }
  | { raw: (w: RawWriter) => Promise<void> };

/** A request handler. */
export type Handler = (req: FakeRequest) => Reply | Promise<Reply>;

const REASONS: Record<number, string> = {
  200: "OK",
  301: "Moved Permanently",
  302: "Found",
  403: "Forbidden",
  404: "Not Found",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

const enc = new TextEncoder();

/** A running fake server; `await using` stops it. */
export class FakeServer implements AsyncDisposable {
  readonly port: number;
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** `127.0.0.1:PORT`, as in `--allow-net`. */
  readonly host: string;
  readonly requests: FakeRequest[] = [];
  handler: Handler;
  #listener: Deno.Listener;
  #conns = new Set<Deno.Conn>();
  #tasks = new Set<Promise<void>>();
  #stop = new AbortController();
  #accepting: Promise<void>;

  private constructor(listener: Deno.Listener, handler: Handler) {
    this.#listener = listener;
    this.handler = handler;
    this.port = (listener.addr as Deno.NetAddr).port;
    this.origin = `http://127.0.0.1:${this.port}`;
    this.host = `127.0.0.1:${this.port}`;
    this.#accepting = this.#accept();
  }

  /** Starts a server on a free port of 127.0.0.1. */
  static start(handler: Handler = () => ({ status: 404 })): FakeServer {
    return new FakeServer(Deno.listen({ hostname: "127.0.0.1", port: 0 }), handler);
  }

  /** Requests whose path starts with a prefix. */
  hits(prefix: string): FakeRequest[] {
    return this.requests.filter((r) => r.path.startsWith(prefix));
  }

  async #accept(): Promise<void> {
    for (;;) {
      let conn: Deno.Conn;
      try {
        conn = await this.#listener.accept();
      } catch {
        return;
      }
      this.#conns.add(conn);
      const t = this.#serve(conn).finally(() => {
        this.#conns.delete(conn);
        try {
          conn.close();
        } catch { /* closed */ }
        this.#tasks.delete(t);
      });
      this.#tasks.add(t);
    }
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    let buf = new Uint8Array(0);
    const chunk = new Uint8Array(8192);
    let end = -1;
    while (end < 0 && buf.length < 65536) {
      let n: number | null;
      try {
        n = await conn.read(chunk);
      } catch {
        return;
      }
      if (n === null) return;
      const next = new Uint8Array(buf.length + n);
      next.set(buf);
      next.set(chunk.subarray(0, n), buf.length);
      buf = next;
      end = new TextDecoder().decode(buf).indexOf("\r\n\r\n");
    }
    const head = new TextDecoder().decode(buf).slice(0, end).split("\r\n");
    const [method, target] = head[0].split(" ");
    const headers = new Headers();
    for (const line of head.slice(1)) {
      const i = line.indexOf(":");
      if (i > 0) headers.append(line.slice(0, i).trim(), line.slice(i + 1).trim());
    }
    const url = new URL(target, this.origin);
    const req: FakeRequest = {
      method,
      target,
      path: url.pathname,
      query: url.searchParams,
      headers,
    };
    this.requests.push(req);
    let closed = false;
    const signal = this.#stop.signal;
    const writer: RawWriter = {
      get closed() {
        return closed || signal.aborted;
      },
      async write(data) {
        if (closed || signal.aborted) return false;
        let bytes = typeof data === "string" ? enc.encode(data) : data;
        try {
          while (bytes.length > 0) bytes = bytes.subarray(await conn.write(bytes));
          return true;
        } catch {
          closed = true;
          return false;
        }
      },
      sleep(ms) {
        return new Promise((resolve) => {
          if (signal.aborted) return resolve();
          const t = setTimeout(done, ms);
          function done() {
            clearTimeout(t);
            signal.removeEventListener("abort", done);
            resolve();
          }
          signal.addEventListener("abort", done, { once: true });
        });
      },
    };
    let reply: Reply;
    try {
      reply = await this.handler(req);
    } catch (e) {
      reply = { status: 500, body: `handler failed: ${(e as Error).message}` };
    }
    if ("raw" in reply) {
      await reply.raw(writer);
      return;
    }
    const status = reply.status ?? 200;
    const body = typeof reply.body === "string"
      ? enc.encode(reply.body)
      : reply.body ?? new Uint8Array(0);
    const hdrs: Record<string, string> = { "Connection": "close", ...reply.headers };
    if (!Object.keys(hdrs).some((k) => k.toLowerCase() === "content-length")) {
      hdrs["Content-Length"] = String(body.length);
    }
    const text = `HTTP/1.1 ${status} ${REASONS[status] ?? "Status"}\r\n` +
      Object.entries(hdrs).map(([k, v]) => `${k}: ${v}\r\n`).join("") + "\r\n";
    if (await writer.write(text)) await writer.write(body);
  }

  /** Stops accepting, closes every connection and waits for the handlers. */
  async close(): Promise<void> {
    this.#stop.abort();
    try {
      this.#listener.close();
    } catch { /* closed */ }
    for (const c of this.#conns) {
      try {
        c.close();
      } catch { /* closed */ }
    }
    await this.#accepting;
    await Promise.all([...this.#tasks]);
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/** A reply whose headers announce `announced` bytes but whose body is `body` (then closes). */
export function lyingLength(body: Uint8Array, announced: number, type = "image/jpeg"): Reply {
  return {
    raw: async (w) => {
      await w.write(
        `HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nContent-Length: ${announced}\r\nConnection: close\r\n\r\n`,
      );
      await w.write(body);
    },
  };
}

/** A reply without Content-Length that sends `body` then closes (a cut connection looks the same). */
export function closeDelimited(body: Uint8Array, type = "image/jpeg"): Reply {
  return {
    raw: async (w) => {
      await w.write(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nConnection: close\r\n\r\n`);
      await w.write(body);
    },
  };
}

/** A reply that sends `first` bytes of a body, then nothing for `ms` (or until stopped). */
export function stalls(first: Uint8Array, ms: number, type = "image/jpeg"): Reply {
  return {
    raw: async (w) => {
      await w.write(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nConnection: close\r\n\r\n`);
      await w.write(first);
      await w.sleep(ms);
    },
  };
}

/** A reply that sends `chunk` every `everyMs` forever (until the client goes or the server stops). */
export function endless(chunk: Uint8Array, everyMs = 5, type = "image/jpeg"): Reply {
  return {
    raw: async (w) => {
      await w.write(`HTTP/1.1 200 OK\r\nContent-Type: ${type}\r\nConnection: close\r\n\r\n`);
      while (await w.write(chunk)) await w.sleep(everyMs);
    },
  };
}

/** A reply that accepts the connection and never answers (until stopped). */
export function silent(ms = 60_000): Reply {
  return { raw: (w) => w.sleep(ms) };
}
