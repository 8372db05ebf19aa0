// The one HTTP sender behind pinroll's API clients (the registry read path, the Docker Hub API): keep-alive
// agents, a whole-request deadline, the body as a Buffer. Each client turns a failure into its own typed error.
import http from "node:http";
import https from "node:https";

export interface HttpResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

export interface HttpRequest {
  method?: string;
  url: string;
  headers?: Record<string, string>;
  /** for https: an agent that trusts a registry's own CA (ca_file) */
  agent?: https.Agent;
  /** the whole request, not an idle timer: a server that trickles bytes is as stuck as one that never answers */
  deadlineMs: number;
}

/** A deadline that passed: the request was cut off (`code` ETIMEDOUT, as Node names a connect timeout). */
export class HttpTimeout extends Error {
  readonly code = "ETIMEDOUT";
}

const agents = {
  http: new http.Agent({ keepAlive: true, maxSockets: 64 }),
  https: new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/** Rejects with the socket's error (its `code`, e.g. ECONNREFUSED, CERT_HAS_EXPIRED) or an HttpTimeout. */
export function send(req: HttpRequest): Promise<HttpResponse> {
  const u = new URL(req.url);
  const secure = u.protocol === "https:";
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const fail = (err: Error) => {
      clearTimeout(deadline);
      reject(timedOut ? new HttpTimeout(`no answer from ${u.host} within ${req.deadlineMs / 1000} s`) : err);
    };
    const r = (secure ? https : http).request(
      u,
      { method: req.method ?? "GET", headers: req.headers ?? {}, agent: secure ? (req.agent ?? agents.https) : agents.http },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("error", fail);
        res.on("end", () => {
          clearTimeout(deadline);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
      },
    );
    const deadline = setTimeout(() => {
      timedOut = true;
      r.destroy(new Error("deadline"));
    }, req.deadlineMs);
    r.on("error", fail);
    r.end();
  });
}
