// Placeholder until the update command lands; replaced by its implementation.
import { PinrollError } from "../errors.js";

export async function run(..._args: unknown[]): Promise<void> {
  throw new PinrollError("update is not available yet");
}
