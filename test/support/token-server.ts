// A small token server for the Docker registry token protocol (issue 9; distribution's docs/spec/auth/token.md):
// GET /token?service=..&scope=repository:NAME:ACTIONS with basic auth answers a JWT signed RS256 with a key whose
// certificate travels in the `x5c` header; distribution v3 verifies that chain against its rootcertbundle.
import crypto from "node:crypto";
import fs from "node:fs";
import https from "node:https";
import type net from "node:net";

export interface TokenServer {
  realm: string;
  issuer: string;
  service: string;
  /** how many tokens were issued and refused, to prove the flow ran */
  issued: () => number;
  refused: () => number;
  stop: () => Promise<void>;
}

export async function startTokenServer(o: {
  tls: { cert: string; key: string };
  signing: { cert: string; key: string };
  users: Record<string, string>;
}): Promise<TokenServer> {
  const issuer = "pinroll-test-issuer";
  const service = "pinroll-test-registry";
  const signingKey = crypto.createPrivateKey(fs.readFileSync(o.signing.key));
  const x5c = new crypto.X509Certificate(fs.readFileSync(o.signing.cert)).raw.toString("base64");
  let issued = 0;
  let refused = 0;
  const server = https.createServer({ cert: fs.readFileSync(o.tls.cert), key: fs.readFileSync(o.tls.key) }, (req, res) => {
    const url = new URL(req.url ?? "/", "https://x");
    const [user, pass] = Buffer.from((req.headers.authorization ?? "").replace(/^Basic /i, ""), "base64")
      .toString("utf8")
      .split(/:(.*)/s);
    if (url.pathname !== "/token" || !user || o.users[user] !== pass) {
      refused++;
      res.writeHead(401, { "content-type": "application/json" }).end('{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}');
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const access = url.searchParams
      .getAll("scope")
      .flatMap((s) => s.split(" "))
      .flatMap(scopeAccess);
    const claims = {
      iss: issuer,
      sub: user,
      aud: url.searchParams.get("service") ?? service,
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: crypto.randomUUID(),
      access,
    };
    const token = jwt({ alg: "RS256", typ: "JWT", x5c: [x5c] }, claims, signingKey);
    issued++;
    res
      .writeHead(200, { "content-type": "application/json" })
      .end(JSON.stringify({ token, access_token: token, expires_in: 300, issued_at: new Date().toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    // A host name, not 127.0.0.1: crane refuses a realm on a loopback or private IP literal unless it is the registry's own host:port.
    realm: `https://localhost:${port}/token`,
    issuer,
    service,
    issued: () => issued,
    refused: () => refused,
    stop: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/** `repository:a/b:pull,push` -> the access the token grants: everything asked (the test user may do anything). */
function scopeAccess(scope: string): { type: string; name: string; actions: string[] }[] {
  const first = scope.indexOf(":");
  const last = scope.lastIndexOf(":");
  if (first < 0 || last <= first) return [];
  return [{ type: scope.slice(0, first), name: scope.slice(first + 1, last), actions: scope.slice(last + 1).split(",") }];
}

function jwt(header: object, claims: object, key: crypto.KeyObject): string {
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  const input = `${b64(header)}.${b64(claims)}`;
  return `${input}.${crypto.sign("RSA-SHA256", Buffer.from(input), key).toString("base64url")}`;
}
