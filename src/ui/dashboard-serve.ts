// `dashboard --serve` (issue 13): the page on 127.0.0.1 only, read-only (GET/HEAD, else 405), rebuilt on a reload
// at most once every 5 s so a held-down F5 never floods the hosts and the registry.
import http from "node:http";
import { PinrollError, UsageError, errorLine } from "../errors.js";

export const REBUILD_MS = 5000;

export interface DashboardServer {
  url: string;
  close: () => Promise<void>;
}

/** `build` makes the page; the first build runs before listening so a bad config fails at once. */
export async function serveDashboard(
  build: () => Promise<string>,
  port: number,
  onError: (message: string) => void,
): Promise<DashboardServer> {
  let page = await build();
  let builtAt = Date.now();
  let building: Promise<string> | null = null;
  const current = async (): Promise<string> => {
    if (Date.now() - builtAt < REBUILD_MS) return page;
    // One build at a time; requests meanwhile share it.
    building ??= build()
      .then((p) => ((page = p), p))
      .catch((err: unknown) => {
        onError(errorLine(err));
        return page; // the last good page, rather than none
      })
      .finally(() => {
        builtAt = Date.now();
        building = null;
      });
    return building;
  };
  const server = http.createServer((req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("read-only: GET or HEAD\n");
      return;
    }
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== "/" && url.pathname !== "/index.html") {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("not found: the dashboard is at /\n");
      return;
    }
    void current().then((body) => {
      res.writeHead(200, {
        "content-type": "text/html; charset=utf-8",
        "content-length": Buffer.byteLength(body),
        "cache-control": "no-store",
        "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
        "x-content-type-options": "nosniff",
      });
      res.end(req.method === "HEAD" ? undefined : body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) =>
      reject(
        err.code === "EADDRINUSE"
          ? new UsageError(`port ${port} on 127.0.0.1 is taken`, "pick another with --port")
          : new PinrollError(`cannot serve on 127.0.0.1:${port}: ${err.message}`),
      ),
    );
    server.listen(port, "127.0.0.1", resolve);
  });
  const addr = server.address();
  const bound = typeof addr === "object" && addr ? addr.port : port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections(); // a browser's keep-alive sockets would hold the exit for minutes
      }),
  };
}
