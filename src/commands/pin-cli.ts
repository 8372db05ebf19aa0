// Placeholder until the pin command lands; replaced by its implementation.
import { PinrollError } from "../errors.js";

export async function run(..._args: unknown[]): Promise<void> {
  throw new PinrollError("pin is not available yet");
}
