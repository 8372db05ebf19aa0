// Placeholder until the policy command lands; replaced by its implementation.
import { PinrollError } from "../errors.js";

export async function run(..._args: unknown[]): Promise<void> {
  throw new PinrollError("policy is not available yet");
}
