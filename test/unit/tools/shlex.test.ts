// ansible_ssh_common_args / _extra_args split as Ansible splits them: Python's shlex.split, each word stripped,
// empty ones dropped (issue 8 §5). Every case is checked against the real Python as well as written out.
import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { sshTarget } from "../../../src/hosts/files.js";
import { shlexSplit, splitSshArgs } from "../../../src/tools/shlex.js";

const PROXY = `-o StrictHostKeyChecking=no -o ProxyCommand="ssh -W %h:%p -i '/keys/my key' -q root@jump"`;

const CASES: [string, string[]][] = [
  ["", []],
  ["  -o  A=1\t-o\nB=2 ", ["-o", "A=1", "-o", "B=2"]],
  [PROXY, ["-o", "StrictHostKeyChecking=no", "-o", "ProxyCommand=ssh -W %h:%p -i '/keys/my key' -q root@jump"]],
  [`-o 'ProxyCommand=ssh -W %h:%p "j u m p"'`, ["-o", 'ProxyCommand=ssh -W %h:%p "j u m p"']],
  [`a"b c"d 'e'f`, ["ab cd", "ef"]],
  [`x '' "" y`, ["x", "", "", "y"]],
  [String.raw`a\ b c\"d "e\"f\\g\h" 'i\j'`, ["a b", 'c"d', String.raw`e"f\g\h`, String.raw`i\j`]],
  [`$'x' #not-a-comment $HOME`, ["$x", "#not-a-comment", "$HOME"]],
];

/** What CPython's shlex.split says, from the python3 on this machine. */
function python(s: string): string[] {
  const res = spawnSync("python3", ["-c", "import json,shlex,sys; print(json.dumps(shlex.split(sys.argv[1])))", s], { encoding: "utf8" });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout) as string[];
}

describe("shlexSplit", () => {
  it.each(CASES)("splits %j as Python's shlex.split does", (input, words) => {
    expect(shlexSplit(input)).toEqual(words);
    expect(python(input)).toEqual(words);
  });

  it("refuses an unclosed quote and a final backslash, as Python does, with exit 2", () => {
    for (const bad of [`-o ProxyCommand="ssh jump`, "-o 'x", "a\\"]) {
      expect(() => python(bad)).toThrow(/No closing quotation|No escaped character/);
      expect(() => shlexSplit(bad)).toThrow(UsageError);
    }
  });
});

describe("splitSshArgs", () => {
  it("strips each word and drops empty ones, as Ansible's _split_ssh_args", () => {
    expect(splitSshArgs(`-o ' ServerAliveInterval=5 ' '' -C`)).toEqual(["-o", "ServerAliveInterval=5", "-C"]);
  });
});

describe("sshTarget", () => {
  it("passes a quoted ProxyCommand to ssh as one argument, common args before extra args", () => {
    const t = sshTarget({
      name: "web1",
      vars: {
        ansible_host: "10.0.0.5",
        ansible_user: "deploy",
        ansible_ssh_common_args: PROXY,
        ansible_ssh_extra_args: "-o 'ConnectTimeout=3'",
      },
    });
    expect(t).toEqual({
      host: "10.0.0.5",
      user: "deploy",
      extraArgs: [
        "-o",
        "StrictHostKeyChecking=no",
        "-o",
        "ProxyCommand=ssh -W %h:%p -i '/keys/my key' -q root@jump",
        "-o",
        "ConnectTimeout=3",
      ],
    });
  });
});
