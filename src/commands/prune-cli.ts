// Placeholder until the prune command lands; replaced by its implementation.
import { PinrollError } from "../errors.js";

export async function run(..._args: unknown[]): Promise<void> {
  throw new PinrollError("prune is not available yet");
}
