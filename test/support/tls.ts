// An own CA and server certificates for 127.0.0.1 (and localhost, the token realm's host) made with openssl per test (issue 9): a valid one, one already
// expired, and a self-signed token-signing certificate for the registry's token auth.
import fs from "node:fs";
import path from "node:path";
import { run } from "../../src/tools/run.js";

export interface TestCa {
  dir: string;
  caCert: string;
  caKey: string;
}

const openssl = (...argv: string[]) => run({ tool: "openssl", argv });

export async function makeCa(dir: string, name = "pinroll test CA"): Promise<TestCa> {
  fs.mkdirSync(dir, { recursive: true });
  const caKey = path.join(dir, "ca.key");
  const caCert = path.join(dir, "ca.crt");
  await openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", caCert, "-days", "2", "-subj", `/CN=${name}`);
  return { dir, caCert, caKey };
}

/** A server certificate for IP 127.0.0.1 signed by the CA; `expired` makes one valid only in 2020. */
export async function serverCert(
  ca: TestCa,
  name: string,
  opts: { expired?: boolean; ip?: string } = {},
): Promise<{ cert: string; key: string }> {
  const key = path.join(ca.dir, `${name}.key`);
  const csr = path.join(ca.dir, `${name}.csr`);
  const cert = path.join(ca.dir, `${name}.crt`);
  const ext = path.join(ca.dir, `${name}.ext`);
  fs.writeFileSync(ext, `subjectAltName = IP:${opts.ip ?? "127.0.0.1"}, DNS:localhost\nextendedKeyUsage = serverAuth\n`);
  await openssl("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1");
  if (!opts.expired) {
    await openssl(
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      ca.caCert,
      "-CAkey",
      ca.caKey,
      "-CAcreateserial",
      "-out",
      cert,
      "-days",
      "2",
      "-extfile",
      ext,
    );
    return { cert, key };
  }
  // `openssl x509 -days` cannot go back in time; `openssl ca` takes explicit dates.
  const db = path.join(ca.dir, "ca-db");
  fs.mkdirSync(db, { recursive: true });
  fs.writeFileSync(path.join(db, "index.txt"), "");
  fs.writeFileSync(path.join(db, "serial"), "1000\n");
  const cnf = path.join(ca.dir, "ca.cnf");
  fs.writeFileSync(
    cnf,
    [
      "[ca]",
      "default_ca = d",
      "[d]",
      `database = ${db}/index.txt`,
      `new_certs_dir = ${db}`,
      `serial = ${db}/serial`,
      "default_md = sha256",
      "policy = p",
      "[p]",
      "commonName = supplied",
      "",
    ].join("\n"),
  );
  await openssl(
    "ca",
    "-batch",
    "-config",
    cnf,
    "-cert",
    ca.caCert,
    "-keyfile",
    ca.caKey,
    "-in",
    csr,
    "-out",
    cert,
    "-startdate",
    "20200101000000Z",
    "-enddate",
    "20200102000000Z",
    "-extfile",
    ext,
  );
  return { cert, key };
}

/** A self-signed key pair the token server signs with; the registry trusts its certificate (rootcertbundle). */
export async function signingCert(dir: string): Promise<{ cert: string; key: string }> {
  const key = path.join(dir, "token-signing.key");
  const cert = path.join(dir, "token-signing.crt");
  await openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-days",
    "2",
    "-subj",
    "/CN=pinroll test token signer",
  );
  return { cert, key };
}
