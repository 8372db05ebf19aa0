// Placeholder until the promote command lands; replaced by its implementation.
import { PinrollError } from "../errors.js";

export async function run(..._args: unknown[]): Promise<void> {
  throw new PinrollError("promote is not available yet");
}

export async function verify(..._args: unknown[]): Promise<void> {
  throw new PinrollError("verify-promotion is not available yet");
}
