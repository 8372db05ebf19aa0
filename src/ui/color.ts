// Colour only on a terminal: picocolors also turns it on whenever CI is set, which would put escape codes
// into piped output and logs. NO_COLOR and FORCE_COLOR are honoured.
import picocolors from "picocolors";

const env = process.env;
const enabled = !("NO_COLOR" in env) && ("FORCE_COLOR" in env || (process.stdout.isTTY === true && env.TERM !== "dumb"));

export const pc = picocolors.createColors(enabled);
