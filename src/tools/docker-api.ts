// Read-only Docker Engine API over its unix socket, for checks on the local host: two requests instead of
// three docker CLI processes keep `overview` fast (issue 2's warm budget).
import http from "node:http";

const socketPath = (process.env.DOCKER_HOST ?? "unix:///var/run/docker.sock").replace(/^unix:\/\//, "");

export function dockerGet<T>(path: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath, path, timeout: 5000 }, (res) => {
      let body = "";
      res.on("data", (c: Buffer) => (body += c.toString("utf8")));
      res.on("end", () => {
        if ((res.statusCode ?? 500) >= 400) reject(new Error(`docker API ${path}: ${res.statusCode} ${body.trim()}`));
        else resolve(JSON.parse(body) as T);
      });
    });
    req.on("timeout", () => req.destroy(new Error("docker API timed out")));
    req.on("error", reject);
  });
}
